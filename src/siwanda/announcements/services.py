"""Every change to announcements, each with its audit entry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from siwanda.activity.services import activity_record, diff, snapshot
from siwanda.core.changes import unchanged_if_refused
from siwanda.core.files import check_upload, clean_name
from siwanda.core.permissions import require_perm

from .models import Announcement

FIELDS = ["kind", "title", "body", "competition", "is_pinned"]
ATTACHMENT_TYPES = ["pdf"]
ATTACHMENT_MAX_MB = 20


def _check(announcement: Announcement) -> None:
    errors = {}
    if not announcement.title:
        errors["title"] = _("Give the announcement a title.")
    if not announcement.body:
        errors["body"] = _("Write the text of the announcement.")
    if announcement.kind not in Announcement.Kind.values:
        errors["kind"] = _("Choose news, schedule or guide.")
    competition = announcement.competition
    if competition is not None and competition.region_id != announcement.region_id:
        errors["competition"] = _("Only a competition of your own region can be linked.")
    if errors:
        raise ValidationError(errors)


def _check_attachment(upload) -> None:
    """PDF only, checked by content; the error names the form's field."""
    try:
        check_upload(upload, allowed=ATTACHMENT_TYPES, max_mb=ATTACHMENT_MAX_MB)
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from error


def _attach(announcement: Announcement, upload) -> str:
    """Store `upload` on the announcement (not yet saved); the old file goes after the commit."""
    old = announcement.attachment.name if announcement.attachment else ""
    original = upload.name
    upload.name = clean_name(upload.name)
    announcement.attachment = upload
    announcement.attachment_name = original[:255]
    announcement.attachment_size = upload.size
    _delete_after_commit(announcement, old)
    return original


def _delete_after_commit(announcement: Announcement, name: str) -> None:
    if name:
        storage = announcement.attachment.storage
        transaction.on_commit(lambda: storage.delete(name))


def _clean(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


@transaction.atomic
def announcement_create(
    *, actor, region, attachment=None, publish: bool = False, **fields
) -> Announcement:
    """A draft (or, with `publish`, a published announcement) of `region`'s secretariat."""
    require_perm(actor, "announcements.add_announcement", region)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"announcement_create() got unexpected fields {sorted(unknown)}")
    announcement = Announcement(region=region, author=actor, **_clean(fields))
    _check(announcement)
    if attachment is not None:
        _check_attachment(attachment)
        _attach(announcement, attachment)
    if publish:
        announcement.published_at = timezone.now()
    announcement.save()
    activity_record(
        actor=actor,
        action="announcement.created",
        target=announcement,
        region=region,
        changes=diff({}, snapshot(announcement, FIELDS)),
        data={"file": announcement.attachment_name} if announcement.attachment else None,
    )
    if publish:
        _record_publication(actor, announcement, "announcement.published")
    return announcement


@transaction.atomic
def announcement_update(
    *, actor, announcement: Announcement, attachment=None, remove_attachment=False, **fields
) -> Announcement:
    """Change the texts, the link and the pin; replace the attachment with `attachment` or
    remove it. A refused change leaves the announcement as it was stored."""
    require_perm(actor, "announcements.change_announcement", announcement)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"announcement_update() got unexpected fields {sorted(unknown)}")
    fields = _clean(fields)
    before = snapshot(announcement, list(fields))
    with unchanged_if_refused(announcement, fields):
        for name, value in fields.items():
            setattr(announcement, name, value)
        _check(announcement)
        if attachment is not None:
            _check_attachment(attachment)
    changes = diff(before, snapshot(announcement, list(fields)))
    old_file = announcement.attachment_name if announcement.attachment else ""
    if attachment is not None:
        _attach(announcement, attachment)
    elif remove_attachment and announcement.attachment:
        _delete_after_commit(announcement, announcement.attachment.name)
        announcement.attachment = ""
        announcement.attachment_name = ""
        announcement.attachment_size = None
    new_file = announcement.attachment_name if announcement.attachment else ""
    if new_file != old_file or attachment is not None:
        changes["attachment"] = {"before": old_file, "after": new_file}
    if changes:
        announcement.save()
        activity_record(
            actor=actor,
            action="announcement.updated",
            target=announcement,
            region=announcement.region,
            changes=changes,
        )
    return announcement


def _record_publication(actor, announcement: Announcement, action: str) -> None:
    activity_record(
        actor=actor,
        action=action,
        target=announcement,
        region=announcement.region,
        data={"kind": announcement.kind},
    )


@transaction.atomic
def announcement_publish(*, actor, announcement: Announcement) -> Announcement:
    """Make the announcement public: on the list, on the home pages and on its competition."""
    require_perm(actor, "announcements.change_announcement", announcement)
    if announcement.published_at is not None:
        raise ValidationError(_("This announcement is already published."))
    announcement.published_at = timezone.now()
    announcement.save(update_fields=["published_at", "updated_at"])
    _record_publication(actor, announcement, "announcement.published")
    return announcement


@transaction.atomic
def announcement_unpublish(*, actor, announcement: Announcement) -> Announcement:
    """Back to a draft: only the secretariat sees it (and its attachment) again."""
    require_perm(actor, "announcements.change_announcement", announcement)
    if announcement.published_at is None:
        raise ValidationError(_("This announcement is a draft already."))
    announcement.published_at = None
    announcement.save(update_fields=["published_at", "updated_at"])
    _record_publication(actor, announcement, "announcement.unpublished")
    return announcement


@transaction.atomic
def announcement_delete(*, actor, announcement: Announcement) -> None:
    require_perm(actor, "announcements.change_announcement", announcement)
    activity_record(
        actor=actor,
        action="announcement.deleted",
        target=announcement,
        region=announcement.region,
        data={
            "title": announcement.title,
            "kind": announcement.kind,
            "published": announcement.published_at is not None,
            "file": announcement.attachment_name,
        },
    )
    if announcement.attachment:
        _delete_after_commit(announcement, announcement.attachment.name)
    announcement.delete()
