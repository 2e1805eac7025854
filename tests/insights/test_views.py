"""The dashboard pages: what the secretariat and the leadership see, the CSV of each chart, the
province comparison, the remind button, and who is refused."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from siwanda.accounts.models import Role
from siwanda.core.models import Notice
from siwanda.insights.models import ComplianceReminder
from siwanda.insights.selectors import current_year
from siwanda.regions.models import Region
from tests.factories import AgencyFactory, person_with_role
from tests.helpers import login
from tests.insights.conftest import YEAR, make_innovation

pytestmark = pytest.mark.django_db

DASHBOARD = "/dasbor/"


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def province():
    return Region.objects.get(code="73")


@pytest.fixture
def province_secretariat(province):
    return person_with_role(Role.SECRETARIAT, region=province)


def test_urls():
    assert reverse("insights:dashboard") == "/dasbor/"
    assert reverse("insights:csv", args=["oaoi"]) == "/dasbor/oaoi.csv"
    assert reverse("insights:province", args=[7]) == "/dasbor/provinsi/7/"
    assert reverse("insights:province_csv", args=[7, "comparison"]) == (
        "/dasbor/provinsi/7/comparison.csv"
    )
    assert reverse("insights:remind") == "/dasbor/ingatkan/"


@pytest.mark.parametrize("role", ["leadership", "secretariat"])
def test_dashboard_shows_compliance_with_agencies_without_innovation_marked(
    client, people, oaoi_world, luwu_utara, role
):
    login(client, people[role])
    response = client.get(DASHBOARD, {"tahun": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dashboard of Kabupaten Luwu Utara, 2026" in page
    assert "2 of 3 agencies (67 %) have an innovation in 2026." in page
    marked = re.findall(
        r'<tr class="table-warning"><th scope="row" class="fw-normal">([^<]+) '
        r'<span class="badge text-bg-warning">([^<]+)</span>',
        page,
    )
    assert marked == [("Kecamatan Baebunta", "No innovation in 2026")]
    # One chart and one table per dataset, each with its CSV.
    for key in ("oaoi", "stage", "form", "urusan", "sdg", "funnel", "awards"):
        assert f'<h2 class="h5 mb-0" id="{key}-title">' in page
        assert f'aria-labelledby="{key}-chart-title {key}-chart-desc"' in page
        assert f'href="/dasbor/{key}.csv?wilayah={luwu_utara.pk}&amp;tahun=2026"' in page
    assert page.count('role="img"') == 7
    assert page.count("<caption>") == 7
    assert (
        '<text x="340" y="129" text-anchor="end" fill="#842029" font-weight="bold">'
        "No innovation in 2026</text>" in page
    )


def test_only_the_secretariat_gets_the_remind_button_and_only_for_this_year(
    client, people, oaoi_world, luwu_utara
):
    this_year = current_year(luwu_utara)
    login(client, people["leadership"])
    assert 'action="/dasbor/ingatkan/"' not in client.get(DASHBOARD).content.decode()
    login(client, people["secretariat"])
    page = client.get(DASHBOARD).content.decode()
    assert 'action="/dasbor/ingatkan/"' in page
    assert "No reminder sent yet." in page
    assert (
        'action="/dasbor/ingatkan/"'
        not in client.get(DASHBOARD, {"tahun": this_year - 1}).content.decode()
    )


def test_remind_from_the_dashboard(
    client, people, luwu_utara, kecamatan, django_capture_on_commit_callbacks
):
    this_year = current_year(luwu_utara)
    make_innovation(people["agency"], "Baru", initiative_date=datetime.date(this_year, 1, 1))
    head = person_with_role(Role.AGENCY_HEAD, agency=kecamatan)
    login(client, people["secretariat"])
    data = {"wilayah": luwu_utara.pk, "tahun": this_year}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dasbor/ingatkan/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/dasbor/?wilayah={luwu_utara.pk}&tahun={this_year}"
    assert flashed(response) == ["Reminder sent to 2 agencies without an innovation."]
    assert {n.user for n in Notice.objects.all()} == {people["other_operator"], head}
    page = client.get(response["Location"]).content.decode()
    assert "Last reminder:" in page
    assert "to 2 agencies." in page
    # Again the same day: refused, with when the last one went out.
    response = client.post("/dasbor/ingatkan/", data)
    [message] = flashed(response)
    assert message.startswith("A reminder already went out on ")
    assert ComplianceReminder.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("leadership", 403), ("admin", 302), ("operator", 404), ("neighbour_secretariat", 404)],
)
def test_remind_refused_to_others(client, people, luwu_utara, kecamatan, role, status):
    person_with_role(Role.OPERATOR, agency=kecamatan)
    login(client, people[role])
    response = client.post(
        "/dasbor/ingatkan/", {"wilayah": luwu_utara.pk, "tahun": current_year(luwu_utara)}
    )
    assert response.status_code == status
    assert ComplianceReminder.objects.count() == (1 if role == "admin" else 0)


def test_remind_needs_a_post_and_a_login(client, people, luwu_utara):
    data = {"wilayah": luwu_utara.pk, "tahun": current_year(luwu_utara)}
    response = client.post("/dasbor/ingatkan/", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    login(client, people["secretariat"])
    assert client.get("/dasbor/ingatkan/", data).status_code == 405
    assert client.post("/dasbor/ingatkan/", {"wilayah": "x", "tahun": 1}).status_code == 404
    assert (
        client.post("/dasbor/ingatkan/", {"wilayah": luwu_utara.pk, "tahun": "x"}).status_code
        == 404
    )
    assert not ComplianceReminder.objects.exists()


def test_csv_of_a_chart(client, people, oaoi_world, luwu_utara):
    login(client, people["leadership"])
    response = client.get("/dasbor/oaoi.csv", {"tahun": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="oaoi-kabupaten-luwu-utara-2026.csv"'
    )
    assert response.content.decode("utf-8") == (
        "\ufeffAgency,Innovations 2025,Innovations 2026,Competition entries 2026,Complies\r\n"
        "Dinas Kesehatan,1,1,2,Yes\r\n"
        "Dinas Pendidikan,0,1,0,Yes\r\n"
        "Kecamatan Baebunta,0,0,0,No\r\n"
    )
    assert client.get("/dasbor/funnel.csv", {"tahun": YEAR}).content.decode() == (
        "\ufeffYear,Proposals started,Submitted,Passed screening,Winners,Special categories\r\n"
        "2025,1,1,0,0,0\r\n"
        "2026,4,2,1,0,0\r\n"
    )
    assert client.get("/dasbor/nothing.csv").status_code == 404


def test_a_year_not_offered_is_an_error_and_the_current_year_is_shown(client, people, luwu_utara):
    login(client, people["leadership"])
    response = client.get(DASHBOARD, {"tahun": "1999"})
    assert response.status_code == 200
    page = response.content.decode()
    year = current_year(luwu_utara)
    assert "Select a valid choice. 1999 is not one of the available choices." in page
    assert f"Showing {year} instead." in page
    assert f"Dashboard of Kabupaten Luwu Utara, {year}" in page


def test_admin_chooses_any_region(client, people, oaoi_world, luwu_utara):
    login(client, people["admin"])
    page = client.get(DASHBOARD, {"wilayah": luwu_utara.pk, "tahun": YEAR}).content.decode()
    assert "2 of 3 agencies (67 %) have an innovation in 2026." in page
    assert f'<option value="{luwu_utara.pk}" selected>Kabupaten Luwu Utara</option>' in page
    # Without a choice, the first province.
    page = client.get(DASHBOARD).content.decode()
    assert "Dashboard of Aceh" in page


def test_a_person_of_two_regions_chooses_between_them(client, people, luwu_utara, other_regency):
    person = people["leadership"]
    from siwanda.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=person, role=Role.LEADERSHIP, region=other_regency)
    login(client, person)
    page = client.get(DASHBOARD, {"wilayah": other_regency.pk}).content.decode()
    assert "Dashboard of Kabupaten Luwu Timur" in page
    options = re.findall(
        r'<option value="(\d+)"', page.split('name="wilayah"')[1].split("</select>")[0]
    )
    assert options == [str(luwu_utara.pk), str(other_regency.pk)]


@pytest.mark.parametrize("role", ["operator", "head", "mentor", "juror", "nobody"])
def test_dashboard_refused_to_people_without_a_dashboard(client, people, oaoi_world, role):
    login(client, people[role])
    for url in (DASHBOARD, "/dasbor/oaoi.csv"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Kecamatan Baebunta" not in response.content.decode()


def test_a_neighbour_cannot_read_luwu_utara(client, people, oaoi_world, luwu_utara):
    login(client, people["neighbour_secretariat"])
    for url in (DASHBOARD, "/dasbor/oaoi.csv"):
        response = client.get(url, {"wilayah": luwu_utara.pk})
        assert response.status_code == 404
        assert "Kecamatan Baebunta" not in response.content.decode()
    # Their own dashboard is theirs.
    page = client.get(DASHBOARD).content.decode()
    assert "Dashboard of Kabupaten Luwu Timur" in page
    assert "Kecamatan Baebunta" not in page


def test_anonymous_goes_to_the_login(client, luwu_utara, province):
    for url in (DASHBOARD, "/dasbor/oaoi.csv", f"/dasbor/provinsi/{province.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/")


def test_province_comparison_page_and_csv(
    client, province, province_secretariat, people, oaoi_world
):
    login(client, province_secretariat)
    page = client.get(DASHBOARD).content.decode()
    assert f'href="/dasbor/provinsi/{province.pk}/?tahun=' in page
    response = client.get(f"/dasbor/provinsi/{province.pk}/", {"tahun": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Regencies and cities of Sulawesi Selatan, 2026" in page
    assert (
        '<th scope="row" class="fw-normal">Kabupaten Luwu Utara</th><td class="text-end">3</td>'
        '<td class="text-end">7</td><td class="text-end">2.33</td><td class="text-end">2</td>'
        '<td class="text-end">67</td><td class="text-end">2</td><td class="text-end">0</td>'
    ) in page
    assert f'href="/dasbor/provinsi/{province.pk}/comparison.csv?tahun=2026"' in page
    response = client.get(f"/dasbor/provinsi/{province.pk}/comparison.csv", {"tahun": YEAR})
    assert response["Content-Disposition"] == (
        'attachment; filename="comparison-sulawesi-selatan-2026.csv"'
    )
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "\ufeffRegency or city,Agencies,Innovations,Innovations per agency,"
        "Agencies with an innovation in 2026,Agencies complying (%),"
        "Competition entries 2026,Awards 2026"
    )
    assert "Kabupaten Luwu Utara,3,7,2.33,2,67,2,0" in lines
    assert "Kota Makassar,0,0,,0,0,0,0" in lines
    assert len(lines) == 25
    assert client.get(f"/dasbor/provinsi/{province.pk}/other.csv").status_code == 404


@pytest.mark.parametrize(
    "role", ["secretariat", "leadership", "operator", "juror", "neighbour_secretariat"]
)
def test_province_comparison_refused_to_regency_people(client, people, province, role):
    login(client, people[role])
    for url in (
        f"/dasbor/provinsi/{province.pk}/",
        f"/dasbor/provinsi/{province.pk}/comparison.csv",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Kota Makassar" not in response.content.decode()


def test_province_comparison_is_for_provinces(client, people, luwu_utara):
    login(client, people["admin"])
    assert client.get(f"/dasbor/provinsi/{luwu_utara.pk}/").status_code == 404
    assert client.get(f"/dasbor/provinsi/{Region.objects.get(code='73').pk}/").status_code == 200


def _agencies_with_innovations(region, numbers):
    for n in numbers:
        agency = AgencyFactory(region=region, name=f"Dinas Uji Beban {n}")
        make_innovation(agency, f"Beban {n}", initiative_date=datetime.date(YEAR, 1, 1), sdgs=[1])


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["secretariat", "leadership"])
def test_dashboard_queries_do_not_grow_with_agencies(
    client, people, luwu_utara, funnel_world, role, django_assert_max_num_queries
):
    """The same queries with 3 agencies that have an innovation as with 30."""
    login(client, people[role])
    client.get(DASHBOARD)
    _agencies_with_innovations(luwu_utara, range(3))
    few = _queries(client, DASHBOARD, {"tahun": YEAR})
    _agencies_with_innovations(luwu_utara, range(3, 30))
    with django_assert_max_num_queries(few):
        response = client.get(DASHBOARD, {"tahun": YEAR})
    assert "30 of 32 agencies (94 %) have an innovation in 2026." in response.content.decode()


def test_province_queries_do_not_grow(
    client, province, province_secretariat, people, django_assert_max_num_queries
):
    login(client, province_secretariat)
    url = f"/dasbor/provinsi/{province.pk}/"
    client.get(url)
    few = _queries(client, url, {"tahun": YEAR})
    for region in Region.objects.filter(parent=province)[:5]:
        _agencies_with_innovations(region, range(6))
    with django_assert_max_num_queries(few):
        response = client.get(url, {"tahun": YEAR})
    assert response.content.decode().count('<td class="text-end">6</td>') >= 5
