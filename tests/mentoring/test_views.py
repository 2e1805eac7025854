"""Mentoring through the pages: a mentor's comment on a section, the authors' reply and
resolution, what a juror never sees, and the secretariat's assignments page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from siwanda.activity.models import ActivityEntry
from siwanda.core.models import Notice
from siwanda.mentoring import services
from siwanda.mentoring.models import Assignment, Comment
from siwanda.proposals import services as proposals
from tests.builders import field, fill
from tests.helpers import login
from tests.test_permission_matrix import MATRIX

SECRET_NOTE = "Tambahkan angka stunting sebelum dan sesudah dapur dibuka."


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def mentored(people, proposal, luwu_utara):
    """The draft of Dinas Kesehatan, whose agency the region's mentor coaches."""
    services.mentor_assign(
        actor=people["secretariat"],
        mentor=people["mentor"],
        region=luwu_utara,
        agency=people["agency"],
    )
    return proposal


@pytest.fixture
def comment(people, mentored):
    return services.comment_add(
        actor=people["mentor"],
        proposal=mentored,
        section=field(mentored, "ringkasan").section,
        text=SECRET_NOTE,
    )


def comment_url(proposal, key="ringkasan"):
    return reverse("mentoring:comment_add", args=[proposal.pk, field(proposal, key).section_id])


def editor(proposal):
    return reverse("proposals:edit", args=[proposal.pk])


def test_a_mentor_comments_on_a_section_and_the_operator_sees_it(client, people, mentored):
    section = field(mentored, "ringkasan").section
    login(client, people["mentor"])
    response = client.post(comment_url(mentored), {"text": f"  {SECRET_NOTE}  "})
    # The mentor goes back to the proposal's page: the editor is for its authors.
    assert response["Location"] == (
        reverse("proposals:detail", args=[mentored.pk]) + f"#section-{section.pk}"
    )
    assert flashed(response) == ["Comment sent to the authors."]
    comment = Comment.objects.get(proposal=mentored)
    assert (comment.section, comment.author, comment.text) == (
        section,
        people["mentor"],
        SECRET_NOTE,
    )
    assert Notice.objects.filter(
        user=people["operator"],
        text="A mentor commented on “Summary” of “Dapur Sehat Atasi Stunting”.",
    ).exists()
    login(client, people["operator"])
    page = client.get(editor(mentored)).content.decode()
    assert "1 mentoring comment is open: see it under its section." in page
    thread = page[page.index(f'id="section-{section.pk}"') :]
    thread = thread[: thread.index("</section>")]
    assert f'<p class="mb-1 text-pre-line">{SECRET_NOTE}</p>' in thread
    assert f"<strong>{people['mentor'].full_name}</strong>" in thread


def test_the_mentor_reads_the_draft_with_the_comment(client, people, comment):
    login(client, people["mentor"])
    page = client.get(reverse("proposals:detail", args=[comment.proposal_id])).content.decode()
    assert SECRET_NOTE in page
    assert "Comment on this section" in page


def test_after_commenting_the_mentor_lands_on_a_page_they_may_open(client, people, mentored):
    login(client, people["mentor"])
    response = client.post(comment_url(mentored), {"text": SECRET_NOTE}, follow=True)
    assert response.status_code == 200
    assert SECRET_NOTE in response.content.decode()


def test_an_empty_comment_is_refused(client, people, mentored):
    login(client, people["mentor"])
    response = client.post(comment_url(mentored), {"text": "   "})
    assert flashed(response) == ["Write the comment."]
    assert not Comment.objects.exists()


def test_a_juror_cannot_open_the_proposal_and_never_sees_the_comment(
    client, people, comment, competition
):
    proposal = comment.proposal
    login(client, people["juror"])
    for name in ("proposals:edit", "proposals:detail", "proposals:check", "proposals:history"):
        response = client.get(reverse(name, args=[proposal.pk]))
        assert response.status_code in (403, 404), name
        assert SECRET_NOTE not in response.content.decode()
    refused = client.post(comment_url(proposal), {"text": "Juri ikut berkomentar"})
    assert refused.status_code in (403, 404)
    # Every page the juror may open, as the permission matrix lists them.
    world = {
        **people,
        "competition": competition,
        "proposal": proposal,
        "innovation": proposal.innovation,
        "version": proposal.form_version,
        "section": comment.section,
    }
    opened = []
    for name, (kwargs, expected, _secret) in MATRIX.items():
        if expected["juror"] != "ok":
            continue
        response = client.get(reverse(name, kwargs=kwargs(world)))
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET_NOTE not in body.decode(), name
        opened.append(name)
    assert "competitions:detail" in opened and "core:notices" in opened
    assert Comment.objects.count() == 1


