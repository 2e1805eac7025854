"""What the interface shell needs on every page: the menu of what this person may do."""

from django.urls import reverse
from django.utils.translation import gettext as _

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.regions.rules import REGION_READERS

AGENCY = (Role.OPERATOR, Role.AGENCY_HEAD)


def _menu(user) -> list:
    """(label, url) items, or (label, [(label, url), …]) for a drop-down group."""
    roles = roles_of(user)
    admin = roles.is_system_admin
    items = [(_("Home"), reverse("core:home"))]
    managed = roles.regions(Role.SECRETARIAT)
    if admin or roles.region_ids(*REGION_READERS, *AGENCY):
        items.append((_("Competitions"), reverse("competitions:list")))
    if admin or roles.agency_ids(*AGENCY) or roles.region_ids(Role.SECRETARIAT, Role.MENTOR):
        items.append((_("Proposals"), reverse("proposals:list")))
    if (
        admin
        or roles.agency_ids(*AGENCY)
        or roles.region_ids(Role.SECRETARIAT, Role.LEADERSHIP, Role.MENTOR)
    ):
        items.append((_("Innovations"), reverse("innovations:list")))
    if admin or roles.region_ids(Role.SECRETARIAT, Role.LEADERSHIP):
        items.append((_("Dashboard"), reverse("insights:dashboard")))
    if roles.region_ids(Role.JUROR):
        items.append((_("My assignments"), reverse("judging:my_assignments")))
    items.append((_("Catalogue"), reverse("catalogue:list")))
    items.append((_("Announcements"), reverse("announcements:list")))
    if admin or roles.agency_ids(*AGENCY) or roles.region_ids(Role.SECRETARIAT, Role.LEADERSHIP):
        items.append((_("Replication"), reverse("catalogue:requests")))
    if admin or len(managed) > 1:
        items.append((_("Regions"), reverse("regions:list")))
    elif len(managed) == 1:
        code = managed[0].code
        items.append(
            (
                _("Region"),
                [
                    (managed[0].name, reverse("regions:detail", args=[code])),
                    (_("Agencies"), reverse("regions:agency_list", args=[code])),
                    (_("People"), reverse("accounts:person_list", args=[code])),
                    (_("Mentors"), reverse("mentoring:assignments", args=[code])),
                    (_("Activity log"), reverse("activity:region_log", args=[code])),
                ],
            )
        )
    else:
        readers = roles.regions(*REGION_READERS)
        if len(readers) == 1:
            items.append((_("Agencies"), reverse("regions:agency_list", args=[readers[0].code])))
    return items


def shell(request):
    user = getattr(request, "user", None)
    path = request.path
    if user is None or not user.is_authenticated:
        public = [
            (_("Catalogue"), reverse("catalogue:list")),
            (_("Announcements"), reverse("announcements:list")),
        ]
        return {
            "menu": [
                {"label": label, "url": url, "active": path.startswith(url)}
                for label, url in public
            ]
        }

    def active(url):
        return path == url or (url != "/" and path.startswith(url))

    menu = []
    for label, target in _menu(user):
        if isinstance(target, list):
            children = [{"label": lab, "url": url, "active": active(url)} for lab, url in target]
            menu.append(
                {"label": label, "children": children, "active": any(c["active"] for c in children)}
            )
        else:
            menu.append({"label": label, "url": target, "active": active(target)})
    return {"menu": menu, "unread_notices": _unread(user)}


def _unread(user) -> int:
    from siwanda.core.models import Notice

    return Notice.objects.filter(user=user, read_at=None).count()
