"""Publishing results: the frozen snapshot and what it holds, its immutability in the database,
the proofs (recomputing from the snapshot, replaying the audit trail), corrections with their
certificates carried over or revoked, and what stops a publication."""

import copy
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from siwanda.accounts.models import Role, RoleAssignment
from siwanda.activity.models import ActivityEntry
from siwanda.competitions.models import Competition
from siwanda.core.models import Notice
from siwanda.innovations.models import Award
from siwanda.judging.models import Stage
from siwanda.judging.ranking import final, load, stage_result
from siwanda.results import services as results
from siwanda.results.models import Certificate, Publication
from tests.judging import conftest as judging_fixtures
from tests.judging.conftest import judge_through, regency_stages

# The judging fixtures (tests/judging/conftest.py) serve these tests too.
screened = judging_fixtures.screened
jurors = judging_fixtures.jurors
stages = judging_fixtures.stages


@pytest.fixture
def judged(people, stages, jurors, screened):
    """The competition judged to the end (see `judge_through`): its two stages, the six
    proposals and the five jurors."""
    desk, presentation = judge_through(people["secretariat"], stages, jurors, screened)
    return SimpleNamespace(desk=desk, presentation=presentation, screened=screened, jurors=jurors)


@pytest.fixture
def published(people, competition, judged):
    return results.results_publish(actor=people["secretariat"], competition=competition)


def by_proposal(rows):
    return {row["proposal"]: row for row in rows}


def test_the_snapshot_holds_everything_the_results_rest_on(people, competition, judged, published):
    desk, presentation, jurors = judged.desk, judged.presentation, judged.jurors
    sec = people["secretariat"]
    s = judged.screened
    assert (published.number, published.published_by, published.reason) == (1, sec, "")
    assert published.digest == results.digest_of(published.data)
    data = Publication.objects.get(pk=published.pk).data
    assert data["competition"] == {
        "id": competition.pk,
        "name": competition.name,
        "name_en": competition.name_en,
        "year": competition.year,
        "level": competition.level,
        "region": "Kabupaten Luwu Utara",
    }
    first, second = data["stages"]
    # The methods, weights and tie-breaks of each stage.
    assert (first["id"], first["kind"], first["weight"], first["aggregation"]) == (
        desk.pk,
        "desk",
        40.0,
        "mean",
    )
    assert (first["normalised"], first["advancement"], first["top_n"]) == (False, "top_n", 3)
    assert first["tie_breakers"] == ["heaviest_criterion", "fewer_missing", "chair_vote"]
    assert [c["weight"] for c in first["criteria"]] == [10, 15, 5, 30, 20, 5, 15]
    assert (second["id"], second["weight"], second["top_n"]) == (presentation.pk, 60.0, 2)
    assert [(c["name"], c["weight"]) for c in second["criteria"]] == [
        ("Substansi inovasi", 70.0),
        ("Penyajian dan tanya jawab", 30.0),
    ]
    # Every submitted score, as the ranking read it.
    assert len(first["input"]["sheets"]) == 18 and len(second["input"]["sheets"]) == 6
    assert first["input"] == load(desk).as_json()
    # The rankings, raw and normalised, with the consensus and the outcome.
    ranking = by_proposal(first["ranking"])
    assert ranking[s[2].pk]["score"] == round(184 / 3, 4)
    assert ranking[s[1].pk]["consensus"] == 60 and ranking[s[1].pk]["flagged"]
    assert ranking[s[1].pk]["raw"] == pytest.approx(200 / 3, abs=1e-4)
    assert [ranking[p.pk]["rank"] for p in s] == [6, 5, 4, 3, 2, 1]
    assert [ranking[p.pk]["outcome"] for p in s] == ["stopped"] * 3 + ["advanced"] * 3
    assert set(ranking[s[0].pk]) >= {"raw", "normalised", "rank_raw", "rank_normalised"}
    assert set(first["reliability"]) == {
        "icc_single",
        "icc_average",
        "k",
        "alpha",
        "severity",
        "raw_jurors",
    }
    # The moderation decisions, with who decided.
    [moderation] = first["moderation"]
    assert moderation["proposal"] == s[1].pk
    assert (moderation["consensus"], moderation["justification"]) == (
        "60.00",
        "Pleno: nilai tengah",
    )
    assert moderation["decided_by"] == "Juri 0" and moderation["spread"] == "50.00"
    assert second["moderation"][0]["consensus"] is None
    # The combined result, the winners in their places and the special category.
    assert [(r["proposal"], r["rank"], r["score"]) for r in data["final"]] == [
        (s[3].pk, 1, 71.0),
        (s[4].pk, 2, 70.6),
        (s[5].pk, 3, 60.0),
    ]
    assert data["final"][0]["stages"] == {str(desk.pk): 65.0, str(presentation.pk): 75.0}
    assert data["winners"] == [{"proposal": s[3].pk, "place": 1}, {"proposal": s[4].pk, "place": 2}]
    assert data["special"] == [
        {
            "proposal": s[0].pk,
            "name": "Kategori Partisipatif",
            "name_en": "Participatory category",
            "reason": "Melibatkan warga desa",
        }
    ]
    assert data["proposals"][str(s[3].pk)]["title"] == s[3].title
    assert data["proposals"][str(s[0].pk)]["agency"] == "Dinas Kesehatan"
    assert data["jurors"] == {str(j.pk): j.full_name for j in jurors}