def test_the_operator_replies_and_resolves(client, people, comment):
    proposal = comment.proposal
    login(client, people["operator"])
    response = client.post(
        reverse("mentoring:comment_reply", args=[comment.pk]),
        {"text": "Sudah kami tambahkan di paragraf kedua."},
    )
    assert response["Location"] == editor(proposal) + f"#section-{comment.section_id}"
    assert flashed(response) == ["Reply sent."]
    reply = Comment.objects.get(parent=comment)
    assert (reply.author, reply.section) == (people["operator"], comment.section)
    assert Notice.objects.filter(
        user=people["mentor"], text="New reply about “Summary” of “Dapur Sehat Atasi Stunting”."
    ).exists()
    page = client.get(editor(proposal)).content.decode()
    assert "Sudah kami tambahkan di paragraf kedua." in page
    resolved = client.post(
        reverse("mentoring:comment_resolve", args=[comment.pk]), {"resolved": "1"}
    )
    assert flashed(resolved) == ["Marked as resolved."]
    comment.refresh_from_db()
    assert comment.resolved_by == people["operator"] and comment.resolved_at is not None
    page = client.get(editor(proposal)).content.decode()
    assert '<span class="badge text-bg-success">resolved</span>' in page
    assert "mentoring comment is open" not in page
    assert ">Reopen</button>" in page
    reopened = client.post(
        reverse("mentoring:comment_resolve", args=[comment.pk]), {"resolved": "0"}
    )
    assert flashed(reopened) == ["Reopened."]
    comment.refresh_from_db()
    assert comment.resolved_at is None


def test_an_empty_reply_is_refused(client, people, comment):
    login(client, people["operator"])
    response = client.post(reverse("mentoring:comment_reply", args=[comment.pk]), {"text": ""})
    assert flashed(response) == ["Write the reply."]
    assert Comment.objects.count() == 1


def test_comments_on_a_sent_proposal_lead_back_to_its_page(client, people, comment):
    proposal = comment.proposal
    fill(proposal, people["operator"])
    proposals.proposal_send(actor=people["operator"], proposal=proposal)
    login(client, people["head"])
    response = client.post(
        reverse("mentoring:comment_reply", args=[comment.pk]), {"text": "Terima kasih."}
    )
    assert response["Location"] == (
        reverse("proposals:detail", args=[proposal.pk]) + f"#section-{comment.section_id}"
    )


# --- Assignments ---------------------------------------------------------------------------------


def assignments_url():
    return reverse("mentoring:assignments", args=["73.22"])


def test_a_mentor_is_assigned_an_agency(client, people):
    login(client, people["secretariat"])
    response = client.post(
        assignments_url(), {"mentor": people["mentor"].pk, "agency": people["agency"].pk}
    )
    assert response["Location"] == assignments_url()
    assert flashed(response) == ["Mentor assigned."]
    assignment = Assignment.objects.get()
    assert (assignment.mentor, assignment.agency, assignment.proposal) == (
        people["mentor"],
        people["agency"],
        None,
    )
    page = client.get(assignments_url()).content.decode()
    assert f"<span>{people['mentor'].full_name} → Dinas Kesehatan</span>" in page


def test_a_mentor_is_assigned_one_proposal(client, people, proposal):
    login(client, people["secretariat"])
    client.post(assignments_url(), {"mentor": people["mentor"].pk, "proposal": proposal.pk})
    assignment = Assignment.objects.get()
    assert assignment.proposal == proposal and assignment.agency is None
    page = client.get(assignments_url()).content.decode()
    assert f"<span>{people['mentor'].full_name} → Dapur Sehat Atasi Stunting</span>" in page


@pytest.mark.parametrize("both", [True, False])
def test_an_agency_or_a_proposal_but_not_both(client, people, proposal, both):
    login(client, people["secretariat"])
    data = {"mentor": people["mentor"].pk}
    if both:
        data |= {"agency": people["agency"].pk, "proposal": proposal.pk}
    response = client.post(assignments_url(), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<p class="mb-0">Choose either an agency or one proposal.</p>' in page
    assert f'<option value="{people["mentor"].pk}" selected>' in page
    assert not Assignment.objects.exists()


def test_only_the_regions_mentors_can_be_chosen(client, people):
    login(client, people["secretariat"])
    response = client.post(
        assignments_url(), {"mentor": people["juror"].pk, "agency": people["agency"].pk}
    )
    assert (
        "Select a valid choice. That choice is not one of the available choices."
        in response.content.decode()
    )
    assert not Assignment.objects.exists()


def test_an_assignment_is_removed(client, people, mentored):
    assignment = Assignment.objects.get()
    login(client, people["secretariat"])
    response = client.post(assignments_url(), {"remove": assignment.pk})
    assert response["Location"] == assignments_url()
    assert flashed(response) == ["Assignment removed."]
    assert not Assignment.objects.exists()
    assert ActivityEntry.objects.filter(action="mentor.unassigned").count() == 1
    page = client.get(assignments_url()).content.decode()
    assert "No mentor is assigned yet." in page
    # Without the assignment the mentor no longer reads the draft.
    login(client, people["mentor"])
    assert client.get(reverse("proposals:detail", args=[mentored.pk])).status_code in (403, 404)
