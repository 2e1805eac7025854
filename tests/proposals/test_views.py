"""The proposal pages: starting one, the editor and its autosave endpoint, the no-JavaScript
section form, uploads, the check page, the PDF, the history, and sending, approving, returning
and withdrawing, the list, and what a failed proposal shows."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from siwanda.competitions.models import CallRecipient, Competition, FormField
from siwanda.core.demo.competitions import PDF
from siwanda.proposals import services
from siwanda.proposals.models import Answer, Attachment, Proposal, Revision
from siwanda.screening import services as screening
from siwanda.screening.models import Review
from tests.builders import (
    competition_from_template,
    field,
    fill,
    innovation_for,
    pdf_upload,
    start_proposal,
)
from tests.factories import AgencyFactory, person_with_role
from tests.helpers import assert_constant_queries, login

WITA = ZoneInfo("Asia/Makassar")


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def wita(moment) -> str:
    local = moment.astimezone(WITA)
    return f"{local.day} {local:%B} {local.year}, {local:%H:%M} WITA"


def edit_url(proposal):
    return reverse("proposals:edit", args=[proposal.pk])


def detail_url(proposal):
    return reverse("proposals:detail", args=[proposal.pk])


def answer_url(proposal, key):
    return reverse("proposals:answer", args=[proposal.pk, field(proposal, key).pk])


def close(competition):
    Competition.objects.filter(pk=competition.pk).update(
        deadline_at=timezone.now() - datetime.timedelta(minutes=1)
    )


@pytest.fixture
def colleague(people):
    """A second operator of Dinas Kesehatan, writing the same proposal."""
    return person_with_role("operator", agency=people["agency"], full_name="Rina Operator")


def sent(proposal, people):
    fill(proposal, people["operator"])
    return services.proposal_send(actor=people["operator"], proposal=proposal)


# --- Starting ------------------------------------------------------------------------------------


def test_a_proposal_starts_from_the_competition_page(client, people, competition, innovation):
    login(client, people["operator"])
    page = client.get(reverse("competitions:detail", args=[competition.pk])).content.decode()
    start = reverse("proposals:create", args=[competition.pk]) + f"?agency={people['agency'].pk}"
    assert f'href="{start}">Write a proposal</a>' in page
    form = client.get(start).content.decode()
    assert f'<option value="{innovation.pk}">Dapur Sehat Atasi Stunting</option>' in form
    response = client.post(
        start, {"innovation": innovation.pk, "group": competition.groups.get(name="Umum").pk}
    )
    proposal = Proposal.objects.get(competition=competition)
    assert response["Location"] == edit_url(proposal)
    assert flashed(response) == [
        "Proposal started. Answers known from the registry are already filled in."
    ]
    editor = client.get(edit_url(proposal)).content.decode()
    goals = field(proposal, "latar_belakang").pk
    assert (
        f'data-version="1" data-type="long_text" data-word-limit="300" '
        f'aria-describedby="count-{goals}">'
        "Balita mendapat makanan bergizi setiap hari di dapur desa.</textarea>"
    ) in editor
    video = field(proposal, "video_url").pk
    assert re.search(rf'name="f{video}"[^>]*value="https://youtu.be/demo"', editor)
    sdgs = field(proposal, "sdgs").pk
    checked = re.findall(rf'name="f{sdgs}" value="(\d+)"[^>]*checked', editor)
    assert checked == ["2", "3"]
    application = field(proposal, "is_application").pk
    assert re.findall(rf'name="f{application}" value="(\w+)"[^>]*checked', editor) == ["tidak"]


def test_a_second_proposal_of_the_same_innovation_is_refused_on_the_form(
    client, people, competition, proposal
):
    login(client, people["operator"])
    response = client.post(
        reverse("proposals:create", args=[competition.pk]),
        {"innovation": proposal.innovation_id, "group": proposal.group_id},
    )
    assert response.status_code == 200
    assert "This innovation already has a proposal in this competition." in (
        response.content.decode()
    )
    assert Proposal.objects.count() == 1


def test_the_start_page_says_when_the_competition_no_longer_accepts(
    client, people, competition, innovation
):
    close(competition)
    login(client, people["operator"])
    page = client.get(reverse("proposals:create", args=[competition.pk])).content.decode()
    assert "This competition is not accepting proposals from your agency now." in page
    assert "Start writing" not in page


# --- The editor ----------------------------------------------------------------------------------


def test_the_editor_shows_questions_word_counts_and_the_deadline_in_wita(client, people, proposal):
    services.answer_save(
        actor=people["operator"],
        proposal=proposal,
        field=field(proposal, "ringkasan"),
        value="Dapur desa memberi makan balita.",
        base_version=0,
    )
    login(client, people["operator"])
    page = client.get(edit_url(proposal)).content.decode()
    summary = field(proposal, "ringkasan").pk
    label = f'<label class="form-label fs-6 fw-semibold" for="f{summary}">'
    assert f"{label}Summary of the innovation <span" in page
    assert f'<span class="word-count" data-count-for="{summary}">5</span> / 200 words' in page
    assert '<h2 class="h5" id="h-' in page and ">2. Summary</h2>" in page
    local = proposal.competition.deadline_at.astimezone(WITA)
    assert f"Deadline {local.day} {local:%B} {local.year} at 23:59 WITA" in page
    assert "The deadline has passed" not in page


def test_the_editor_after_the_deadline_says_so_and_is_read_only(client, people, proposal):
    close(proposal.competition)
    login(client, people["operator"])
    page = client.get(edit_url(proposal)).content.decode()
    assert "The deadline has passed: the proposal can no longer be changed or sent." in page
    assert "Save this section" not in page
    summary = field(proposal, "ringkasan").pk
    assert re.search(rf'<textarea[^>]*name="f{summary}"[^>]*readonly>', page)


def test_a_proposal_no_longer_a_draft_opens_its_page_instead_of_the_editor(
    client, people, proposal
):
    sent(proposal, people)
    login(client, people["operator"])
    response = client.get(edit_url(proposal))
    assert response["Location"] == detail_url(proposal)


# --- Autosave (JSON) -----------------------------------------------------------------------------


def test_autosave_answers_with_the_version_the_time_in_wita_and_the_words(client, people, proposal):
    login(client, people["operator"])
    response = client.post(
        answer_url(proposal, "ringkasan"), {"value": "Satu dua tiga", "base_version": "0"}
    )
    body = response.json()
    answer = Answer.objects.get(proposal=proposal, field=field(proposal, "ringkasan"))
    assert response.status_code == 200
    assert set(body) == {"ok", "version", "saved_at", "saved_label", "words", "editors"}
    assert body["ok"] is True and body["version"] == 1 and body["words"] == 3
    assert body["editors"] == []
    assert datetime.datetime.fromisoformat(body["saved_at"]) == answer.updated_at
    assert body["saved_label"] == wita(answer.updated_at)
    assert body["saved_label"].endswith(" WITA")
    assert answer.value == "Satu dua tiga" and answer.updated_by == people["operator"]


def test_autosave_of_a_number_and_of_sdg_checkboxes(client, people, proposal):
    login(client, people["operator"])
    number = client.post(
        answer_url(proposal, "video_seconds"), {"value": "2,5", "base_version": "0"}
    ).json()
    assert number["ok"] is True and number["words"] is None
    sdgs = client.post(
        answer_url(proposal, "sdgs"), {"value": ["5", "3"], "base_version": "1"}
    ).json()
    assert sdgs["version"] == 2
    values = {
        a.field.key: a.value
        for a in Answer.objects.filter(proposal=proposal).select_related("field")
    }
    assert values["video_seconds"] == 2.5 and values["sdgs"] == [3, 5]


def test_autosave_names_the_others_editing_the_same_section(client, people, proposal, colleague):
    login(client, people["operator"])
    client.post(answer_url(proposal, "contact"), {"value": "Andi", "base_version": "0"})
    login(client, colleague)
    body = client.post(
        answer_url(proposal, "video_seconds"), {"value": "150", "base_version": "0"}
    ).json()
    assert body["editors"] == [people["operator"].full_name]
    presence = client.post(
        reverse("proposals:presence", args=[proposal.pk, field(proposal, "ringkasan").section_id])
    ).json()
    assert presence == {"editors": []}


def test_autosave_conflict_gives_the_other_persons_text_and_name(
    client, people, proposal, colleague
):
    login(client, colleague)
    client.post(answer_url(proposal, "ringkasan"), {"value": "Teks dari Rina", "base_version": "0"})
    answer = Answer.objects.get(proposal=proposal, field=field(proposal, "ringkasan"))
    login(client, people["operator"])
    response = client.post(
        answer_url(proposal, "ringkasan"), {"value": "Teks saya", "base_version": "0"}
    )
    assert response.status_code == 409
    assert response.json() == {
        "ok": False,
        "conflict": True,
        "version": 1,
        "value": "Teks dari Rina",
        "by": "Rina Operator",
        "at": wita(answer.updated_at),
    }
    answer.refresh_from_db()
    assert answer.value == "Teks dari Rina"
    # Keeping one's own text is an explicit choice.
    forced = client.post(
        answer_url(proposal, "ringkasan"),
        {"value": "Teks saya", "base_version": "0", "force": "1"},
    )
    assert forced.status_code == 200 and forced.json()["version"] == 2
    answer.refresh_from_db()
    assert answer.value == "Teks saya"


def test_autosave_from_an_older_tab_of_the_same_person_is_a_conflict(client, people, proposal):
    login(client, people["operator"])
    client.post(answer_url(proposal, "ringkasan"), {"value": "Dari ponsel", "base_version": "0"})
    response = client.post(
        answer_url(proposal, "ringkasan"), {"value": "Dari laptop lama", "base_version": "0"}
    )
    assert response.status_code == 409
    body = response.json()
    assert (body["value"], body["by"], body["version"]) == (
        "Dari ponsel",
        people["operator"].full_name,
        1,
    )
    answer = Answer.objects.get(proposal=proposal, field=field(proposal, "ringkasan"))
    assert answer.value == "Dari ponsel"


def test_autosave_after_the_deadline_is_locked(client, people, proposal):
    close(proposal.competition)
    proposal.competition.refresh_from_db()
    login(client, people["operator"])
    response = client.post(
        answer_url(proposal, "ringkasan"), {"value": "Terlambat", "base_version": "0"}
    )
    assert response.status_code == 423
    assert response.json() == {
        "ok": False,
        "locked": True,
        "error": f"The deadline has passed ({wita(proposal.competition.deadline_at)}). Nothing "
        "new is accepted; ask the secretariat if your agency needs more time.",
    }
    assert not Answer.objects.filter(proposal=proposal, field=field(proposal, "ringkasan"))


def test_autosave_of_a_proposal_sent_for_approval_is_locked(client, people, proposal):
    sent(proposal, people)
    login(client, people["operator"])
    response = client.post(
        answer_url(proposal, "ringkasan"), {"value": "Ubah", "base_version": "1"}
    )
    assert response.status_code == 423
    assert response.json() == {
        "ok": False,
        "locked": True,
        "error": "This proposal is awaiting the agency head's approval and can no longer be "
        "changed.",
    }


def test_autosave_of_a_bad_number_is_a_plain_error(client, people, proposal):
    login(client, people["operator"])
    response = client.post(
        answer_url(proposal, "video_seconds"), {"value": "tiga menit", "base_version": "0"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "locked": False,
        "error": "Enter a number, e.g. 150 or 2.5.",
    }
    assert not Answer.objects.filter(proposal=proposal, field=field(proposal, "video_seconds"))


def test_autosave_of_a_question_of_another_form_is_not_found(client, people, proposal):
    other = FormField.objects.exclude(section__version=proposal.form_version).first()
    login(client, people["operator"])
    response = client.post(
        reverse("proposals:answer", args=[proposal.pk, other.pk]), {"value": "x"}
    )
    assert response.status_code == 404


# --- The section form without JavaScript ---------------------------------------------------------


def section_post(proposal, values: dict) -> dict:
    """The section form of the questions in `values` as the browser sends it: every question of
    the section with its shown answer (f<pk>) and version (v<pk>), `values` typed over them;
    unticked boxes and unchosen options are not sent."""
    section = field(proposal, next(iter(values))).section
    answers = {a.field_id: a for a in Answer.objects.filter(proposal=proposal)}
    data = {}
    for question in section.fields.exclude(type="file"):
        answer = answers.get(question.pk)
        value = values.get(question.key, answer.value if answer else None)
        if value not in (None, []):
            data[f"f{question.pk}"] = [str(v) for v in value] if isinstance(value, list) else value
        elif question.type not in ("single_choice", "multiple_choice", "sdgs"):
            data[f"f{question.pk}"] = ""
        data[f"v{question.pk}"] = str(answer.version if answer else 0)
    return data


def test_a_section_is_saved_in_one_go(client, people, proposal):
    section = field(proposal, "contact").section
    login(client, people["operator"])
    response = client.post(
        reverse("proposals:section", args=[proposal.pk, section.pk]),
        section_post(
            proposal,
            {
                "video_seconds": "150",
                "contact": "  Rina,   0812 3456 ",
                "sdgs": ["3", "4"],
                "declaration": "setuju",
            },
        ),
    )
    assert response["Location"] == edit_url(proposal) + f"#section-{section.pk}"
    assert flashed(response) == ["Section saved."]
    values = {
        a.field.key: a.value
        for a in Answer.objects.filter(proposal=proposal).select_related("field")
    }
    assert values["video_seconds"] == 150
    assert values["contact"] == "Rina, 0812 3456"
    assert values["sdgs"] == [3, 4]
    assert values["declaration"] == "setuju"
    assert values["video_url"] == "https://youtu.be/demo"  # sent unchanged, kept


def test_a_section_save_never_overwrites_a_colleagues_newer_answer(
    client, people, proposal, colleague
):
    section = field(proposal, "contact").section
    stale = section_post(proposal, {"contact": "Andi, 0811", "video_seconds": "120"})
    services.answer_save(
        actor=colleague,
        proposal=proposal,
        field=field(proposal, "contact"),
        value="Rina, 0812",
        base_version=0,
    )
    login(client, people["operator"])
    response = client.post(reverse("proposals:section", args=[proposal.pk, section.pk]), stale)
    [message] = flashed(response)
    assert message.endswith(
        "was changed by Rina Operator meanwhile: your text was not saved over theirs. "
        "Copy it before reloading."
    )
    assert Answer.objects.get(proposal=proposal, field=field(proposal, "contact")).value == (
        "Rina, 0812"
    )
    assert Answer.objects.get(proposal=proposal, field=field(proposal, "video_seconds")).value == (
        120
    )


def test_a_section_conflict_names_the_question_in_the_readers_language(
    client, people, proposal, colleague
):
    section = field(proposal, "contact").section
    stale = section_post(proposal, {"contact": "Andi, 0811"})
    services.answer_save(
        actor=colleague,
        proposal=proposal,
        field=field(proposal, "contact"),
        value="Rina, 0812",
        base_version=0,
    )
    login(client, people["operator"])
    response = client.post(reverse("proposals:section", args=[proposal.pk, section.pk]), stale)
    assert flashed(response) == [
        "“Contact person (name and phone)” was changed by Rina Operator meanwhile: your text "
        "was not saved over theirs. Copy it before reloading."
    ]


def test_a_bad_value_in_a_section_is_named_and_the_rest_is_saved(client, people, proposal):
    section = field(proposal, "contact").section
    login(client, people["operator"])
    response = client.post(
        reverse("proposals:section", args=[proposal.pk, section.pk]),
        section_post(proposal, {"video_seconds": "tiga menit", "contact": "Andi"}),
    )
    assert flashed(response) == ["Length of the video (seconds): Enter a number, e.g. 150 or 2.5."]
    assert Answer.objects.get(proposal=proposal, field=field(proposal, "contact")).value == "Andi"


# --- Title and date ------------------------------------------------------------------------------


def test_the_title_and_date_are_saved(client, people, proposal):
    login(client, people["operator"])
    response = client.post(
        reverse("proposals:header", args=[proposal.pk]),
        {"title": "  Dapur   Sehat Desa ", "implementation_start": "2019-05-01"},
    )
    assert response["Location"] == edit_url(proposal)
    assert flashed(response) == ["Saved."]
    proposal.refresh_from_db()
    assert proposal.title == "Dapur Sehat Desa"
    assert proposal.implementation_start == datetime.date(2019, 5, 1)


def test_an_empty_title_is_refused(client, people, proposal):
    login(client, people["operator"])
    response = client.post(
        reverse("proposals:header", args=[proposal.pk]),
        {"title": "", "implementation_start": "2019-05-01"},
    )
    assert flashed(response) == ["This field is required."]
    proposal.refresh_from_db()
    assert proposal.title == "Dapur Sehat Atasi Stunting"


# --- Uploads -------------------------------------------------------------------------------------


def upload_url(proposal, key):
    return reverse("proposals:attachment_add", args=[proposal.pk, field(proposal, key).pk])


def json_upload(client, proposal, key, upload):
    data = {"file": upload} if upload else {}
    return client.post(upload_url(proposal, key), data, HTTP_ACCEPT="application/json")


def test_a_file_uploaded_by_the_editor_script_answers_json(client, people, proposal):
    login(client, people["operator"])
    response = json_upload(client, proposal, "innovator_decree", pdf_upload("SK Inovator.pdf"))
    attachment = Attachment.objects.get(proposal=proposal)
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"ok", "name", "html"}
    assert body["ok"] is True and body["name"] == "SK Inovator.pdf"
    download = reverse("proposals:attachment_download", args=[attachment.pk])
    assert f'<a href="{download}">SK Inovator.pdf</a>' in body["html"]
    assert reverse("proposals:attachment_remove", args=[attachment.pk]) in body["html"]


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (
            lambda: SimpleUploadedFile("foto.pdf", b"GIF89a" + b"\0" * 64),
            "“foto.pdf” is not an allowed kind of file (its content was checked). Allowed: PDF, "
            "JPEG, PNG, at most 10 MB per file.",
        ),
        (lambda: None, "Choose a file first."),
    ],
)
def test_a_refused_upload_answers_json_with_the_reason(client, people, proposal, upload, error):
    login(client, people["operator"])
    response = json_upload(client, proposal, "innovator_decree", upload())
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": error}
    assert not Attachment.objects.exists()


def test_too_many_files_are_refused(client, people, proposal):
    login(client, people["operator"])
    json_upload(client, proposal, "innovator_decree", pdf_upload())
    response = json_upload(client, proposal, "innovator_decree", pdf_upload("kedua.pdf"))
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "At most 1 file(s) here: remove one first."}
    assert Attachment.objects.count() == 1


def test_a_file_uploaded_by_a_plain_form_goes_back_to_its_question(client, people, proposal):
    login(client, people["operator"])
    question = field(proposal, "evaluation_reports")
    response = client.post(upload_url(proposal, "evaluation_reports"), {"file": pdf_upload()})
    assert response["Location"] == edit_url(proposal) + f"#field-{question.pk}"
    assert flashed(response) == ["File attached."]
    assert Attachment.objects.get(proposal=proposal).field == question


def test_a_file_too_large_keeps_the_editor_working(client, people, proposal):
    FormField.objects.filter(pk=field(proposal, "implementation_statement").pk).update(
        max_size_mb=1
    )
    big = SimpleUploadedFile("besar.pdf", PDF + b"\0" * (1536 * 1024 - len(PDF)))
    login(client, people["operator"])
    response = client.post(
        upload_url(proposal, "implementation_statement"), {"file": big}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(edit_url(proposal))
    assert "“besar.pdf” is 1.5\xa0MB: too large. Allowed: PDF, at most 1 MB per file." in page
    assert "Save this section" in page and 'class="upload-form' in page
    assert not Attachment.objects.exists()


def test_an_attachment_is_removed_and_downloaded(client, people, proposal):
    attachment = services.attachment_add(
        actor=people["operator"],
        proposal=proposal,
        field=field(proposal, "innovator_decree"),
        upload=pdf_upload("SK.pdf"),
    )
    login(client, people["head"])
    download = client.get(reverse("proposals:attachment_download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF
    login(client, people["operator"])
    response = client.post(reverse("proposals:attachment_remove", args=[attachment.pk]))
    assert response["Location"] == edit_url(proposal) + f"#field-{attachment.field_id}"
    assert not Attachment.objects.exists()


# --- Check, PDF, history -------------------------------------------------------------------------


def test_the_check_page_lists_what_is_missing_with_links(client, people, proposal):
    login(client, people["operator"])
    page = client.get(reverse("proposals:check", args=[proposal.pk])).content.decode()
    assert "12 problems to fix before sending" in page
    summary = field(proposal, "ringkasan").pk
    assert (
        '<h2 class="h6 mt-3">Summary</h2>\n<ul class="list-group"><li class="list-group-item '
        'list-group-item-danger">Summary of the innovation: Not answered yet. · '
        f'<a href="{edit_url(proposal)}#field-{summary}">Go to the question</a></li></ul>'
    ) in page
    assert "Decree naming the innovator(s): The file is missing." in page
    assert page.count("Go to the question") == 12
    assert "Everything required" not in page


def test_the_check_page_of_a_complete_proposal(client, people, proposal):
    fill(proposal, people["operator"])
    login(client, people["operator"])
    page = client.get(reverse("proposals:check", args=[proposal.pk])).content.decode()
    assert "Everything required is there and within its limits." in page
    assert "Go to the question" not in page


def test_the_check_page_shows_limits_and_warnings(client, people, proposal):
    fill(proposal, people["operator"])
    summary = field(proposal, "ringkasan")
    answer = Answer.objects.get(proposal=proposal, field=summary)
    services.answer_save(
        actor=people["operator"],
        proposal=proposal,
        field=summary,
        value=" ".join(["kata"] * 201),
        base_version=answer.version,
    )
    Proposal.objects.filter(pk=proposal.pk).update(implementation_start=timezone.localdate())
    login(client, people["operator"])
    page = client.get(reverse("proposals:check", args=[proposal.pk])).content.decode()
    assert "1 problem to fix before sending" in page
    assert "1 point the screening will look at" in page
    assert "Summary of the innovation: 201 words: more than the limit of 200." in page
    assert re.search(r"Implemented for \d+ months before the deadline; at least 12 are", page)


def test_the_pdf_is_a_pdf(client, people, proposal):
    login(client, people["operator"])
    response = client.get(reverse("proposals:pdf", args=[proposal.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="usulan-{proposal.pk}.pdf"'
    assert response.content.startswith(b"%PDF-") and len(response.content) > 1000


def test_the_history_compares_two_moments_word_by_word(client, people, proposal):
    summary = field(proposal, "ringkasan")
    # The answers pre-filled from the registry were saved two hours ago.
    Revision.objects.filter(proposal=proposal).update(
        saved_at=timezone.now() - datetime.timedelta(hours=2)
    )
    first = services.answer_save(
        actor=people["operator"],
        proposal=proposal,
        field=summary,
        value="Dapur desa memberi makan balita",
        base_version=0,
    )
    older = Revision.objects.get(proposal=proposal, field=summary)
    Revision.objects.filter(pk=older.pk).update(
        saved_at=timezone.now() - datetime.timedelta(hours=1)
    )
    services.answer_save(
        actor=people["operator"],
        proposal=proposal,
        field=summary,
        value="Dapur desa memberi susu balita <b>",
        base_version=first.version,
    )
    newer = Revision.objects.filter(proposal=proposal, field=summary).latest("saved_at")
    login(client, people["operator"])
    page = client.get(
        reverse("proposals:history", args=[proposal.pk]), {"a": older.pk, "b": newer.pk}
    ).content.decode()
    assert '<h3 class="h6">Summary of the innovation</h3>' in page
    assert "Dapur desa memberi <del>makan</del><ins>susu</ins> balita<ins> &lt;b&gt;</ins>" in page
    assert page.count('<section class="card card-body mb-2">') == 1


def test_the_history_of_the_same_moment_shows_no_difference(client, people, proposal):
    revision = Revision.objects.filter(proposal=proposal).first()
    login(client, people["operator"])
    page = client.get(
        reverse("proposals:history", args=[proposal.pk]), {"a": revision.pk, "b": revision.pk}
    ).content.decode()
    assert "No difference between these two moments." in page


# --- Sending, approving, returning, withdrawing --------------------------------------------------


def test_sending_an_incomplete_proposal_opens_the_check_page(client, people, proposal):
    login(client, people["operator"])
    response = client.post(reverse("proposals:send", args=[proposal.pk]))
    assert response["Location"] == reverse("proposals:check", args=[proposal.pk])
    assert flashed(response) == [
        "The proposal is not complete: 12 problem(s) to fix first. See “Check my proposal”."
    ]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_send_then_the_head_approves_and_it_shows_submitted(client, people, proposal):
    fill(proposal, people["operator"])
    login(client, people["operator"])
    response = client.post(reverse("proposals:send", args=[proposal.pk]))
    assert response["Location"] == detail_url(proposal)
    assert flashed(response) == ["Sent to the agency head for approval."]
    login(client, people["head"])
    page = client.get(detail_url(proposal)).content.decode()
    assert "Your approval is needed" in page
    response = client.post(reverse("proposals:approve", args=[proposal.pk]))
    assert response["Location"] == detail_url(proposal)
    assert flashed(response) == ["Approved: the proposal is submitted to the competition."]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.approved_by == people["head"]
    login(client, people["operator"])
    page = client.get(detail_url(proposal)).content.decode()
    assert '<span class="badge fs-6 text-bg-success">Submitted</span>' in page
    assert (
        f"submitted {wita(proposal.submitted_at)}, approved by {people['head'].full_name}" in page
    )
    assert "Your approval is needed" not in page


def test_returning_needs_a_comment_that_then_shows_on_the_editor(client, people, proposal):
    sent(proposal, people)
    login(client, people["head"])
    refused = client.post(
        reverse("proposals:return", args=[proposal.pk]), {"comment": "  "}, follow=True
    )
    assert refused.redirect_chain == [(detail_url(proposal), 302)]
    assert "Tell the authors what to change." in refused.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.AWAITING_APPROVAL
    response = client.post(
        reverse("proposals:return", args=[proposal.pk]),
        {"comment": "Tambahkan data stunting 2024."},
    )
    assert flashed(response) == ["Returned to the authors with your comment."]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    login(client, people["operator"])
    page = client.get(edit_url(proposal)).content.decode()
    assert (
        "<strong>Returned by the agency head:</strong> Tambahkan data stunting 2024.</div>" in page
    )


def test_withdrawing_needs_a_reason(client, people, proposal):
    login(client, people["head"])
    refused = client.post(
        reverse("proposals:withdraw", args=[proposal.pk]), {"reason": ""}, follow=True
    )
    assert "Say why the proposal is withdrawn." in refused.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    response = client.post(
        reverse("proposals:withdraw", args=[proposal.pk]), {"reason": "Belum siap tahun ini"}
    )
    assert response["Location"] == detail_url(proposal)
    assert flashed(response) == ["The proposal is withdrawn."]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert proposal.withdraw_reason == "Belum siap tahun ini"
    page = client.get(detail_url(proposal)).content.decode()
    assert "Withdraw this proposal" not in page


# --- The list ------------------------------------------------------------------------------------


@pytest.fixture
def several(people, competition, proposal):
    """Dinas Kesehatan's draft and Dinas Pendidikan's submitted proposal."""
    other = start_proposal(
        competition,
        people["other_operator"],
        innovation_for(people["other_operator"], people["other_agency"], title="Rapor Digital"),
    )
    fill(other, people["other_operator"])
    services.proposal_approve(
        actor=people["secretariat"],
        proposal=services.proposal_send(actor=people["other_operator"], proposal=other),
    )
    return proposal, other


def listed(client, **filters) -> list[str]:
    page = client.get(reverse("proposals:list"), filters).content.decode()
    return re.findall(r'<tr><td><a href="/usulan/\d+/">(.*?)</a>', page)


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({}, ["Rapor Digital", "Dapur Sehat Atasi Stunting"]),
        ({"status": "draft"}, ["Dapur Sehat Atasi Stunting"]),
        ({"status": "submitted"}, ["Rapor Digital"]),
        ({"status": "passed"}, []),
        ({"q": "rapor"}, ["Rapor Digital"]),
        ({"q": "kesehatan"}, ["Dapur Sehat Atasi Stunting"]),
    ],
)
def test_the_list_filters(client, people, several, filters, titles):
    login(client, people["secretariat"])
    assert listed(client, **filters) == titles


def test_the_list_of_one_competition(client, people, several, luwu_utara):
    other = competition_from_template(people["secretariat"], luwu_utara, name="KIPP Lain")
    start_proposal(
        other,
        people["operator"],
        innovation_for(people["operator"], people["agency"], title="Lain"),
    )
    login(client, people["secretariat"])
    assert listed(client, competition=several[0].competition_id) == [
        "Rapor Digital",
        "Dapur Sehat Atasi Stunting",
    ]
    assert listed(client, competition=other.pk) == ["Lain"]


def test_an_operator_lists_only_the_agencys_proposals(client, people, several):
    login(client, people["operator"])
    assert listed(client) == ["Dapur Sehat Atasi Stunting"]


def test_the_head_sees_what_waits_for_approval(client, people, proposal):
    sent(proposal, people)
    login(client, people["head"])
    page = client.get(reverse("proposals:list")).content.decode()
    assert "Waiting for your approval" in page
    assert f'<li><a href="{detail_url(proposal)}">Dapur Sehat Atasi Stunting</a> — Dinas' in page


def test_the_list_costs_the_same_queries_for_more_proposals(client, people, competition, proposal):
    login(client, people["secretariat"])

    def add_rows():
        for _n in range(5):
            agency = AgencyFactory(region=competition.region)
            operator = person_with_role("operator", agency=agency)
            CallRecipient.objects.create(competition=competition, agency=agency)
            start_proposal(
                competition, operator, innovation_for(operator, agency, title=f"P {agency.pk}")
            )

    assert_constant_queries(client, reverse("proposals:list"), add_rows)
    assert_constant_queries(
        client, reverse("proposals:list") + f"?competition={competition.pk}&status=draft", add_rows
    )


# --- A failed proposal ---------------------------------------------------------------------------


@pytest.fixture
def failed(people, proposal):
    """Dinas Kesehatan's proposal failed screening on one checklist item, with 3 days to
    object."""
    submitted = sent(proposal, people)
    services.proposal_approve(actor=people["head"], proposal=submitted)
    Competition.objects.filter(pk=proposal.competition_id).update(
        status=Competition.Status.SCREENING,
        objection_days=3,
        deadline_at=timezone.now() - datetime.timedelta(hours=1),
    )
    item = proposal.competition.checklist.get(order=1)
    screening.screening_decide(
        actor=people["secretariat"],
        proposal=Proposal.objects.get(pk=proposal.pk),
        passed=False,
        checklist={item.pk: {"ok": False, "reason": "SK tidak ditandatangani"}},
        reason="Perbaiki SK.",
    )
    return Proposal.objects.get(pk=proposal.pk)


def test_a_failed_proposal_shows_the_reasons_and_the_objection_form(client, people, failed):
    login(client, people["operator"])
    page = client.get(detail_url(failed)).content.decode()
    until = failed.screening.decided_at + datetime.timedelta(days=3)
    assert "Did not pass." in page
    assert '<p class="mb-1">Perbaiki SK.</p>' in page
    assert (
        "<li>The decree naming the innovators is valid and matches the innovation: "
        "SK tidak ditandatangani</li>"
    ) in page
    assert f"Object to this decision (until {wita(until)})" in page
    assert reverse("screening:objection_submit", args=[failed.pk]) in page


def test_after_the_objection_window_the_form_is_gone(client, people, failed):
    Review.objects.filter(proposal=failed).update(
        decided_at=timezone.now() - datetime.timedelta(days=4)
    )
    login(client, people["operator"])
    page = client.get(detail_url(failed)).content.decode()
    assert "Did not pass." in page
    assert "Object to this decision" not in page
