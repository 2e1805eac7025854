"""The public catalogue's endpoints (no sign-in) and the replication requests of signed-in
agencies, over the same selectors and services as the pages."""

import pytest

from siwanda.catalogue.models import CatalogueEntry, ReplicationRequest
from siwanda.innovations.models import Innovation
from tests.catalogue.builders import publish, register, verified_document


@pytest.fixture
def published(people):
    innovation = register(
        people["agency"],
        "Pelayanan Kependudukan Keliling",
        urusan="adminduk",
        goals="Petugas mendatangi desa terpencil untuk perekaman KTP-el.",
        sdgs=[16],
    )
    document = verified_document(innovation, "SK Bupati")
    verified_document(innovation, "Catatan internal")  # verified, but not made public
    publish(innovation, by=people["secretariat"], evidence=[document])
    return innovation


@pytest.fixture
def unpublished(people):
    return register(people["agency"], "Pelayanan Kependudukan Rahasia", urusan="adminduk")


def test_anyone_searches_the_catalogue(as_, published, unpublished):
    body = as_("anonymous").get("/api/catalogue/", {"q": "kependudukn"}).json()
    assert body["count"] == 1
    assert [r["title"] for r in body["results"]] == ["Pelayanan Kependudukan Keliling"]
    assert body["results"][0]["region"] == {"code": "73.22", "name": "Kabupaten Luwu Utara"}
    assert body["results"][0]["url"].endswith(f"/katalog/{published.pk}/")


def test_the_filters_of_the_page_work_in_the_api(as_, published):
    api = as_("anonymous")
    assert api.get("/api/catalogue/", {"urusan": "adminduk", "sdg": 16}).json()["count"] == 1
    assert api.get("/api/catalogue/", {"urusan": "kesehatan"}).json()["count"] == 0
    assert api.get("/api/catalogue/", {"province": "73", "digital": "0"}).json()["count"] == 1


def test_a_bad_filter_is_a_clear_400(as_):
    response = as_("anonymous").get("/api/catalogue/", {"form": "bad", "sdg": 99})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"form", "sdg"}


def test_the_counts_agree_with_the_list(as_, published, people):
    other = register(people["other_agency"], "Rapor Digital", urusan="pendidikan", is_digital=True)
    publish(other, by=people["secretariat"])
    body = as_("anonymous").get("/api/catalogue/facets/").json()
    assert body["total"] == 2
    assert body["counts"]["urusan"] == {"adminduk": 1, "pendidikan": 1}
    assert body["counts"]["digital"] == {"0": 1, "1": 1}
    assert body["counts"]["province"] == {"73": 2}
    assert body["counts"]["sdg"] == {"16": 1}


def test_a_published_innovation_shows_only_public_things(as_, published):
    body = as_("anonymous").get(f"/api/catalogue/{published.pk}/").json()
    assert [d["description"] for d in body["evidence"]] == ["SK Bupati"]
    assert body["replication_count"] == 0
    assert "budget" not in body and "decree_number" not in body and "innovators" not in body


def test_an_unpublished_innovation_is_not_found(as_, unpublished):
    assert as_("anonymous").get(f"/api/catalogue/{unpublished.pk}/").status_code == 404
    assert as_("secretariat").get(f"/api/catalogue/{unpublished.pk}/").status_code == 404


def test_a_replication_goes_through_the_api(as_, published, people):
    api = as_("neighbour_operator")
    created = api.post(
        "/api/replication-requests/",
        {"source": published.pk, "agency": people["neighbour_agency"].pk, "message": "Mohon."},
        format="json",
    )
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    assert created.json()["status"] == "requested"
    # The requester cannot answer for the owner.
    refused = api.post(f"/api/replication-requests/{request_id}/answer/", {"status": "agreed"})
    assert refused.status_code == 403
    owner = as_("operator")
    agreed = owner.post(
        f"/api/replication-requests/{request_id}/answer/",
        {"status": "agreed", "text": "Silakan."},
        format="json",
    )
    assert agreed.json()["status"] == "agreed"
    api = as_("neighbour_operator")
    done = api.post(f"/api/replication-requests/{request_id}/complete/", {}, format="json")
    assert done.status_code == 200, done.content
    replica = Innovation.objects.get(pk=done.json()["replica"])
    assert (replica.source_innovation_id, replica.agency_id) == (
        published.pk,
        people["neighbour_agency"].pk,
    )
    assert [m["status"] for m in done.json()["thread"]] == ["requested", "agreed", "replicated"]
    counts = as_("anonymous").get(f"/api/catalogue/{published.pk}/replications/").json()
    assert counts["count"] == 1
    assert counts["replicas"][0]["agency"]["id"] == people["neighbour_agency"].pk
    assert CatalogueEntry.objects.get(pk=published.pk).replication_count == 1


def test_declining_needs_a_reason(as_, published, people):
    request = ReplicationRequest.objects.create(
        source=published,
        agency=people["neighbour_agency"],
        requested_by=people["neighbour_operator"],
        message="Mohon.",
    )
    response = as_("operator").post(
        f"/api/replication-requests/{request.pk}/answer/", {"status": "declined"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"text": ["Say why the request is declined."]}


def test_outsiders_see_no_requests(as_, published, people):
    ReplicationRequest.objects.create(
        source=published,
        agency=people["neighbour_agency"],
        requested_by=people["neighbour_operator"],
        message="Mohon.",
    )
    assert as_("other_operator").get("/api/replication-requests/").json()["count"] == 0
    assert as_("operator").get("/api/replication-requests/").json()["count"] == 1
    assert as_("anonymous").get("/api/replication-requests/").status_code in (401, 403)
