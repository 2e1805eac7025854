"""Administrative screening through the pages: the list of submitted proposals with their
findings and decisions, one proposal's checklist and decision, decisions in bulk, the agency's
objection and its answer, and the overview of the competition."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from siwanda.competitions.models import CallRecipient, Competition
from siwanda.core.models import Notice
from siwanda.proposals import services as proposals
from siwanda.proposals.models import Proposal
from siwanda.screening import services
from siwanda.screening.models import Objection, Review
from tests.builders import competition_from_template, fill, innovation_for, start_proposal
from tests.factories import AgencyFactory, person_with_role
from tests.helpers import assert_constant_queries, login


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def submit(competition, operator, innovation, approver, group="Umum"):
    proposal = start_proposal(competition, operator, innovation, group)
    fill(proposal, operator)
    return proposals.proposal_approve(
        actor=approver, proposal=proposals.proposal_send(actor=operator, proposal=proposal)
    )


def start_screening(competition):
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.SCREENING,
        objection_days=3,
        deadline_at=timezone.now() - datetime.timedelta(hours=1),
    )


@pytest.fixture
def submitted(people, competition, innovation):
    """Dinas Kesehatan's and Dinas Pendidikan's proposals, with near-identical titles, submitted;
    the competition is in screening with 3 days for objections."""
    first = submit(competition, people["operator"], innovation, people["head"])
    second = submit(
        competition,
        people["other_operator"],
        innovation_for(
            people["other_operator"],
            people["other_agency"],
            title="Dapur Sehat Atasi Stunting Desa",
        ),
        people["secretariat"],
    )
    start_screening(competition)
    return [Proposal.objects.get(pk=first.pk), Proposal.objects.get(pk=second.pk)]


def list_url(competition):
    return reverse("screening:list", args=[competition.pk])


def review_url(proposal):
    return reverse("screening:review", args=[proposal.pk])


def listed(client, competition, **filters) -> list[tuple[str, str]]:
    """(title, decision) of each row of the screening list."""
    page = client.get(list_url(competition), filters).content.decode()
    return re.findall(
        r'<td><a href="/usulan/\d+/seleksi/">(.*?)</a>.*?<td>([^<]+)</td>\s*</tr>', page, re.S
    )


# --- The list ------------------------------------------------------------------------------------


def test_the_list_shows_the_findings_after_the_checks_run(client, people, submitted):
    competition = submitted[0].competition
    login(client, people["secretariat"])
    before = client.get(list_url(competition)).content.decode()
    assert before.count("not checked yet") == 2
    response = client.post(reverse("screening:refresh_all", args=[competition.pk]))
    assert response["Location"] == list_url(competition)
    assert flashed(response) == ["The automatic checks ran again for 2 proposals."]
    page = client.get(list_url(competition)).content.decode()
    assert "not checked yet" not in page
    assert page.count('<span class="badge text-bg-warning">1</span>') == 2
    assert (
        "<li>Title nearly identical (100%) to “Dapur Sehat Atasi Stunting Desa” of Dinas "
        "Pendidikan in this competition.</li>"
    ) in page
    assert (
        "<li>Title nearly identical (100%) to “Dapur Sehat Atasi Stunting” of Dinas Kesehatan "
        "in this competition.</li>"
    ) in page


def test_the_list_shows_decisions_and_filters_by_them(client, people, submitted):
    first = submitted[0]
    services.screening_decide(actor=people["secretariat"], proposal=first, passed=True)
    login(client, people["secretariat"])
    competition = first.competition
    assert listed(client, competition) == [
        ("Dapur Sehat Atasi Stunting", "Passed screening"),
        ("Dapur Sehat Atasi Stunting Desa", "Submitted"),
    ]
    assert listed(client, competition, status="passed") == [
        ("Dapur Sehat Atasi Stunting", "Passed screening")
    ]
    assert listed(client, competition, status="submitted") == [
        ("Dapur Sehat Atasi Stunting Desa", "Submitted")
    ]
    assert listed(client, competition, status="failed") == []


def test_the_list_leaves_out_drafts_and_withdrawn_proposals(client, people, submitted):
    competition = submitted[0].competition
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.OPEN, deadline_at=timezone.now() + datetime.timedelta(days=1)
    )
    competition.refresh_from_db()
    draft = start_proposal(
        competition,
        people["operator"],
        innovation_for(people["operator"], people["agency"], title="Masih Draf"),
    )
    proposals.proposal_withdraw(actor=people["head"], proposal=draft, reason="Belum siap")
    login(client, people["secretariat"])
    page = client.get(list_url(competition)).content.decode()
    assert "Masih Draf" not in page
    assert "Decisions can be made once the call is closed and screening has started." in page
    assert 'name="decision" value="pass"' not in page


def test_the_list_costs_the_same_queries_for_more_proposals(client, people, submitted):
    competition = submitted[0].competition
    services.review_refresh_all(actor=people["secretariat"], competition=competition)
    login(client, people["secretariat"])

    def add_rows():
        Competition.objects.filter(pk=competition.pk).update(
            status=Competition.Status.OPEN,
            deadline_at=timezone.now() + datetime.timedelta(days=1),
        )
        competition.refresh_from_db()
        for _n in range(3):
            agency = AgencyFactory(region=competition.region)
            operator = person_with_role("operator", agency=agency)
            CallRecipient.objects.create(competition=competition, agency=agency)
            proposal = submit(
                competition,
                operator,
                innovation_for(operator, agency, title=f"Inovasi nomor {agency.pk}"),
                people["secretariat"],
            )
            services.review_refresh(proposal=proposal)
        start_screening(competition)

    assert_constant_queries(client, list_url(competition), add_rows)


# --- One proposal --------------------------------------------------------------------------------


def test_the_review_page_shows_the_findings_and_the_checklist(client, people, submitted):
    login(client, people["secretariat"])
    page = client.get(review_url(submitted[0])).content.decode()
    assert "Title nearly identical (100%) to “Dapur Sehat Atasi Stunting Desa”" in page
    assert re.findall(r'<legend class="fs-6 mb-1">(.*?)</legend>', page) == [
        "The proposal was sent and approved by the agency head",
        "The decree naming the innovators is valid and matches the innovation",
        "The video plays and lasts at most 3 minutes",
        "The innovation was implemented at least 1 year before the deadline",
        "The answers are not copied from another proposal and answer every question",
    ]
    items = list(submitted[0].competition.checklist.all())
    for item in items:
        assert f'name="item-{item.pk}" value="ok" id="ok-{item.pk}" checked' in page
    assert 'name="decision" value="pass"' in page and 'name="decision" value="fail"' in page


def checklist_post(proposal, failed: dict, **fields) -> dict:
    """Every checklist item met, except `failed` (item order -> reason)."""
    data = dict(fields)
    for item in proposal.competition.checklist.all():
        if item.order in failed:
            data[f"item-{item.pk}"] = "no"
            data[f"reason-{item.pk}"] = failed[item.order]
        else:
            data[f"item-{item.pk}"] = "ok"
    return data


def test_failing_an_item_without_its_reason_keeps_what_was_typed(client, people, submitted):
    proposal = submitted[0]
    decree, video = proposal.competition.checklist.filter(order__in=(1, 2))
    login(client, people["secretariat"])
    response = client.post(
        review_url(proposal),
        checklist_post(
            proposal,
            {1: "", 2: "Video 4 menit"},
            decision="fail",
            reason="Perbaiki lampiran.",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give a reason for each item that is not met." in page
    for item in (decree, video):
        assert f'name="item-{item.pk}" value="no" id="no-{item.pk}" checked' in page
    assert f'name="reason-{video.pk}" value="Video 4 menit"' in page
    assert '<textarea class="form-control mb-3" id="reason" name="reason" rows="3">' in page
    assert "Perbaiki lampiran.</textarea>" in page
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert Review.objects.filter(proposal=proposal, decision="pending").count() == 1


def test_failing_with_reasons_records_them_and_tells_the_agency(client, people, submitted):
    proposal = submitted[0]
    decree = proposal.competition.checklist.get(order=1)
    login(client, people["secretariat"])
    response = client.post(
        review_url(proposal),
        checklist_post(proposal, {1: "SK tidak ditandatangani"}, decision="fail", reason=""),
    )
    assert response["Location"] == list_url(proposal.competition)
    assert flashed(response) == ["Decision recorded; the agency has been told."]
    review = Review.objects.get(proposal=proposal)
    assert review.decision == "failed" and review.decided_by == people["secretariat"]
    assert review.checklist[str(decree.pk)] == {"ok": False, "reason": "SK tidak ditandatangani"}
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.FAILED
    assert Notice.objects.filter(
        user=people["operator"], text__contains="did not pass the administrative screening"
    ).exists()


def test_passing_from_the_review_page(client, people, submitted):
    proposal = submitted[0]
    login(client, people["secretariat"])
    response = client.post(review_url(proposal), checklist_post(proposal, {}, decision="pass"))
    assert response["Location"] == list_url(proposal.competition)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED
    assert Notice.objects.filter(
        user=people["head"],
        text__startswith="“Dapur Sehat Atasi Stunting” passed the administrative screening",
    ).exists()


def test_passing_with_an_unmet_item_is_refused(client, people, submitted):
    proposal = submitted[0]
    login(client, people["secretariat"])
    response = client.post(
        review_url(proposal), checklist_post(proposal, {3: "Terlalu baru"}, decision="pass")
    )
    assert "A proposal with unmet checklist items cannot pass." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_check_again_refreshes_the_findings(client, people, submitted):
    proposal = submitted[0]
    login(client, people["secretariat"])
    client.get(review_url(proposal))
    Review.objects.filter(proposal=proposal).update(findings=[], findings_at=None)
    response = client.post(review_url(proposal), {"refresh": "1"})
    assert response["Location"] == review_url(proposal)
    review = Review.objects.get(proposal=proposal)
    assert [f["code"] for f in review.findings] == ["similar_title"]
    assert review.findings_at is not None


# --- In bulk -------------------------------------------------------------------------------------


def bulk(client, competition, **data):
    return client.post(reverse("screening:decide_bulk", args=[competition.pk]), data)


def test_bulk_pass(client, people, submitted):
    competition = submitted[0].competition
    login(client, people["secretariat"])
    response = bulk(client, competition, proposal=[p.pk for p in submitted], decision="pass")
    assert response["Location"] == list_url(competition)
    assert flashed(response) == ["2 decisions recorded and the agencies told."]
    assert set(Proposal.objects.values_list("status", flat=True)) == {"passed"}


def test_bulk_fail_needs_a_reason(client, people, submitted):
    competition = submitted[0].competition
    login(client, people["secretariat"])
    refused = bulk(client, competition, proposal=[p.pk for p in submitted], decision="fail")
    assert flashed(refused) == ["Give the reason for the failure."]
    assert set(Proposal.objects.values_list("status", flat=True)) == {"submitted"}
    client.get(list_url(competition))  # the message is shown
    response = bulk(
        client,
        competition,
        proposal=[submitted[1].pk],
        decision="fail",
        reason="Berkas tidak dapat dibuka",
    )
    assert flashed(response) == ["1 decision recorded and the agency told."]
    failed = Proposal.objects.get(pk=submitted[1].pk)
    assert failed.status == "failed" and failed.screening.reason == "Berkas tidak dapat dibuka"
    assert Proposal.objects.get(pk=submitted[0].pk).status == "submitted"


def test_bulk_without_ticks_says_so(client, people, submitted):
    login(client, people["secretariat"])
    response = bulk(client, submitted[0].competition, decision="pass")
    assert flashed(response) == ["Tick the proposals first."]


def test_bulk_ignores_proposals_of_another_competition(client, people, submitted, luwu_utara):
    other = competition_from_template(people["secretariat"], luwu_utara, name="KIPP Lain")
    login(client, people["secretariat"])
    response = bulk(client, other, proposal=[submitted[0].pk], decision="pass")
    assert flashed(response) == ["0 decisions recorded and the agencies told."]
    assert Proposal.objects.get(pk=submitted[0].pk).status == "submitted"


# --- Objections ----------------------------------------------------------------------------------


@pytest.fixture
def failed(people, submitted):
    proposal = submitted[0]
    services.screening_decide(
        actor=people["secretariat"], proposal=proposal, passed=False, reason="Video rusak"
    )
    return Proposal.objects.get(pk=proposal.pk)


def test_an_objection_is_sent_and_accepted_through_the_pages(client, people, failed):
    login(client, people["operator"])
    response = client.post(
        reverse("screening:objection_submit", args=[failed.pk]),
        {"text": "Video sudah diunggah ulang dan dapat diputar."},
    )
    assert response["Location"] == reverse("proposals:detail", args=[failed.pk])
    assert flashed(response) == ["Your objection was sent to the secretariat."]
    objection = Objection.objects.get(proposal=failed)
    assert objection.submitted_by == people["operator"] and objection.decision == "pending"
    page = client.get(response["Location"]).content.decode()
    assert "Video sudah diunggah ulang dan dapat diputar.<br>Waiting for the secretariat" in page
    assert "Send the objection" not in page  # one objection at a time
    assert Notice.objects.filter(
        user=people["secretariat"],
        text="Dinas Kesehatan objects to the screening of “Dapur Sehat Atasi Stunting”.",
    ).exists()

    login(client, people["secretariat"])
    review = client.get(review_url(failed)).content.decode()
    assert "Video sudah diunggah ulang dan dapat diputar.</p>" in review
    assert reverse("screening:objection_decide", args=[objection.pk]) in review
    refused = client.post(
        reverse("screening:objection_decide", args=[objection.pk]), {"decision": "accept"}
    )
    assert flashed(refused) == ["Explain the decision to the agency."]
    client.get(review_url(failed))
    response = client.post(
        reverse("screening:objection_decide", args=[objection.pk]),
        {"decision": "accept", "note": "Video sudah sesuai."},
    )
    assert response["Location"] == review_url(failed)
    assert flashed(response) == ["The objection is decided; the decision is final."]
    failed.refresh_from_db()
    assert failed.status == Proposal.Status.PASSED and failed.screening.final
    review = client.get(review_url(failed)).content.decode()
    assert "This decision is final: it was taken after an objection." in review
    assert "Accepted: the proposal passes: Video sudah sesuai." in review
    assert 'name="decision" value="pass"' not in review


def test_a_rejected_objection_keeps_the_failure(client, people, failed):
    objection = services.objection_submit(
        actor=people["head"], proposal=failed, text="Mohon ditinjau"
    )
    login(client, people["secretariat"])
    client.post(
        reverse("screening:objection_decide", args=[objection.pk]),
        {"decision": "reject", "note": "Video tetap rusak."},
    )
    failed.refresh_from_db()
    assert failed.status == Proposal.Status.FAILED and failed.screening.final
    login(client, people["operator"])
    page = client.get(reverse("proposals:detail", args=[failed.pk])).content.decode()
    assert "(final, after an objection)" in page
    assert "Rejected: the failure stands: Video tetap rusak." in page
    assert "Object to this decision" not in page


def test_an_empty_objection_is_refused(client, people, failed):
    login(client, people["operator"])
    response = client.post(reverse("screening:objection_submit", args=[failed.pk]), {"text": " "})
    assert flashed(response) == ["Explain why the proposal should pass."]
    assert not Objection.objects.exists()


def test_an_objection_after_the_window_is_refused(client, people, failed):
    Review.objects.filter(proposal=failed).update(
        decided_at=timezone.now() - datetime.timedelta(days=4)
    )
    login(client, people["operator"])
    response = client.post(
        reverse("screening:objection_submit", args=[failed.pk]), {"text": "Terlambat"}
    )
    assert flashed(response) == ["The objection window is closed."]
    assert not Objection.objects.exists()


# --- The overview --------------------------------------------------------------------------------


def funnel_rows(page, caption) -> dict[str, list[int]]:
    table = page[page.index(f'<caption class="visually-hidden">{caption}</caption>') :]
    table = table[: table.index("</table>")]
    return {
        name: [int(n) for n in re.findall(r'<td class="text-end">(\d+)</td>', cells)]
        for name, cells in re.findall(
            r'<tr><th scope="row" class="fw-normal">(.*?)</th>(.*?)</tr>', table
        )
    }


def test_the_overview_counts_by_group_and_agency_and_names_who_entered_nothing(
    client, people, competition, innovation, luwu_utara
):
    kecamatan = AgencyFactory(region=luwu_utara, name="Kecamatan Masamba", kind="kecamatan")
    puskesmas = AgencyFactory(region=luwu_utara, name="Puskesmas Baebunta", kind="puskesmas")
    for agency in (kecamatan, puskesmas):
        CallRecipient.objects.create(competition=competition, agency=agency)
    camat = person_with_role("operator", agency=kecamatan)
    passed = submit(competition, people["operator"], innovation, people["head"])
    start_proposal(
        competition,
        people["operator"],
        innovation_for(people["operator"], people["agency"], title="Replikasi Dapur"),
        "Replikasi",
    )
    failed = submit(
        competition,
        people["other_operator"],
        innovation_for(people["other_operator"], people["other_agency"], title="Rapor Digital"),
        people["secretariat"],
    )
    start_proposal(competition, camat, innovation_for(camat, kecamatan, title="Camat Keliling"))
    start_screening(competition)
    services.screening_decide(actor=people["secretariat"], proposal=passed, passed=True)
    services.screening_decide(
        actor=people["secretariat"], proposal=failed, passed=False, reason="x"
    )

    login(client, people["secretariat"])
    page = client.get(reverse("screening:overview", args=[competition.pk])).content.decode()
    totals = re.findall(
        r'<div class="fs-3 fw-semibold">(\d+)</div><div class="small">(.*?)</div>', page
    )
    assert totals == [
        ("2", "Drafting"),
        ("0", "Awaiting approval"),
        ("2", "Submitted"),
        ("1", "Passed screening"),
        ("1", "Failed screening"),
    ]
    assert funnel_rows(page, "By group") == {
        "General": [1, 0, 2, 1, 1],
        "Replication": [1, 0, 0, 0, 0],
    }
    assert funnel_rows(page, "By agency") == {
        "Dinas Kesehatan": [1, 0, 1, 1, 0],
        "Dinas Pendidikan": [0, 0, 1, 0, 1],
        "Kecamatan Masamba": [1, 0, 0, 0, 0],
    }
    assert "2 agencies entered nothing this year (One Agency, One Innovation)" in page
    assert "Out of 4 invited agencies." in page
    assert (
        '<ul class="mb-0 columns-md-2"><li>Kecamatan Masamba</li><li>Puskesmas Baebunta</li></ul>'
        in page
    )


def test_the_overview_of_a_competition_without_proposals(client, people, competition):
    login(client, people["secretariat"])
    page = client.get(reverse("screening:overview", args=[competition.pk])).content.decode()
    assert funnel_rows(page, "By group") == {}
    assert page.count("Nothing yet.") == 2
    assert "2 agencies entered nothing this year" in page
