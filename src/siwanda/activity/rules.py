"""Who may read the activity log: the system administrators and the secretariat of the region."""

import rules

from siwanda.accounts.rules import is_secretariat_of, is_system_admin

rules.add_perm("activity.view_log", is_system_admin | is_secretariat_of)
