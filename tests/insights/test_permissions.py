"""Every dashboard address × every role: who is let in, who is refused, and that the refused see
none of Luwu Utara's data. (The dashboards' own matrix, in the style of
tests/test_permission_matrix.py, which has no per-app table to append to.)"""

import pytest
from django.urls import reverse

from siwanda.accounts.models import Role
from siwanda.regions.models import Region
from tests.factories import person_with_role
from tests.helpers import login

ROLES = [
    "anonymous",
    "admin",
    "secretariat",
    "operator",
    "other_operator",
    "head",
    "mentor",
    "juror",
    "leadership",
    "neighbour_secretariat",
    "neighbour_operator",
    "nobody",
    "province_secretariat",
    "province_leadership",
]
SECRET = "Kecamatan Baebunta"  # an agency of Luwu Utara


def only(*allowed):
    return {r: ("ok" if r in allowed else "deny") for r in ROLES} | {"anonymous": "login"}


LU = ("admin", "secretariat", "leadership")
PROVINCE = ("admin", "province_secretariat", "province_leadership")

# name -> (kwargs, query builder, expected outcome per role)
PAGES = {
    "insights:dashboard": (
        lambda w: {},
        lambda w: {"wilayah": w["luwu_utara"].pk},
        only(*LU),
    ),
    "insights:csv": (
        lambda w: {"key": "oaoi"},
        lambda w: {"wilayah": w["luwu_utara"].pk},
        only(*LU),
    ),
    "insights:province": (
        lambda w: {"region_id": w["province"].pk},
        lambda w: {},
        only(*PROVINCE),
    ),
    "insights:province_csv": (
        lambda w: {"region_id": w["province"].pk, "key": "comparison"},
        lambda w: {},
        only(*PROVINCE),
    ),
}
# POST only: the roles that may remind Luwu Utara's agencies.
REMIND_ALLOWED = ("admin", "secretariat")


@pytest.fixture
def world(people, oaoi_world, luwu_utara):
    province = Region.objects.get(code="73")
    return {
        **people,
        "luwu_utara": luwu_utara,
        "province": province,
        "province_secretariat": person_with_role(Role.SECRETARIAT, region=province),
        "province_leadership": person_with_role(Role.LEADERSHIP, region=province),
    }


def test_every_dashboard_address_is_here():
    from django.urls import get_resolver

    _prefix, resolver = get_resolver().namespace_dict["insights"]
    names = {f"insights:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    assert names == set(PAGES) | {"insights:remind"}


CASES = [(name, role) for name in PAGES for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_page_access(db, client, world, name, role):
    kwargs, query, expected = PAGES[name]
    if role != "anonymous":
        login(client, world[role])
    response = client.get(reverse(name, kwargs=kwargs(world)), query(world))
    outcome = expected[role]
    if outcome == "ok":
        assert response.status_code == 200
        assert SECRET in response.content.decode() or name.startswith("insights:province")
    elif outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code in (403, 404)
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("role", [r for r in ROLES if r not in REMIND_ALLOWED])
def test_refused_reminders(db, client, world, role):
    from siwanda.activity.models import ActivityEntry
    from siwanda.core.models import Notice
    from siwanda.insights.models import ComplianceReminder
    from siwanda.insights.selectors import current_year

    if role != "anonymous":
        login(client, world[role])
    region = world["luwu_utara"]
    notices = Notice.objects.count()
    response = client.post(
        reverse("insights:remind"), {"wilayah": region.pk, "tahun": current_year(region)}
    )
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code in (403, 404)
    assert not ComplianceReminder.objects.exists()
    assert not ActivityEntry.objects.filter(action="insights.oaoi_reminded").exists()
    assert Notice.objects.count() == notices