def test_publishing_issues_certificates_writes_awards_and_tells_agencies(
    people, competition, judged, published
):
    s = judged.screened
    assert Competition.objects.get(pk=competition.pk).status == Competition.Status.FINISHED
    certificates = list(published.certificates.order_by("kind", "rank"))
    name = f"{competition.name} {competition.year}"
    assert [(c.proposal_id, c.kind, c.rank, c.name) for c in certificates] == [
        (s[3].pk, "rank", 1, f"Top 2 {name}"),
        (s[4].pk, "rank", 2, f"Top 2 {name}"),
        (s[0].pk, "special", None, f"Kategori Partisipatif {name}"),
    ]
    assert certificates[2].name_en.startswith("Participatory category ")
    assert certificates[0].innovation_title == s[3].title
    assert certificates[2].agency_name == "Dinas Kesehatan"
    codes = [c.code for c in certificates]
    assert len(set(codes)) == 3 and all(len(c) == 10 and c.isalnum() for c in codes)
    assert not set("01IO") & set("".join(codes))
    awards = Award.objects.filter(competition=competition).order_by("title")
    assert sorted((a.innovation_id, a.is_top) for a in awards) == sorted(
        [(s[3].innovation_id, True), (s[4].innovation_id, True), (s[0].innovation_id, False)]
    )
    # The operators and heads of every agency involved hear of it.
    for person in (people["operator"], people["head"], people["other_operator"]):
        assert Notice.objects.filter(user=person, text__contains="are published").count() == 1
    [entry] = ActivityEntry.objects.filter(action="results.published")
    assert entry.actor == people["secretariat"]
    assert entry.data == {"publication": 1, "digest": published.digest, "reason": ""}


