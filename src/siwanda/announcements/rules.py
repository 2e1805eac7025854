"""Who may read and write announcements: published ones are public (no login); drafts, and
every change, belong to the posting region's secretariat (and the system administrator)."""

import rules

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.accounts.rules import is_secretariat_of, is_system_admin


@rules.predicate
def is_published(user, announcement):
    return announcement.published_at is not None


@rules.predicate
def writes_for_region(user, announcement):
    return announcement.region_id in roles_of(user).region_ids(Role.SECRETARIAT)


writes = is_system_admin | writes_for_region

# The object of "add" is the region the announcement is posted for.
rules.add_perm("announcements.add_announcement", is_system_admin | is_secretariat_of)
rules.add_perm("announcements.change_announcement", writes)
rules.add_perm("announcements.view_announcement", is_published | writes)
