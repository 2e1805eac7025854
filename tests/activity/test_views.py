import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from siwanda.activity.models import ActivityEntry
from siwanda.regions import services
from tests.helpers import assert_constant_queries, login

URL = reverse("activity:region_log", args=["73.22"])


def make_history(people):
    services.agency_update(
        actor=people["secretariat"], agency=people["agency"], short_name="Dinkes"
    )
    services.agency_create(
        actor=people["secretariat"],
        region=people["agency"].region,
        name="Dinas Sosial",
        kind="dinas",
    )
    services.agency_update(
        actor=people["neighbour_secretariat"],
        agency=people["neighbour_agency"],
        short_name="RAHASIA",
    )


def test_the_log_shows_this_regions_entries_only(client, people):
    make_history(people)
    login(client, people["secretariat"])
    page = client.get(URL).content.decode()
    assert "Dinas Sosial" in page and "Dinkes" in page
    assert "RAHASIA" not in page


def test_filter_by_action_and_by_object(client, people):
    make_history(people)
    login(client, people["secretariat"])
    page = client.get(URL, {"action": "agency.created"}).content.decode()
    assert "Dinas Sosial" in page and "Dinkes" not in page
    target = f"regions.agency:{people['agency'].pk}"
    entries = client.get(URL, {"target": target}).context["page"].object_list
    assert [e.action for e in entries] == ["agency.updated"]


def test_a_bad_date_filter_is_ignored_with_a_message(client, people):
    make_history(people)
    login(client, people["secretariat"])
    response = client.get(URL, {"date_from": "31/31/2026"})
    assert response.context["page"].paginator.count == 2
    assert "not valid" in response.content.decode()


def test_export_csv_has_every_entry_with_its_changes(client, people):
    make_history(people)
    login(client, people["secretariat"])
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="aktivitas-73.22.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3
    assert rows[0][:4] == ["Time", "Time zone", "Done by", "Action"]
    assert rows[0] and any('"short_name"' in cell for cell in rows[2])


def test_export_xlsx_follows_the_filters(client, people):
    make_history(people)
    login(client, people["secretariat"])
    response = client.get(URL, {"export": "xlsx", "action": "agency.created"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][5] == "Dinas Sosial"
    assert rows[1][1] == "WITA"


def test_the_log_costs_the_same_queries_for_more_entries(client, people):
    login(client, people["secretariat"])
    make_history(people)
    assert_constant_queries(client, URL, lambda: [make_history_more(people, n) for n in range(10)])


def make_history_more(people, n):
    services.agency_update(actor=people["secretariat"], agency=people["agency"], short_name=f"D{n}")


def test_nobody_edits_entries_through_a_page(client, people):
    make_history(people)
    login(client, people["secretariat"])
    before = list(ActivityEntry.objects.values_list("id", "action"))
    assert client.post(URL, {"action": "forged"}).status_code == 405
    assert list(ActivityEntry.objects.values_list("id", "action")) == before