def test_a_publication_never_changes(published):
    before = Publication.objects.get(pk=published.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        Publication.objects.filter(pk=published.pk).update(reason="diubah")
    with pytest.raises(DatabaseError), transaction.atomic():
        published.data["final"][0]["score"] = 99
        published.save()
    after = Publication.objects.get(pk=published.pk)
    assert (after.reason, after.data, after.digest) == (before.reason, before.data, before.digest)
    assert results.digest_of(after.data) == after.digest


def test_the_snapshot_recomputes_to_the_published_ranking(published):
    check = results.publication_recompute(published)
    assert (check.same, check.differences) == (True, [])
    # A snapshot altered after the fact does not: neither its digest nor its ranking.
    forged = Publication(
        competition=published.competition,
        number=published.number,
        data=copy.deepcopy(published.data),
        digest=published.digest,
        published_at=published.published_at,
    )
    forged.data["final"][0]["score"] = 99.0
    check = results.publication_recompute(forged)
    assert not check.same
    assert check.differences[0] == "The snapshot does not match its digest."
    assert len(check.differences) == 2


def test_the_audit_trail_replays_to_the_same_ranking(judged, published):
    screened = judged.screened
    check = results.publication_replay(published)
    assert (check.same, check.differences) == (True, [])
    # The replay rebuilds each score from the log: with a ranking that the logged sheets do
    # not give, it says where.
    forged = Publication(
        competition=published.competition,
        number=published.number,
        data=copy.deepcopy(published.data),
        digest=published.digest,
        published_at=published.published_at,
    )
    for stage in forged.data["stages"]:
        for row in stage["ranking"]:
            if row["proposal"] == screened[2].pk:
                row["score"] = 60.0
    check = results.publication_replay(forged)
    assert check.differences == [
        f"“{screened[2].pk}”: published rank (4, 60.0), recomputed (4, {round(184 / 3, 4)})"
    ]


def test_the_replay_reads_the_log_not_the_tables(judged, published):
    """Scores changed in the tables behind the log's back are not what the replay finds."""
    screened = judged.screened
    from siwanda.judging.models import Score

    Score.objects.filter(sheet__assignment__proposal=screened[5]).update(value=10)
    assert results.publication_replay(published).same
    assert results.publication_recompute(published).same
    fresh = results.publication_data(published.competition)
    assert by_proposal(fresh["stages"][0]["ranking"])[screened[5].pk]["score"] == 10.0


def test_a_correction_is_a_new_logged_snapshot_and_certificates_follow_it(
    people, competition, judged, published
):
    sec = people["secretariat"]
    s, jurors = judged.screened, judged.jurors
    with pytest.raises(ValidationError) as refused:
        results.results_publish(actor=sec, competition=competition, reason=" ")
    assert "reason" in refused.value.message_dict
    old = {c.kind + str(c.rank): c for c in published.certificates.all()}
    # After publication Juri 1 turns out to work in the Kecamatan that proposed screened[3]:
    # their scores for it no longer count, screened[3] falls to 62 combined, behind screened[4].
    agency = s[3].agency
    RoleAssignment.objects.create(
        user=jurors[1], role=Role.OPERATOR, region=agency.region, agency=agency
    )
    correction = results.results_publish(
        actor=sec, competition=competition, reason="Juri 1 berkonflik dengan Kecamatan 1"
    )
    assert correction.number == 2 and correction.reason == "Juri 1 berkonflik dengan Kecamatan 1"
    assert Publication.objects.filter(competition=competition).count() == 2
    assert Publication.objects.get(pk=published.pk).data == published.data
    data = correction.data
    assert [(r["proposal"], r["rank"], r["score"]) for r in data["final"]] == [
        (s[4].pk, 1, 70.6),
        (s[3].pk, 2, 62.0),
        (s[5].pk, 3, 60.0),
    ]
    assert [jurors[1].pk, s[3].pk] in data["stages"][1]["input"]["excluded"]
    assert data["winners"] == [{"proposal": s[4].pk, "place": 1}, {"proposal": s[3].pk, "place": 2}]
    # The places changed: both ranked certificates are revoked and issued again; the special
    # category did not: its certificate stays valid, on the first publication.
    for key in ("rank1", "rank2"):
        revoked = Certificate.objects.get(pk=old[key].pk)
        assert revoked.revoked_at == correction.published_at
        assert revoked.revoked_reason == "Juri 1 berkonflik dengan Kecamatan 1"
    special = Certificate.objects.get(pk=old["specialNone"].pk)
    assert special.revoked_at is None and special.publication == published
    issued = list(correction.certificates.order_by("rank"))
    assert [(c.proposal_id, c.rank) for c in issued] == [(s[4].pk, 1), (s[3].pk, 2)]
    assert not {c.code for c in issued} & {c.code for c in old.values()}
    valid = Certificate.objects.filter(publication__competition=competition, revoked_at=None)
    assert valid.count() == 3
    [entry] = ActivityEntry.objects.filter(action="results.corrected")
    assert entry.data == {
        "publication": 2,
        "digest": correction.digest,
        "reason": "Juri 1 berkonflik dengan Kecamatan 1",
    }
    notice = Notice.objects.filter(user=people["operator"], text__contains="were corrected")
    assert notice.get().text.endswith("Juri 1 berkonflik dengan Kecamatan 1")
    # Both snapshots keep their proofs.
    for publication in (published, correction):
        assert results.publication_recompute(publication).same
        assert results.publication_replay(publication).same
    assert results.current_publication(competition) == correction
    # The awards in the innovations' history follow the correction.
    assert Award.objects.filter(competition=competition).count() == 3


def test_a_correction_with_nothing_changed_keeps_every_certificate(people, competition, published):
    before = set(published.certificates.values_list("code", flat=True))
    correction = results.results_publish(
        actor=people["secretariat"], competition=competition, reason="Salah cetak nama"
    )
    assert correction.data == published.data
    assert correction.digest == published.digest
    assert not correction.certificates.exists()
    assert set(Certificate.objects.filter(revoked_at=None).values_list("code", flat=True)) == before


def test_what_stops_a_publication(people, competition, luwu_utara):
    from tests.builders import competition_from_template

    bare = competition_from_template(people["secretariat"], luwu_utara, name="KIPP Kosong")
    assert results.publish_problems(bare) == [
        "The competition has no judging stage.",
        "The competition is not being judged.",
    ]
    regency_stages(people["secretariat"], bare)
    assert results.publish_problems(bare) == [
        "The outcomes of the last stage are not applied yet.",
        "The competition is not being judged.",
    ]
    with pytest.raises(ValidationError) as refused:
        results.results_publish(actor=people["secretariat"], competition=bare)
    assert len(refused.value.messages) == 2
    assert not Publication.objects.exists()


def test_only_the_organiser_publishes(people, competition, judged):
    for role in ("neighbour_secretariat", "juror", "operator", "leadership"):
        with pytest.raises(PermissionDenied):
            results.results_publish(actor=people[role], competition=competition)
    competition.refresh_from_db()
    assert results.publish_problems(competition) == []
    assert not Publication.objects.exists()


def test_the_published_stage_rankings_match_the_live_ones(judged, published):
    desk, presentation = judged.desk, judged.presentation
    for stage_data, stage in zip(published.data["stages"], (desk, presentation), strict=True):
        live = stage_result(Stage.objects.get(pk=stage.pk))
        assert [(r["proposal"], r["rank"]) for r in stage_data["ranking"]] == [
            (r.proposal, r.rank) for r in live.rows
        ]
    rows = final([load(desk), load(presentation)], {desk.pk: 40.0, presentation.pk: 60.0})
    assert [r["proposal"] for r in published.data["final"]] == [r.proposal for r in rows]
    table = results.winners_table(published)
    assert [(r["place"], r["special"]) for r in table] == [
        (1, ""),
        (2, ""),
        (None, "Kategori Partisipatif"),
    ]
    assert table[0]["score"] == 71.0 and table[2]["reason"] == "Melibatkan warga desa"
