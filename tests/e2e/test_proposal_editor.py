"""The proposal editor never loses a word: every question saves itself as the person types,
text typed without a connection is kept in the browser and saved when the connection returns
(or offered back when the editor is opened again), two people writing the same answer both see
both texts, and a refused file leaves everything else on the page as it was.

The editor's texts are translated: the tests read them from the page's data-msg-* attributes
instead of spelling them out."""

import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from siwanda.core.text import count_words
from tests.e2e.conftest import PHONE, assert_accessible, assert_fits_phone, log_in
from tests.e2e.proposal_fixtures import (
    answer_value,
    draft_proposal,
    field_of,
    open_competition,
    second_operator,
)

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 512
PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
LOCAL_COPIES = (
    "Object.keys(localStorage).filter((key) => key.startsWith('siwanda:proposal:'))"
    ".map((key) => JSON.parse(localStorage.getItem(key)))"
)


@pytest.fixture
def proposal(people, luwu_utara):
    competition = open_competition(people["secretariat"], luwu_utara)
    return draft_proposal(people["operator"], people["agency"], competition)


class Editor:
    """The editor page of a proposal, as one person has it open."""

    def __init__(self, page, proposal):
        self.page = page
        self.proposal = proposal
        self.root = page.locator("#proposal-editor")
        self.status = page.locator("#save-status")
        self.banner = page.locator("#restore-banner")

    def open(self):
        self.page.goto(f"/usulan/{self.proposal.pk}/tulis/")
        return self

    def message(self, name, **params) -> str:
        text = self.root.get_attribute(f"data-msg-{name}")
        for key, value in params.items():
            text = text.replace(f"%({key})s", str(value))
        return text

    def pattern(self, name, **params) -> re.Pattern:
        """A message with the given parameters filled in and any other one matching anything."""
        parts = re.split(r"(%\(\w+\)s)", self.message(name, **params))
        return re.compile(
            "^" + "".join(".+" if re.fullmatch(r"%\(\w+\)s", p) else re.escape(p) for p in parts)
        )

    def saved(self) -> re.Pattern:
        """ "Saved <moment in Luwu Utara's zone>"."""
        before, after = self.message("saved").split("%(time)s")
        return re.compile(f"^{re.escape(before)}.+ WITA{re.escape(after)}$")

    def text(self, field):
        return self.page.locator(f"#f{field.pk}")

    def choices(self, field):
        return self.page.locator(f'fieldset[data-field="{field.pk}"]')

    def status_of(self, field):
        return self.page.locator(f'[data-status-for="{field.pk}"]')

    def local_copies(self) -> list[dict]:
        return self.page.evaluate(LOCAL_COPIES)


def open_editor(page, proposal, person) -> Editor:
    log_in(page, person.email)
    return Editor(page, proposal).open()


def test_typing_saves_by_itself(page, proposal, people):
    editor = open_editor(page, proposal, people["operator"])
    summary = field_of(proposal, "ringkasan")
    text = "Posyandu keliling membawa layanan kesehatan ibu dan anak ke desa terpencil."

    editor.text(summary).fill(text)
    editor.text(summary).press_sequentially(" Setiap pekan.")
    expect(editor.status_of(summary)).to_have_text(editor.message("unsaved"))

    # No blur, no button: the pause in typing is enough.
    expect(editor.status_of(summary)).to_have_text(editor.saved())
    expect(editor.status).to_have_text(editor.saved())
    expect(page.locator(f'[data-count-for="{summary.pk}"]')).to_have_text(
        str(count_words(text + " Setiap pekan."))
    )
    assert answer_value(proposal, summary) == text + " Setiap pekan."
    assert editor.local_copies() == []
    assert page.url.endswith(f"/usulan/{proposal.pk}/tulis/")


def test_leaving_a_question_saves_it_at_once(page, proposal, people):
    editor = open_editor(page, proposal, people["operator"])
    contact, video = field_of(proposal, "contact"), field_of(proposal, "video_url")

    editor.text(contact).fill("dr. Andi Tenri, 0812 3456 7890")
    editor.text(video).click()  # well before the pause in typing would save it
    expect(editor.status_of(contact)).to_have_text(editor.saved(), timeout=1_000)
    assert answer_value(proposal, contact) == "dr. Andi Tenri, 0812 3456 7890"


