"""The public results API: a competition's published results (/api/results/{id}/) and the
verification of a certificate (/api/certificates/{code}/), open to everyone and showing nothing
beyond the public page: the winners and special categories, never the other proposals' scores,
the jurors or the moderation notes.

The world is the judged stage of test_api_judging, finished through the services: every sheet
submitted, the stage closed, the flagged proposal moderated, the Top 3 applied, a special
category chosen, the results published and then corrected.
"""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema

from siwanda.judging import services
from siwanda.judging.models import Assignment
from siwanda.results import services as results
from siwanda.results.models import Certificate
from tests.api.conftest import make_competition
from tests.api.test_api_judging import JURORS, build_judging, score_all

MODERATION_NOTE = "Sepakat, nilai tetap"
RECUSAL_REASON = "Adik saya inovatornya"


def build_results(people, region) -> dict:
    world = build_judging(people, region)
    stage, secretariat = world["stage"], world["secretariat"]
    competition, proposals = world["competition"], world["proposals"]
    for index, proposal in enumerate(proposals):
        assignment = Assignment.objects.get(stage=stage, juror=world["me"], proposal=proposal)
        score_all(world["me"], "me", assignment, index, world["criteria"])
    services.stage_close(actor=secretariat, stage=stage)
    for moderation in stage.moderations.all():
        services.moderation_decide(
            actor=world["chair"],
            moderation=moderation,
            consensus=None,
            justification=MODERATION_NOTE,
        )
    services.outcomes_stage(actor=secretariat, stage=stage)
    services.outcomes_apply(actor=secretariat, stage=stage)
    services.special_award_add(
        actor=secretariat,
        competition=competition,
        proposal=proposals[5],
        name="Kategori Partisipatif",
        name_en="Participatory category",
        reason="Warga terlibat sejak awal",
    )
    withdrawn = services.special_award_add(
        actor=secretariat,
        competition=competition,
        proposal=proposals[4],
        name="Kategori Kolaboratif",
        name_en="Collaborative category",
        reason="Bermitra dengan swasta",
    )
    results.results_publish(actor=secretariat, competition=competition)
    # A correction that takes an award away revokes its certificate.
    services.special_award_remove(actor=secretariat, award=withdrawn)
    current = results.results_publish(
        actor=secretariat, competition=competition, reason="Dicabut oleh koreksi"
    )
    revoked = Certificate.objects.get(proposal=proposals[4], kind=Certificate.Kind.SPECIAL)
    return {**world, "publication": current, "revoked": revoked}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    from siwanda.regions.models import Region
    from tests.builders import make_people

    with django_db_blocker.unblock(), transaction.atomic():
        region = Region.objects.get(code="73.22")
        people = make_people(region, Region.objects.get(code="73.24"))
        yield build_results(people, region)
        transaction.set_rollback(True)


@pytest.fixture
def people(world):
    """Everyone of the world, for the API client fixture `as_` (tests/api/conftest.py)."""
    return world


def results_url(competition):
    return f"/api/results/{competition.pk}/"


def certificate_url(code):
    return f"/api/certificates/{code}/"


# --- Published results ----------------------------------------------------------------------


def test_anyone_reads_the_winners_and_how_they_were_chosen(db, world, as_):
    competition, proposals = world["competition"], world["proposals"]
    response = as_("anonymous").get(results_url(competition))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["competition"] == {
        "id": competition.pk,
        "name": "KIPP Uji Penjurian",
        "year": competition.year,
        "level": "regency",
        "region": "Kabupaten Luwu Utara",
    }
    publication = world["publication"]
    assert (body["publication"]["number"], body["publication"]["reason"]) == (
        2,
        "Dicabut oleh koreksi",
    )
    assert body["publication"]["digest"] == publication.digest
    published = datetime.datetime.fromisoformat(body["publication"]["published_at"])
    assert (published, published.utcoffset()) == (
        publication.published_at,
        datetime.timedelta(hours=8),
    )
    assert [e["number"] for e in body["earlier"]] == [1]
    # Top 3 by the mean of the jurors' totals (criteria 70/30, the second 5 points lower).
    assert body["winners"] == [
        {
            "place": 1,
            "title": proposals[0].title,
            "agency": "Dinas Kesehatan",
            "category": "",
            "score": 83.5,
        },
        {
            "place": 2,
            "title": proposals[1].title,
            "agency": "Dinas Pendidikan",
            "category": "",
            "score": 77.25,
        },
        {
            "place": 3,
            "title": proposals[2].title,
            "agency": "Kecamatan Uji 0",
            "category": "",
            "score": 69.3,
        },
    ]
    assert body["special_awards"] == [
        {
            "name": "Participatory category",
            "title": proposals[5].title,
            "agency": "Kecamatan Uji 3",
            "reason": "Warga terlibat sejak awal",
        }
    ]
    [stage] = body["method"]
    assert stage == {
        "name": "Proposal evaluation",
        "weight": 0.0,
        "aggregation": "mean",
        "ranked_by": "raw",
        "criteria": [{"name": "Substance", "weight": 70.0}, {"name": "Delivery", "weight": 30.0}],
        "tie_breakers": ["higher score in the heaviest criterion", "fewer missing scores"],
        "alpha": publication.data["stages"][0]["reliability"]["alpha"],
    }
    assert stage["alpha"] is not None
    assert body["page_url"] == f"http://testserver/hasil/{competition.pk}/"


