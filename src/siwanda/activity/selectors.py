"""Reads of the activity log, limited to the regions the viewer administers."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of

from .models import ActivityEntry


def activity_visible_to(user) -> QuerySet[ActivityEntry]:
    roles = roles_of(user)
    qs = ActivityEntry.objects.select_related("target_type", "region")
    if roles.is_system_admin:
        return qs
    return qs.filter(region_id__in=roles.region_ids(Role.SECRETARIAT))


def activity_list(
    *,
    user,
    region=None,
    actor: str = "",
    action: str = "",
    target_type: str = "",
    date_from=None,
    date_to=None,
) -> QuerySet[ActivityEntry]:
    qs = activity_visible_to(user)
    if region is not None:
        qs = qs.filter(region=region)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if action:
        qs = qs.filter(action=action)
    if target_type:
        app_label, _, model = target_type.partition(".")
        qs = qs.filter(target_type__app_label=app_label, target_type__model=model)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def activity_for_object(*, user, target) -> QuerySet[ActivityEntry]:
    return activity_visible_to(user).filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    )