def test_an_ended_session_keeps_the_text_until_the_person_logs_in_again(page, proposal, people):
    editor = open_editor(page, proposal, people["operator"])
    summary = field_of(proposal, "ringkasan")
    text = "Dapur desa memasak makanan bergizi untuk balita setiap hari."

    page.context.clear_cookies()  # the session has ended (timed out, or logged out elsewhere)
    editor.text(summary).fill(text)
    expect(editor.status_of(summary)).to_have_text(editor.message("signedout"))
    assert answer_value(proposal, summary) is None
    [copy] = editor.local_copies()
    assert (copy["value"], copy["unsaved"]) == (text, True)

    # Logging in again in another tab of the same browser: the retries then save the text.
    other = page.context.new_page()
    log_in(other, people["operator"].email)
    other.close()
    expect(editor.status_of(summary)).to_have_text(editor.saved(), timeout=40_000)
    assert answer_value(proposal, summary) == text
    assert editor.local_copies() == []


def test_text_typed_offline_is_saved_when_the_connection_returns(page, proposal, people):
    editor = open_editor(page, proposal, people["operator"])
    background = field_of(proposal, "latar_belakang")
    text = "Angka stunting di Luwu Utara masih tinggi; kader posyandu kesulitan menjangkau desa."

    page.context.set_offline(True)
    editor.text(background).fill(text)
    expect(editor.status_of(background)).to_have_text(editor.message("offline"))
    expect(editor.status).to_have_text(editor.message("offline"))
    editor.text(background).press_sequentially(" Jalan rusak saat hujan.")
    assert answer_value(proposal, background) is None
    expect(editor.text(background)).to_have_value(text + " Jalan rusak saat hujan.")
    [copy] = editor.local_copies()
    assert (copy["value"], copy["base"], copy["unsaved"]) == (
        text + " Jalan rusak saat hujan.",
        0,
        True,
    )

    page.context.set_offline(False)

    expect(editor.status_of(background)).to_have_text(editor.saved())
    expect(editor.status).to_have_text(editor.saved())
    assert answer_value(proposal, background) == text + " Jalan rusak saat hujan."
    assert editor.local_copies() == []


def test_text_typed_offline_is_offered_back_when_the_editor_opens_again(new_page, proposal, people):
    page = new_page()
    editor = open_editor(page, proposal, people["operator"])
    novelty = field_of(proposal, "kebaruan")
    text = "Pertama di Sulawesi Selatan: jadwal posyandu keliling dipesan warga lewat WhatsApp."
    context = page.context

    context.set_offline(True)
    editor.text(novelty).fill(text)
    expect(editor.status_of(novelty)).to_have_text(editor.message("offline"))

    # Leaving now is warned about; the person leaves anyway.
    dialogs = []

    def leave(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave)
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert dialogs == ["beforeunload"]
    # The last-chance save sent as the tab closes outlives the tab, and with it the emulated
    # offline state: on a busy machine it may still reach the server. Either way nothing typed
    # is lost; wait until it has either arrived or had its chance.
    deadline = time.monotonic() + 3
    while answer_value(proposal, novelty) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    saved_on_close = answer_value(proposal, novelty) == text

    # Later, online again, in the same browser.
    context.set_offline(False)
    page = context.new_page()
    new_page.problems.watch(page)
    editor = Editor(page, proposal).open()
    if saved_on_close:
        expect(editor.banner).to_be_hidden()
        expect(editor.text(novelty)).to_have_value(text)
        return
    assert answer_value(proposal, novelty) is None
    expect(editor.banner).to_be_visible()
    expect(editor.banner).to_contain_text(editor.message("restore", count=1))
    expect(editor.text(novelty)).to_have_value("")  # the saved copy until the person chooses
    assert_accessible(page, label="editor offering unsaved text back")

    editor.banner.get_by_role("button", name=editor.message("restore-yes")).click()

    expect(editor.banner).to_be_hidden()
    expect(editor.text(novelty)).to_have_value(text)
    expect(editor.text(novelty)).to_be_focused()
    expect(editor.status_of(novelty)).to_have_text(editor.saved())
    assert answer_value(proposal, novelty) == text
    assert editor.local_copies() == []


def test_keeping_the_saved_copy_forgets_the_browser_copy(new_page, proposal, people):
    page = new_page()
    editor = open_editor(page, proposal, people["operator"])
    resources = field_of(proposal, "sumber_daya")
    editor.text(resources).fill("Dua bidan dan satu mobil puskesmas keliling.")
    expect(editor.status_of(resources)).to_have_text(editor.saved())

    page.context.set_offline(True)
    editor.text(resources).fill("Draf yang tidak jadi dipakai.")
    expect(editor.status_of(resources)).to_have_text(editor.message("offline"))
    page.close()
    page.context.set_offline(False)

    page = page.context.new_page()
    new_page.problems.watch(page)
    editor = Editor(page, proposal).open()
    expect(editor.banner).to_be_visible()
    editor.banner.get_by_role("button", name=editor.message("restore-no")).click()

    expect(editor.banner).to_be_hidden()
    expect(editor.text(resources)).to_have_value("Dua bidan dan satu mobil puskesmas keliling.")
    assert editor.local_copies() == []
    assert answer_value(proposal, resources) == "Dua bidan dan satu mobil puskesmas keliling."
    editor.open()
    expect(editor.text(resources)).to_be_visible()
    expect(editor.banner).to_be_hidden()


