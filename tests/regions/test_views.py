from django.urls import reverse

from siwanda.activity.models import ActivityEntry
from siwanda.regions.models import Agency
from tests.factories import AgencyFactory, person_with_role
from tests.helpers import assert_constant_queries, login
from tests.spreadsheets import xlsx_upload


def test_agency_list_filters_and_search(client, people, luwu_utara):
    AgencyFactory(region=luwu_utara, name="Kecamatan Masamba", kind="kecamatan")
    AgencyFactory(region=luwu_utara, name="Dinas Lama", is_active=False)
    login(client, people["secretariat"])
    url = reverse("regions:agency_list", args=["73.22"])
    page = client.get(url).content.decode()
    assert "Kecamatan Masamba" in page and "Dinas Kesehatan" in page and "Dinas Lama" not in page
    page = client.get(url, {"kind": "kecamatan"}).content.decode()
    assert "Kecamatan Masamba" in page and "Dinas Kesehatan" not in page
    page = client.get(url, {"status": "inactive"}).content.decode()
    assert "Dinas Lama" in page and "Dinas Kesehatan" not in page
    page = client.get(url, {"q": "masamba"}).content.decode()
    assert "Kecamatan Masamba" in page and "Dinas Pendidikan" not in page


def test_agencies_without_an_operator(client, people):
    login(client, people["secretariat"])
    url = reverse("regions:agency_list", args=["73.22"])
    page = client.get(url, {"without": "operator"}).content.decode()
    # Dinas Kesehatan and Dinas Pendidikan both have an operator in the fixture.
    assert "Dinas Kesehatan" not in page
    AgencyFactory(region=people["agency"].region, name="Dinas Perikanan")
    assert "Dinas Perikanan" in client.get(url, {"without": "operator"}).content.decode()


def test_agency_list_costs_the_same_queries_for_more_agencies(client, people, luwu_utara):
    login(client, people["secretariat"])

    def add_rows():
        for _n in range(15):
            agency = AgencyFactory(region=luwu_utara, parent=people["agency"])
            person_with_role("operator", agency=agency)

    assert_constant_queries(client, reverse("regions:agency_list", args=["73.22"]), add_rows)


def test_region_list_costs_the_same_queries_on_every_page(client, people):
    login(client, people["admin"])
    url = reverse("regions:list")
    assert_constant_queries(client, url + "?kind=province", lambda: None)
    page = client.get(url, {"q": "luwu"}).content.decode()
    assert "Kabupaten Luwu Utara" in page and "Kabupaten Luwu Timur" in page


def test_create_agency_then_see_it(client, people):
    login(client, people["secretariat"])
    response = client.post(
        reverse("regions:agency_create", args=["73.22"]),
        {
            "name": "Dinas Sosial",
            "short_name": "Dinsos",
            "kind": "dinas",
            "code": "",
            "email": "",
            "phone": "",
            "parent": "",
        },
    )
    agency = Agency.objects.get(name="Dinas Sosial")
    assert response.status_code == 302
    assert response["Location"] == reverse("regions:agency_detail", args=[agency.pk])
    assert ActivityEntry.objects.filter(
        action="agency.created", actor=people["secretariat"]
    ).exists()


def test_a_duplicate_agency_keeps_what_was_typed(client, people):
    login(client, people["secretariat"])
    response = client.post(
        reverse("regions:agency_create", args=["73.22"]),
        {
            "name": "Dinas Kesehatan",
            "short_name": "Dinkes-2",
            "kind": "dinas",
            "email": "dinkes2@luwuutarakab.go.id",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Dinkes-2"' in page and 'value="dinkes2@luwuutarakab.go.id"' in page
    assert Agency.objects.filter(name="Dinas Kesehatan", region__code="73.22").count() == 1
    assert response.context["form"].errors["name"]


def test_edit_agency_records_the_change(client, people):
    login(client, people["secretariat"])
    agency = people["agency"]
    client.post(
        reverse("regions:agency_update", args=[agency.pk]),
        {
            "name": "Dinas Kesehatan",
            "short_name": "Dinkes",
            "kind": "dinas",
        },
    )
    agency.refresh_from_db()
    assert agency.short_name == "Dinkes"
    page = client.get(reverse("regions:agency_detail", args=[agency.pk])).content.decode()
    assert "Dinkes" in page and "Short name" in page  # the history shows the change


def test_deactivate_agency_only_by_its_secretariat(client, people):
    agency = people["agency"]
    url = reverse("regions:agency_set_active", args=[agency.pk])
    login(client, people["operator"])
    assert client.post(url, {"active": "0"}).status_code == 403
    login(client, people["neighbour_secretariat"])
    assert client.post(url, {"active": "0"}).status_code == 404
    login(client, people["secretariat"])
    client.post(url, {"active": "0"})
    agency.refresh_from_db()
    assert agency.is_active is False


def test_import_preview_saves_nothing_until_confirmed(client, people):
    login(client, people["secretariat"])
    url = reverse("regions:agency_import", args=["73.22"])
    upload = xlsx_upload(
        [
            ["Nama", "Jenis", "Induk"],
            ["Dinas Sosial", "Dinas", None],
            ["UPT Panti Sosial", "UPT", "Dinas Sosial"],
            ["Rumah Sakit", "hospital", None],
        ]
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert response.context["valid_count"] == 2 and response.context["error_count"] == 1
    assert "Unknown type" in response.content.decode()
    assert not Agency.objects.filter(name="Dinas Sosial").exists()

    response = client.post(url, {"token": response.context["token"]})
    assert response.status_code == 302
    assert Agency.objects.get(name="UPT Panti Sosial").parent.name == "Dinas Sosial"
    assert not Agency.objects.filter(name="Rumah Sakit").exists()
    # The preview cannot be confirmed twice.
    response = client.post(url, {"token": "whatever"})
    assert response.status_code == 302
    assert Agency.objects.filter(name="Dinas Sosial").count() == 1


def test_import_of_a_wrong_file_shows_why(client, people):
    login(client, people["secretariat"])
    url = reverse("regions:agency_import", args=["73.22"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"file": SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\x00\x00")})
    assert response.status_code == 200
    assert ".xlsx" in response.context["form"].errors["file"][0]


def test_import_template_download(client, people):
    login(client, people["secretariat"])
    response = client.get(reverse("regions:agency_import", args=["73.22"]), {"template": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("Name,Type,Parent agency")


def test_region_settings_turn_on_two_factor(client, people, luwu_utara):
    login(client, people["secretariat"])
    client.post(reverse("regions:detail", args=["73.22"]), {"require_admin_2fa": "on"})
    luwu_utara.refresh_from_db()
    assert luwu_utara.require_admin_2fa is True


def test_region_settings_are_not_for_readers(client, people, luwu_utara):
    login(client, people["leadership"])
    response = client.post(reverse("regions:detail", args=["73.22"]), {"require_admin_2fa": "on"})
    assert response.status_code == 403
    luwu_utara.refresh_from_db()
    assert luwu_utara.require_admin_2fa is False
