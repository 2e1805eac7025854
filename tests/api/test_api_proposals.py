"""The proposals' API: /api/proposals/, answers, files and the approval flow, with every role
that may and may not, the deadline, the quotas and the mentoring that must never show."""

import datetime

import pytest
from django.utils import timezone

from siwanda.accounts.models import Role
from siwanda.competitions.models import Competition, DeadlineExtension
from siwanda.mentoring.models import Assignment, Comment
from siwanda.proposals import services
from siwanda.proposals.models import Answer, Attachment, Proposal
from tests.api.conftest import (
    complete,
    make_competition,
    make_innovation,
    make_proposal,
    pdf,
    renamed_exe,
)
from tests.factories import person_with_role
from tests.helpers import assert_constant_queries

LIST = "/api/proposals/"
TITLE = "Kampung Donor Darah Penyelamat Jiwa"
# Those who may see a proposal of Dinas Kesehatan, and those who may not even know it exists.
READERS = ["admin", "secretariat", "operator", "head"]
STRANGERS = ["other_operator", "neighbour_secretariat", "neighbour_operator", "juror"]


def url(proposal, action=""):
    return f"/api/proposals/{proposal.pk}/" + (f"{action}/" if action else "")


def answer_url(proposal, key):
    return url(proposal, f"answers/{key}")


def file_url(proposal, key="decree"):
    return url(proposal, f"attachments/{key}")


def question(body, key):
    return next(q for s in body["sections"] for q in s["questions"] if q["key"] == key)


def close(competition):
    """The deadline (and its grace period) passed an hour ago."""
    Competition.objects.filter(pk=competition.pk).update(
        deadline_at=timezone.now() - datetime.timedelta(hours=1), grace_minutes=0
    )


# --- Create --------------------------------------------------------------------------------------


def test_operator_starts_a_proposal_prefilled_from_the_registry(
    as_, people, competition, innovation
):
    data = {
        "competition": competition.pk,
        "innovation": innovation.pk,
        "group": competition.groups.get().pk,
    }
    response = as_("operator").post(LIST, data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    proposal = Proposal.objects.get(pk=body["id"])
    assert (proposal.agency, proposal.created_by, proposal.status) == (
        people["agency"],
        people["operator"],
        "draft",
    )
    assert (body["title"], body["status"], body["open"]) == (TITLE, "draft", True)
    assert body["innovation"] == {"id": innovation.pk, "title": TITLE}
    assert body["group"] == {"id": proposal.group_id, "name": "General"}
    assert body["competition"]["year"] == competition.year
    assert body["permissions"] == {"change": True, "approve": False, "withdraw": True}
    # The deadline, ISO, in the organiser's zone (Luwu Utara: WITA, UTC+8).
    deadline = datetime.datetime.fromisoformat(body["deadline"])
    assert deadline == competition.deadline_at
    assert deadline.utcoffset() == datetime.timedelta(hours=8)
    assert body["form_version"]["number"] == 1
    [section] = body["sections"]
    assert (section["title"], section["word_limit"]) == ("Summary", 100)
    assert [q["key"] for q in section["questions"]] == [
        "summary",
        "sdgs",
        "scope",
        "video_seconds",
        "decree",
    ]
    sdgs = question(body, "sdgs")
    assert (sdgs["type"], sdgs["value"], sdgs["version"]) == ("sdgs", [3], 1)
    scope = question(body, "scope")
    assert scope["label"] == "Scope"
    assert scope["choices"] == [
        {"value": "kab", "label": "Regency"},
        {"value": "kec", "label": "District"},
    ]
    assert (scope["value"], scope["version"], scope["required"]) == (None, 0, True)
    summary = question(body, "summary")
    assert (summary["type"], summary["word_limit"]) == ("long_text", 50)
    decree = question(body, "decree")
    assert (decree["allowed_types"], decree["max_files"], decree["attachments"]) == (
        ["pdf"],
        1,
        [],
    )


def test_the_deadline_is_the_agencys_own(as_, people, proposal):
    until = proposal.competition.deadline_at + datetime.timedelta(days=3)
    DeadlineExtension.objects.create(
        competition=proposal.competition, agency=people["agency"], until=until, reason="Banjir"
    )
    body = as_("operator").get(url(proposal)).json()
    assert datetime.datetime.fromisoformat(body["deadline"]) == until


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("secretariat", 403),  # sees the innovation, may not write for the agency
        ("head", 403),
        ("mentor", 403),
        ("other_operator", 400),  # the innovation is not among those they can choose
        ("neighbour_operator", 400),
        ("juror", 400),
        ("anonymous", 403),
    ],
)
def test_only_the_agencys_operators_start_proposals(as_, competition, innovation, role, code):
    data = {
        "competition": competition.pk,
        "innovation": innovation.pk,
        "group": competition.groups.get().pk,
    }
    response = as_(role).post(LIST, data, format="json")
    assert response.status_code == code
    assert not Proposal.objects.exists()