def test_word_counter_counts_like_the_server_and_marks_going_over(page, proposal, people):
    editor = open_editor(page, proposal, people["operator"])
    replicated = field_of(proposal, "sudah_direplikasi")  # at most 100 words
    counter = page.locator(f'[data-count-for="{replicated.pk}"]')
    counter_line = page.locator(f"#count-{replicated.pk}")
    over = re.compile(r"(^|\s)is-over(\s|$)")

    text = "Direplikasi e-KTP-style di 12 desa; warga’s antrean ≤ 5 menit — Puskesmas_Baebunta."
    editor.text(replicated).fill(text)
    expect(counter).to_have_text(str(count_words(text)))
    expect(counter_line).not_to_have_class(over)

    too_long = " ".join(["kata"] * 101)
    editor.text(replicated).fill(too_long)
    expect(counter).to_have_text("101")
    expect(counter_line).to_have_class(over)
    expect(editor.text(replicated)).to_have_value(too_long)  # nothing is cut
    expect(editor.status_of(replicated)).to_have_text(editor.saved())
    assert answer_value(proposal, replicated) == too_long  # the limit counts when it is sent

    editor.text(replicated).press("End")
    for _ in range(5):
        editor.text(replicated).press("Backspace")
    expect(counter).to_have_text("100")
    expect(counter_line).not_to_have_class(over)
    expect(editor.status_of(replicated)).to_have_text(editor.saved())
    assert answer_value(proposal, replicated) == " ".join(["kata"] * 100)


def test_colleagues_on_one_answer_see_both_texts_and_choose(new_page, proposal, people):
    operator = people["operator"]
    siti = second_operator(people["agency"], full_name="Siti Rahmawati")
    question = field_of(proposal, "implementasi")
    first_text = "Versi Dinas: <b>jadwal</b> & rute tetap."
    siti_text = "Versi Siti: rute mengikuti permintaan warga."
    first = open_editor(new_page(), proposal, operator)
    second = open_editor(new_page(), proposal, siti)

    first.text(question).fill(first_text)
    first.text(question).press("Tab")
    expect(first.status_of(question)).to_have_text(first.saved())

    # Siti opened the editor before that save: her text is based on the older version.
    second.text(question).fill(siti_text)
    second.text(question).press("Tab")

    status = second.status_of(question)
    expect(status).to_have_text(second.pattern("conflict", who=operator.full_name))
    conflict = second.page.locator(f"#field-{question.pk} .field-conflict")
    expect(conflict).to_contain_text(first_text)  # as text, not as markup
    expect(conflict.locator("b")).to_have_count(0)
    expect(second.text(question)).to_have_value(siti_text)
    assert answer_value(proposal, question) == first_text
    assert_accessible(second.page, label="editor showing a conflict")

    conflict.get_by_role("button", name=second.message("keep-mine")).click()

    expect(status).to_have_text(second.saved())
    expect(conflict).to_have_count(0)
    assert answer_value(proposal, question) == siti_text
    # Who else is writing this section: the operator saved in it a moment ago.
    expect(second.page.locator(f'[data-editors-for="{question.section_id}"]')).to_have_text(
        second.message("editors", names=operator.full_name)
    )

    # Now the operator's copy is the older one: taking Siti's text replaces it.
    first.text(question).press_sequentially(" Tambahan.")
    first.text(question).press("Tab")
    expect(first.status_of(question)).to_have_text(first.pattern("conflict", who=siti.full_name))
    first.page.get_by_role("button", name=first.message("take-theirs")).click()
    expect(first.text(question)).to_have_value(siti_text)
    expect(first.status_of(question)).to_have_text(first.saved())
    assert answer_value(proposal, question) == siti_text
    assert first.local_copies() == []