def test_the_results_show_nothing_of_the_others_nor_of_the_jurors(db, world, as_):
    response = as_("anonymous").get(results_url(world["competition"]))
    content = response.content.decode()
    for loser in (world["proposals"][3], world["proposals"][4]):
        assert loser.title not in content
    for name in JURORS.values():
        assert name not in content
    for secret in (MODERATION_NOTE, RECUSAL_REASON, "severity", "jurors", '"input"'):
        assert secret not in content
    # Only the winners' final scores: the losers' are in the snapshot, never in the answer.
    final = {r["proposal"]: r["score"] for r in world["publication"].data["final"]}
    losers = {final[p.pk] for p in world["proposals"][3:5]}
    assert losers.isdisjoint({w["score"] for w in response.json()["winners"]})


@pytest.mark.parametrize(
    "role", ["operator", "secretariat", "neighbour_secretariat", "juror", "chair", "nobody"]
)
def test_everyone_reads_the_same_results(db, world, as_, role):
    url = results_url(world["competition"])
    public = as_("anonymous").get(url).json()
    response = as_(role).get(url)
    assert response.status_code == 200
    assert response.json() == public


def test_the_results_speak_the_readers_language(db, world, as_):
    body = as_("anonymous").get(results_url(world["competition"]), HTTP_ACCEPT_LANGUAGE="id").json()
    assert body["special_awards"][0]["name"] == "Kategori Partisipatif"
    assert body["method"][0]["name"] == "Penilaian proposal"
    assert [c["name"] for c in body["method"][0]["criteria"]] == ["Substansi", "Penyajian"]


def test_unpublished_or_unknown_results_are_not_found(db, world, as_):
    unpublished = make_competition(world["competition"].region, [], name="KIPP Belum Selesai")
    api = as_("anonymous")
    for url in (results_url(unpublished), f"/api/results/{unpublished.pk + 1000}/"):
        response = api.get(url)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_the_results_cost_the_same_queries_however_many_corrections(db, world, as_):
    url = results_url(world["competition"])
    api = as_("anonymous")
    api.get(url)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    results.results_publish(
        actor=world["secretariat"], competition=world["competition"], reason="Koreksi kedua"
    )
    assert queries() == before
    assert [e["number"] for e in api.get(url).json()["earlier"]] == [2, 1]


# --- Certificate verification -----------------------------------------------------------------


def test_anyone_verifies_a_certificate_by_its_code(db, world, as_):
    competition, proposals = world["competition"], world["proposals"]
    certificate = Certificate.objects.get(proposal=proposals[0])
    for code in (certificate.code, certificate.code.lower()):
        response = as_("anonymous").get(certificate_url(code))
        assert response.status_code == 200, response.content
        body = response.json()
        issued = datetime.datetime.fromisoformat(body.pop("issued_at"))
        assert (issued, issued.utcoffset()) == (certificate.issued_at, datetime.timedelta(hours=8))
        assert body == {
            "code": certificate.code,
            "valid": True,
            "revoked_at": None,
            "revoked_reason": "",
            "award": f"Top 3 KIPP Uji Penjurian {competition.year}",
            "kind": "rank",
            "rank": 1,
            "innovation": proposals[0].title,
            "agency": "Dinas Kesehatan",
            "competition": {
                "id": competition.pk,
                "name": "KIPP Uji Penjurian",
                "year": competition.year,
                "level": "regency",
                "region": "Kabupaten Luwu Utara",
            },
            "results_url": f"http://testserver/hasil/{competition.pk}/",
        }
    special = Certificate.objects.get(proposal=proposals[5])
    body = as_("operator").get(certificate_url(special.code)).json()
    assert (body["kind"], body["rank"], body["award"]) == (
        "special",
        None,
        f"Participatory category KIPP Uji Penjurian {competition.year}",
    )


def test_a_revoked_certificate_says_so(db, world, as_):
    revoked = world["revoked"]
    response = as_("anonymous").get(certificate_url(revoked.code))
    assert response.status_code == 200
    body = response.json()
    assert (body["valid"], body["revoked_reason"]) == (False, "Dicabut oleh koreksi")
    revoked_at = datetime.datetime.fromisoformat(body["revoked_at"])
    assert revoked_at == world["publication"].published_at


@pytest.mark.parametrize("code", ["ZZZZZZZZZZ", "abc"])
def test_an_unknown_code_is_not_found(db, world, as_, code):
    response = as_("anonymous").get(certificate_url(code))
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


# --- OpenAPI ------------------------------------------------------------------------------------


def test_the_public_endpoints_are_described_without_sign_in(db, client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    validate_schema(schema)
    for path in ("/api/results/{id}/", "/api/certificates/{code}/"):
        operation = schema["paths"][path]["get"]
        assert operation["summary"], path
        assert set(operation["responses"]) == {"200", "401", "404", "429"}, path
        assert operation.get("security", [{}]) in ([{}], []), path
    assert {"winners", "special_awards", "method", "earlier"} <= set(
        schema["components"]["schemas"]["PublicResult"]["properties"]
    )