def test_a_competition_out_of_view_is_an_invalid_choice(as_, people, other_regency, innovation):
    elsewhere = make_competition(other_regency, [people["neighbour_agency"]])
    data = {
        "competition": elsewhere.pk,
        "innovation": innovation.pk,
        "group": elsewhere.groups.get().pk,
    }
    response = as_("operator").post(LIST, data, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"competition", "group"}
    assert not Proposal.objects.exists()


def test_an_agency_not_invited_is_refused(as_, people, luwu_utara, innovation):
    other = make_competition(luwu_utara, [people["other_agency"]], name="Kompetisi Pendidikan")
    data = {"competition": other.pk, "innovation": innovation.pk, "group": other.groups.get().pk}
    response = as_("operator").post(LIST, data, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Your agency is not invited to this competition."


def test_quota_per_agency(as_, people, competition, innovation):
    Competition.objects.filter(pk=competition.pk).update(max_entries_per_agency=1)
    client = as_("operator")
    group = competition.groups.get().pk
    first = client.post(
        LIST,
        {"competition": competition.pk, "innovation": innovation.pk, "group": group},
        format="json",
    )
    assert first.status_code == 201
    again = client.post(
        LIST,
        {"competition": competition.pk, "innovation": innovation.pk, "group": group},
        format="json",
    )
    assert again.status_code == 400
    assert again.json()["detail"] == "This innovation already has a proposal in this competition."
    second = make_innovation(people["agency"], title="Sekolah Lapang Iklim")
    over = client.post(
        LIST,
        {"competition": competition.pk, "innovation": second.pk, "group": group},
        format="json",
    )
    assert over.status_code == 400
    quota = "Your agency may enter at most 1 proposal in this competition."
    assert over.json() == {"detail": quota, "errors": {"non_field_errors": [quota]}}
    assert Proposal.objects.count() == 1


def test_no_new_proposal_after_the_deadline(as_, competition, innovation):
    close(competition)
    data = {
        "competition": competition.pk,
        "innovation": innovation.pk,
        "group": competition.groups.get().pk,
    }
    response = as_("operator").post(LIST, data, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The deadline has passed")
    assert not Proposal.objects.exists()


# --- List ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_list_shows_the_proposal_to_its_readers(as_, proposal, role):
    response = as_(role).get(LIST)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["id"], row["title"], row["status"]) == (proposal.pk, TITLE, "draft")
    assert row["agency"] == {"id": proposal.agency_id, "name": "Dinas Kesehatan"}
    assert row["category"] is None


@pytest.mark.parametrize(
    "role", ["other_operator", "neighbour_secretariat", "neighbour_operator", "mentor"]
)
def test_list_shows_nothing_to_others(as_, proposal, role):
    response = as_(role).get(LIST)
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert TITLE not in response.content.decode()


@pytest.mark.parametrize("role", ["juror", "leadership", "nobody", "anonymous"])
def test_list_refuses_those_who_have_no_proposals_page(as_, proposal, role):
    response = as_(role).get(LIST)
    assert response.status_code == 403
    assert TITLE not in response.content.decode()


def test_list_filters(as_, people, competition, proposal):
    second = make_proposal(
        competition,
        make_innovation(people["agency"], title="Sekolah Lapang Iklim"),
        people["operator"],
    )
    Proposal.objects.filter(pk=second.pk).update(status="submitted")
    client = as_("secretariat")

    def ids(query):
        response = client.get(LIST, query)
        assert response.status_code == 200, response.content
        return sorted(row["id"] for row in response.json()["results"])

    assert ids({}) == sorted([proposal.pk, second.pk])
    assert ids({"status": "submitted"}) == [second.pk]
    assert ids({"search": "iklim"}) == [second.pk]
    assert ids({"competition": competition.pk}) == sorted([proposal.pk, second.pk])
    assert client.get(LIST, {"status": "won"}).status_code == 400


def test_list_filter_by_a_competition_out_of_view_is_not_found(as_, people, other_regency):
    elsewhere = make_competition(other_regency, [people["neighbour_agency"]])
    response = as_("secretariat").get(LIST, {"competition": elsewhere.pk})
    assert response.status_code == 404


def test_list_costs_the_same_queries_with_more_rows(as_, people, competition, proposal):
    def add_rows():
        for n in range(4):
            innovation = make_innovation(people["agency"], title=f"Inovasi kesehatan {n}")
            make_proposal(competition, innovation, people["operator"])
            other = make_innovation(people["other_agency"], title=f"Inovasi pendidikan {n}")
            make_proposal(competition, other, people["other_operator"])

    client = as_("secretariat")
    assert_constant_queries(client, LIST, add_rows)
    assert client.get(LIST).json()["count"] == 9


# --- Detail --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STRANGERS)
def test_detail_is_not_found_for_strangers(as_, proposal, role):
    for action in ("", "check"):
        response = as_(role).get(url(proposal, action))
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_detail_refuses_the_anonymous(as_, proposal):
    response = as_("anonymous").get(url(proposal))
    assert response.status_code == 403
    assert TITLE not in response.content.decode()


def test_an_assigned_mentor_reads_it(as_, people, proposal):
    Assignment.objects.create(mentor=people["mentor"], agency=people["agency"])
    response = as_("mentor").get(url(proposal))
    assert response.status_code == 200
    assert response.json()["permissions"] == {"change": False, "approve": False, "withdraw": False}


def test_the_head_may_approve_but_not_change(as_, proposal):
    body = as_("head").get(url(proposal)).json()
    assert body["permissions"] == {"change": False, "approve": True, "withdraw": True}


def test_mentoring_never_shows_in_any_answer(as_, people, proposal):
    """Mentoring comments are for the authors and their mentors, and the API shows them to
    nobody (jurors will read proposals through it)."""
    secret = "Rahasia pendamping: tambahkan data sebelum dan sesudah"
    reply = "Balasan operator yang juga rahasia"
    Assignment.objects.create(mentor=people["mentor"], agency=people["agency"])
    section = proposal.form_version.sections.get()
    comment = Comment.objects.create(
        proposal=proposal, section=section, author=people["mentor"], text=secret
    )
    Comment.objects.create(
        proposal=proposal, section=section, author=people["operator"], parent=comment, text=reply
    )
    for role in ("operator", "head", "mentor", "secretariat", "admin"):
        client = as_(role)
        answers = [
            client.get(LIST),
            client.get(url(proposal)),
            client.get(url(proposal, "check")),
            client.get("/api/schema/"),
        ]
        if role == "operator":
            answers.append(
                client.put(
                    answer_url(proposal, "summary"),
                    {"value": "Donor darah", "base_version": 0},
                    format="json",
                )
            )
        for response in answers:
            assert response.status_code == 200, (role, response.request["PATH_INFO"])
            text = response.content.decode()
            assert secret not in text
            assert reply not in text


# --- Header --------------------------------------------------------------------------------------


def test_operator_changes_the_header(as_, competition, proposal):
    category = competition.categories.get()
    response = as_("operator").patch(
        url(proposal), {"title": "  Kampung   Donor Darah ", "category": category.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Kampung Donor Darah"
    assert body["category"] == {"id": category.pk, "name": "Health"}
    proposal.refresh_from_db()
    assert proposal.implementation_start is not None  # kept: not in the request


def test_a_category_of_another_competition_is_refused(as_, people, luwu_utara, proposal):
    other = make_competition(luwu_utara, [people["agency"]], name="Kompetisi Lain")
    response = as_("operator").patch(
        url(proposal), {"category": other.categories.get().pk}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"category"}


@pytest.mark.parametrize(
    ("role", "code"), [("head", 403), ("secretariat", 403)] + [(r, 404) for r in STRANGERS]
)
def test_others_may_not_change_the_header(as_, proposal, role, code):
    response = as_(role).patch(url(proposal), {"title": "Diubah"}, format="json")
    assert response.status_code == code
    proposal.refresh_from_db()
    assert proposal.title == TITLE


# --- Answers -------------------------------------------------------------------------------------


def test_operator_saves_an_answer(as_, people, proposal):
    client = as_("operator")
    response = client.put(
        answer_url(proposal, "summary"),
        {"value": "Donor darah keliling.", "base_version": 0},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["value"]) == (1, "Donor darah keliling.")
    assert datetime.datetime.fromisoformat(body["saved_at"]) <= timezone.now()
    again = client.put(
        answer_url(proposal, "summary"),
        {"value": "Donor darah tiap bulan.", "base_version": 1},
        format="json",
    )
    assert again.json()["version"] == 2
    answer = Answer.objects.get(proposal=proposal, field__key="summary")
    assert (answer.value, answer.version, answer.updated_by) == (
        "Donor darah tiap bulan.",
        2,
        people["operator"],
    )
    shown = question(client.get(url(proposal)).json(), "summary")
    assert (shown["value"], shown["version"]) == ("Donor darah tiap bulan.", 2)


def test_answers_are_cleaned_by_their_type(as_, proposal):
    client = as_("operator")
    number = client.put(
        answer_url(proposal, "video_seconds"), {"value": "150", "base_version": 0}, format="json"
    )
    assert number.json()["value"] == 150
    sdgs = client.put(
        answer_url(proposal, "sdgs"), {"value": [17, 3, 3], "base_version": 1}, format="json"
    )
    assert sdgs.json()["value"] == [3, 17]
    cleared = client.put(
        answer_url(proposal, "video_seconds"), {"value": None, "base_version": 1}, format="json"
    )
    assert cleared.json()["value"] is None


def test_a_wrong_value_is_a_field_error(as_, proposal):
    response = as_("operator").put(
        answer_url(proposal, "scope"), {"value": "provinsi", "base_version": 0}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"value": ["Choose one of the options."]}
    assert not Answer.objects.filter(field__key="scope").exists()


def test_an_answer_needs_its_base_version(as_, proposal):
    response = as_("operator").put(answer_url(proposal, "summary"), {"value": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"base_version": ["This field is required."]}


def test_an_unknown_question_is_not_found(as_, proposal):
    response = as_("operator").put(
        answer_url(proposal, "budget"), {"value": "1", "base_version": 0}, format="json"
    )
    assert response.status_code == 404


def test_a_file_question_is_not_typed(as_, proposal):
    response = as_("operator").put(
        answer_url(proposal, "decree"), {"value": "x", "base_version": 0}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "This question is not part of the proposal."


def test_an_edit_conflict_returns_the_other_persons_answer(as_, people, proposal):
    colleague = person_with_role(Role.OPERATOR, agency=people["agency"], full_name="Siti Operator")
    fields = {f.key: f for f in proposal.form_version.sections.get().fields.all()}
    services.answer_save(
        actor=colleague,
        proposal=proposal,
        field=fields["summary"],
        value="Versi Siti",
        base_version=0,
    )
    client = as_("operator")
    response = client.put(
        answer_url(proposal, "summary"), {"value": "Versi saya", "base_version": 0}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["version"] == 1
    assert body["current"]["value"] == "Versi Siti"
    assert body["current"]["updated_by"] == "Siti Operator"
    assert body["detail"].startswith("Siti Operator changed this answer at ")
    assert Answer.objects.get(field__key="summary").value == "Versi Siti"
    forced = client.put(
        answer_url(proposal, "summary"),
        {"value": "Versi saya", "base_version": 0, "force": True},
        format="json",
    )
    assert forced.status_code == 200
    assert forced.json()["version"] == 2
    assert Answer.objects.get(field__key="summary").value == "Versi saya"


def test_after_the_deadline_an_answer_is_locked(as_, proposal):
    close(proposal.competition)
    response = as_("operator").put(
        answer_url(proposal, "summary"), {"value": "Terlambat", "base_version": 0}, format="json"
    )
    assert response.status_code == 423
    detail = response.json()["detail"]
    assert detail.startswith("The deadline has passed (")
    assert "WITA" in detail
    assert "ask the secretariat" in detail
    assert not Answer.objects.filter(field__key="summary").exists()
    assert as_("operator").get(url(proposal)).json()["open"] is False


def test_an_extension_reopens_the_agency(as_, people, proposal):
    close(proposal.competition)
    DeadlineExtension.objects.create(
        competition=proposal.competition,
        agency=people["agency"],
        until=timezone.now() + datetime.timedelta(days=1),
        reason="Banjir",
    )
    response = as_("operator").put(
        answer_url(proposal, "summary"), {"value": "Tepat waktu", "base_version": 0}, format="json"
    )
    assert response.status_code == 200


def test_a_sent_proposal_is_locked(as_, people, proposal):
    complete(proposal, people["operator"])
    services.proposal_send(actor=people["operator"], proposal=proposal)
    response = as_("operator").put(
        answer_url(proposal, "summary"), {"value": "Ubah", "base_version": 1}, format="json"
    )
    assert response.status_code == 423
    assert response.json()["detail"] == (
        "This proposal is awaiting the agency head's approval and can no longer be changed."
    )


@pytest.mark.parametrize(
    ("role", "code"),
    [("head", 403), ("secretariat", 403), ("admin", 200), ("anonymous", 403)]
    + [(r, 404) for r in STRANGERS],
)
def test_who_may_save_answers(as_, proposal, role, code):
    response = as_(role).put(
        answer_url(proposal, "summary"), {"value": "Jawaban", "base_version": 0}, format="json"
    )
    assert response.status_code == code
    assert Answer.objects.filter(field__key="summary").exists() is (code == 200)


# --- Attachments ---------------------------------------------------------------------------------


def test_operator_attaches_a_pdf(as_, proposal):
    client = as_("operator")
    response = client.post(file_url(proposal), {"file": pdf("SK Inovator.pdf")}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    attachment = Attachment.objects.get(pk=body["id"])
    assert (body["name"], body["kind"], attachment.field.key) == (
        "SK Inovator.pdf",
        "pdf",
        "decree",
    )
    assert len(body["sha256"]) == 64
    [shown] = question(client.get(url(proposal)).json(), "decree")["attachments"]
    assert shown["id"] == attachment.pk
    download = client.get(shown["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_wrong_file_is_refused_with_a_clear_message(as_, proposal):
    response = as_("operator").post(file_url(proposal), {"file": renamed_exe()}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": [
            "“laporan.pdf” is not an allowed kind of file (its content was checked). "
            "Allowed: PDF, at most 2 MB per file."
        ]
    }
    assert not Attachment.objects.exists()


def test_one_file_at_most(as_, proposal):
    client = as_("operator")
    assert client.post(file_url(proposal), {"file": pdf()}, format="multipart").status_code == 201
    second = client.post(file_url(proposal), {"file": pdf("lagi.pdf")}, format="multipart")
    assert second.status_code == 400
    assert second.json()["errors"] == {"file": ["At most 1 file(s) here: remove one first."]}


def test_a_text_question_takes_no_file(as_, proposal):
    response = as_("operator").post(
        file_url(proposal, "summary"), {"file": pdf()}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["This question does not take files."]}


def test_a_file_needs_a_file(as_, proposal):
    response = as_("operator").post(file_url(proposal), {}, format="multipart")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"file"}


def test_no_file_after_the_deadline(as_, proposal):
    close(proposal.competition)
    response = as_("operator").post(file_url(proposal), {"file": pdf()}, format="multipart")
    assert response.status_code == 423
    assert response.json()["detail"].startswith("The deadline has passed")
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("role", "code"),
    [("head", 403), ("secretariat", 403), ("anonymous", 403)] + [(r, 404) for r in STRANGERS],
)
def test_who_may_attach(as_, proposal, role, code):
    response = as_(role).post(file_url(proposal), {"file": pdf()}, format="multipart")
    assert response.status_code == code
    assert not Attachment.objects.exists()


# --- Check, send, approve, return, withdraw ------------------------------------------------------


def test_check_lists_what_stops_sending(as_, proposal):
    body = as_("operator").get(url(proposal, "check")).json()
    assert body["errors"] == 3
    missing = {(f["question"], f["text"]) for f in body["findings"] if f["severity"] == "error"}
    assert missing == {
        ("summary", "Ringkasan: Not answered yet."),
        ("scope", "Scope: Not answered yet."),
        ("decree", "SK Inovator: The file is missing."),
    }


def test_an_incomplete_proposal_is_not_sent(as_, proposal):
    response = as_("operator").post(url(proposal, "send"))
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The proposal is not complete: 3 problem(s)")
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_the_full_flow(as_, people, competition):
    """Register an innovation, start a proposal, answer, attach, send; the head approves."""
    client = as_("operator")
    created = client.post(
        "/api/innovations/",
        {
            "agency": people["agency"].pk,
            "title": "Ambulans Desa Siaga",
            "form": "public_service",
            "initiator": "agency",
            "stage": "implementation",
            "implementation_date": "2023-01-15",
            "sdgs": [3],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    started = client.post(
        LIST,
        {
            "competition": competition.pk,
            "innovation": created.json()["id"],
            "group": competition.groups.get().pk,
        },
        format="json",
    )
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["implementation_start"] == "2023-01-15"
    assert question(body, "sdgs")["value"] == [3]
    proposal = Proposal.objects.get(pk=body["id"])
    for key, value in (
        ("summary", "Ambulans desa siap antar pasien ke puskesmas."),
        ("scope", "kec"),
    ):
        saved = client.put(
            answer_url(proposal, key), {"value": value, "base_version": 0}, format="json"
        )
        assert saved.status_code == 200, saved.content
    attached = client.post(file_url(proposal), {"file": pdf()}, format="multipart")
    assert attached.status_code == 201, attached.content
    assert client.get(url(proposal, "check")).json()["errors"] == 0

    sent = client.post(url(proposal, "send"))
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "awaiting_approval"
    assert client.post(url(proposal, "approve")).status_code == 403  # not the operator's to do

    approved = as_("head").post(url(proposal, "approve"))
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "submitted"
    assert approved.json()["submitted_at"] is not None
    proposal.refresh_from_db()
    assert (proposal.status, proposal.approved_by) == ("submitted", people["head"])
    frozen = as_("operator").put(
        answer_url(proposal, "summary"), {"value": "x", "base_version": 1}, format="json"
    )
    assert frozen.status_code == 423


@pytest.fixture
def sent(people, proposal):
    complete(proposal, people["operator"])
    return services.proposal_send(actor=people["operator"], proposal=proposal)


def test_the_head_returns_it_with_a_comment(as_, sent):
    empty = as_("head").post(url(sent, "return"), {}, format="json")
    assert empty.status_code == 400
    assert empty.json()["errors"] == {"comment": ["Tell the authors what to change."]}
    response = as_("head").post(url(sent, "return"), {"comment": "Lengkapi data."}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["return_comment"]) == (
        "draft",
        "Lengkapi data.",
    )


def test_a_draft_cannot_be_approved(as_, proposal):
    response = as_("head").post(url(proposal, "approve"))
    assert response.status_code == 400
    assert response.json()["detail"] == "Only a proposal waiting for approval can be approved."


def test_no_approval_after_the_deadline(as_, sent):
    close(sent.competition)
    response = as_("head").post(url(sent, "approve"))
    assert response.status_code == 423
    assert response.json()["detail"].startswith("The deadline has passed")
    sent.refresh_from_db()
    assert sent.status == "awaiting_approval"


def test_the_secretariat_approves_for_a_headless_agency(as_, people, sent):
    assert as_("secretariat").post(url(sent, "approve")).status_code == 403
    people["head"].role_assignments.all().delete()
    assert as_("secretariat").post(url(sent, "approve")).json()["status"] == "submitted"


@pytest.mark.parametrize(
    ("role", "code"),
    [("operator", 403), ("mentor", 404), ("anonymous", 403)] + [(r, 404) for r in STRANGERS],
)
def test_who_may_not_approve_or_return(as_, sent, role, code):
    client = as_(role)
    assert client.post(url(sent, "approve")).status_code == code
    assert client.post(url(sent, "return"), {"comment": "x"}, format="json").status_code == code
    sent.refresh_from_db()
    assert sent.status == "awaiting_approval"


@pytest.mark.parametrize(
    ("role", "code"), [("head", 403), ("anonymous", 403)] + [(r, 404) for r in STRANGERS]
)
def test_who_may_not_send(as_, people, proposal, role, code):
    complete(proposal, people["operator"])
    assert as_(role).post(url(proposal, "send")).status_code == code
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_withdraw_needs_a_reason(as_, proposal):
    client = as_("head")
    empty = client.post(url(proposal, "withdraw"), {}, format="json")
    assert empty.status_code == 400
    assert empty.json()["errors"] == {"reason": ["Say why the proposal is withdrawn."]}
    response = client.post(url(proposal, "withdraw"), {"reason": "Belum siap"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["withdraw_reason"]) == (
        "withdrawn",
        "Belum siap",
    )


@pytest.mark.parametrize(
    ("role", "code"), [("secretariat", 403), ("anonymous", 403)] + [(r, 404) for r in STRANGERS]
)
def test_who_may_not_withdraw(as_, proposal, role, code):
    assert (
        as_(role).post(url(proposal, "withdraw"), {"reason": "x"}, format="json").status_code
        == code
    )
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_a_session_needs_the_csrf_token(people, proposal):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["operator"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.put(
        answer_url(proposal, "summary"), {"value": "x", "base_version": 0}, format="json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Answer.objects.filter(field__key="summary").exists()