def test_colleague_in_the_same_section_is_named(new_page, proposal, people):
    colleague = second_operator(people["agency"], full_name="Siti Rahmawati")
    sustainability = field_of(proposal, "keberlanjutan")
    theirs = open_editor(new_page(), proposal, colleague)
    theirs.text(sustainability).focus()  # only reading, not typing yet

    mine = open_editor(new_page(), proposal, people["operator"])
    mine.text(sustainability).fill("Dianggarkan tiap tahun dalam DPA Dinas Kesehatan.")
    expect(mine.status_of(sustainability)).to_have_text(mine.saved())
    expect(mine.page.locator(f'[data-editors-for="{sustainability.section_id}"]')).to_have_text(
        mine.message("editors", names="Siti Rahmawati")
    )


def test_choices_save_when_changed_even_when_none_is_left(page, proposal, people):
    editor = open_editor(page, proposal, people["operator"])
    sdgs, application = field_of(proposal, "sdgs"), field_of(proposal, "is_application")
    assert answer_value(proposal, sdgs) == [3, 10]  # filled in from the registry

    editor.choices(sdgs).locator(f"#f{sdgs.pk}-3").uncheck()
    expect(editor.status_of(sdgs)).to_have_text(editor.saved())
    assert answer_value(proposal, sdgs) == [10]

    editor.choices(sdgs).locator(f"#f{sdgs.pk}-10").uncheck()
    expect(editor.status_of(sdgs)).to_have_text(editor.saved())
    assert answer_value(proposal, sdgs) == []

    editor.choices(application).locator("input[value=ya]").check()
    expect(editor.status_of(application)).to_have_text(editor.saved())
    assert answer_value(proposal, application) == "ya"


def test_a_refused_value_says_why_and_keeps_the_text(page, proposal, people):
    editor = open_editor(page, proposal, people["operator"])
    seconds = field_of(proposal, "video_seconds")

    editor.text(seconds).fill("sembilan puluh")
    editor.text(seconds).press("Tab")
    expect(editor.status_of(seconds)).to_have_text(re.compile("^" + editor.message("error") + " "))
    expect(editor.status).to_have_class(re.compile(r"\bis-error\b"))
    expect(editor.text(seconds)).to_have_value("sembilan puluh")
    assert answer_value(proposal, seconds) is None

    editor.text(seconds).fill("90")
    editor.text(seconds).press("Tab")
    expect(editor.status_of(seconds)).to_have_text(editor.saved())
    expect(editor.status).not_to_have_class(re.compile(r"\bis-error\b"))
    assert answer_value(proposal, seconds) == 90


def test_section_button_saves_in_place(page, proposal, people):
    editor = open_editor(page, proposal, people["operator"])
    budget = field_of(proposal, "anggaran")
    editor.text(budget).fill("150000000")
    editor.text(budget).press("Enter")  # submits its section's form
    expect(editor.status_of(budget)).to_have_text(editor.saved(), timeout=1_000)
    assert answer_value(proposal, budget) == 150000000
    assert page.url.endswith(f"/usulan/{proposal.pk}/tulis/")


def test_wrong_file_is_refused_and_nothing_else_is_lost(page, proposal, people):
    from siwanda.proposals.models import Attachment

    editor = open_editor(page, proposal, people["operator"])
    contact = field_of(proposal, "contact")
    statement = field_of(proposal, "implementation_statement")  # PDF only, at most 10 MB
    form = page.locator(f'.upload-form[data-field="{statement.pk}"]')
    upload_status = form.locator(".upload-status")
    upload_path = f"/usulan/{proposal.pk}/berkas/{statement.pk}/"
    uploads = []
    page.on(
        "request",
        lambda r: uploads.append(r.url) if r.url.endswith(upload_path) else None,
    )

    editor.text(contact).fill("dr. Andi Tenri, 0812 3456 7890")
    # Saved before the upload starts: the live server's threads share one in-memory SQLite
    # connection, so a refused upload rolling back could take a concurrent save with it (a
    # test-only effect: each request has its own connection in a real deployment).
    expect(editor.status_of(contact)).to_have_text(editor.saved())
    form.locator("input[type=file]").set_input_files(
        {"name": "x.pdf", "mimeType": "application/pdf", "buffer": EXE}
    )
    form.locator("button[type=submit]").click()

    expect(upload_status).to_contain_text("x.pdf")
    expect(upload_status).to_have_class(re.compile(r"\bis-error\b"))
    expect(form.locator("progress")).to_be_hidden()
    expect(editor.text(contact)).to_have_value("dr. Andi Tenri, 0812 3456 7890")
    expect(editor.status_of(contact)).to_have_text(editor.saved())
    assert answer_value(proposal, contact) == "dr. Andi Tenri, 0812 3456 7890"
    assert not Attachment.objects.filter(proposal=proposal).exists()
    assert page.url.endswith(f"/usulan/{proposal.pk}/tulis/")
    assert len(uploads) == 1

    # Too large: refused in the browser, before anything is sent.
    form.locator("input[type=file]").set_input_files(
        {"name": "besar.pdf", "mimeType": "application/pdf", "buffer": PDF + b"0" * 10_000_000}
    )
    form.locator("button[type=submit]").click()
    expect(upload_status).to_have_text(form.get_attribute("data-too-large"))
    assert len(uploads) == 1

    form.locator("input[type=file]").set_input_files(
        {"name": "surat-pernyataan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.locator("button[type=submit]").click()

    expect(upload_status).to_have_text(editor.message("uploaded"))
    expect(form.locator("progress")).to_be_visible()
    expect(form.locator("progress")).to_have_js_property("value", 100)
    expect(page.locator(f"#attachments-{statement.pk} li")).to_have_count(1)
    expect(page.locator(f"#attachments-{statement.pk}")).to_contain_text("surat-pernyataan.pdf")
    attachment = Attachment.objects.get(proposal=proposal, field=statement)
    assert (attachment.original_name, attachment.kind) == ("surat-pernyataan.pdf", "pdf")
    assert len(uploads) == 2
    expect(editor.text(contact)).to_have_value("dr. Andi Tenri, 0812 3456 7890")
    assert_accessible(page, label="editor after an upload")


def test_closed_proposal_turns_read_only_and_keeps_the_text(page, proposal, people):
    from siwanda.competitions.models import Competition

    editor = open_editor(page, proposal, people["operator"])
    benefits = field_of(proposal, "signifikansi")
    Competition.objects.filter(pk=proposal.competition_id).update(
        deadline_at=timezone.now() - datetime.timedelta(minutes=1), grace_minutes=0
    )

    editor.text(benefits).fill("Kunjungan ibu hamil naik dari 60% menjadi 85%.")
    editor.text(benefits).press("Tab")

    expect(editor.status_of(benefits)).to_have_text(editor.message("locked"))
    expect(editor.status).to_have_class(re.compile(r"\bis-error\b"))
    expect(editor.status).not_to_be_empty()
    expect(editor.text(benefits)).not_to_be_editable()
    expect(editor.text(benefits)).to_have_value("Kunjungan ibu hamil naik dari 60% menjadi 85%.")
    expect(page.locator(".section-save").first).to_be_disabled()
    assert answer_value(proposal, benefits) is None
    assert [c["value"] for c in editor.local_copies()] == [
        "Kunjungan ibu hamil naik dari 60% menjadi 85%."
    ]


@pytest.mark.parametrize(
    ("left", "shown"),
    [
        (datetime.timedelta(days=20), ""),
        (datetime.timedelta(days=3, hours=2), "3 {days}"),
        (datetime.timedelta(hours=4, minutes=30), "5 {hours}"),
        (-datetime.timedelta(minutes=1), "{closed}"),
    ],
)
def test_deadline_countdown(page, proposal, people, left, shown):
    from siwanda.competitions.models import Competition

    Competition.objects.filter(pk=proposal.competition_id).update(
        deadline_at=timezone.now() + left, grace_minutes=0
    )
    open_editor(page, proposal, people["operator"])
    countdown = page.locator(".deadline .js-countdown")
    texts = {name: countdown.get_attribute(f"data-{name}") for name in ("days", "hours", "closed")}
    expect(countdown).to_have_text(shown.format(**texts))


def test_deadline_countdown_refreshes_every_minute(page, proposal, people):
    from siwanda.competitions.models import Competition

    Competition.objects.filter(pk=proposal.competition_id).update(
        deadline_at=timezone.now() + datetime.timedelta(hours=1, seconds=30), grace_minutes=0
    )
    page.clock.install()
    open_editor(page, proposal, people["operator"])
    countdown = page.locator(".deadline .js-countdown")
    hours = countdown.get_attribute("data-hours")
    expect(countdown).to_have_text(f"2 {hours}")
    page.clock.fast_forward("01:05")
    expect(countdown).to_have_text(f"1 {hours}")


def test_editor_is_accessible_and_fits_a_phone(new_page, proposal, people):
    page = new_page(viewport=PHONE)
    editor = open_editor(page, proposal, people["operator"])
    summary = field_of(proposal, "ringkasan")
    editor.text(summary).fill(" ".join(["pelayanan"] * 201))
    expect(editor.status_of(summary)).to_have_text(editor.saved())
    expect(page.locator(f"#count-{summary.pk}")).to_have_class(re.compile(r"\bis-over\b"))

    assert_accessible(page, label="proposal editor")
    assert_fits_phone(page, label="proposal editor")
