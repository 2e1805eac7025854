"""The announcement pages: public reading (list, page, PDF), the secretariat's writing pages, the
home page's latest announcements and a competition's guides, for every role allowed and refused."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from siwanda.activity.models import ActivityEntry
from siwanda.announcements.models import Announcement
from siwanda.core.demo.competitions import PDF
from tests.builders import pdf_upload
from tests.helpers import assert_constant_queries, login

LIST = "/pengumuman/"
REFUSED_WRITERS = ["operator", "head", "mentor", "juror", "leadership", "neighbour_secretariat"]


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def url(name, announcement):
    return reverse(f"announcements:{name}", args=[announcement.pk])


@pytest.fixture
def guide(luwu_utara, post):
    """A published guide of Luwu Utara with its PDF, and a draft beside it."""
    post(luwu_utara, "Draf rahasia", published=False, body="Belum boleh dibaca.")
    return post(
        luwu_utara,
        "Cara menulis proposal",
        kind="guide",
        body="Mulailah dari masalah.\n\nLalu <b>buktinya</b>.",
        attachment=pdf_upload("Panduan Proposal.pdf"),
    )


@pytest.fixture
def draft(guide):
    return Announcement.objects.get(title="Draf rahasia")


# --- Public reading ------------------------------------------------------------------------------


def test_the_list_is_public_and_shows_published_ones_only(client, guide):
    response = client.get(LIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert [a.title for a in response.context["page"]] == ["Cara menulis proposal"]
    assert f'href="{url("detail", guide)}">Cara menulis proposal</a>' in page
    assert "Draf rahasia" not in page
    assert "New announcement" not in page


def test_the_regions_secretariat_also_sees_its_drafts_in_the_list(client, people, guide):
    login(client, people["secretariat"])
    response = client.get(LIST)
    assert [a.title for a in response.context["page"]] == ["Draf rahasia", "Cara menulis proposal"]
    assert 'href="/pengumuman/baru/"' in response.content.decode()
    drafts = client.get(LIST + "?status=draft").context["page"]
    assert [a.title for a in drafts] == ["Draf rahasia"]
    login(client, people["neighbour_secretariat"])
    assert [a.title for a in client.get(LIST).context["page"]] == ["Cara menulis proposal"]


def test_the_list_filters_by_type_and_region(client, luwu_utara, province, guide, post):
    post(province, "Jadwal provinsi", kind="schedule")
    assert [a.title for a in client.get(LIST + "?kind=schedule").context["page"]] == [
        "Jadwal provinsi"
    ]
    assert [a.title for a in client.get(LIST + "?region=73.22").context["page"]] == [
        "Cara menulis proposal"
    ]
    response = client.get(LIST + "?kind=nonsense&region=99.99")
    assert len(response.context["page"]) == 2
    assert [r.code for r in response.context["regions"]] == ["73.22", "73"]
    assert (
        "No announcement matches these filters." in client.get(LIST + "?kind=news").content.decode()
    )


def test_the_list_is_paginated_with_constant_queries(client, people, luwu_utara, post):
    def add_rows():
        for n in range(5):
            post(luwu_utara, f"Kabar {n}", competition=None)

    post(luwu_utara, "Pertama")
    login(client, people["secretariat"])
    assert_constant_queries(client, LIST, add_rows)
    for n in range(15):
        post(luwu_utara, f"Lagi {n}")
    response = client.get(LIST + "?page=2")
    assert response.context["page"].paginator.num_pages == 2
    assert len(response.context["page"]) == 1
    assert "Page 2 of 2" in response.content.decode()


def test_the_page_renders_paragraphs_and_escapes_html(client, guide):
    response = client.get(url("detail", guide))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<p>Mulailah dari masalah.</p>" in page
    assert "<p>Lalu &lt;b&gt;buktinya&lt;/b&gt;.</p>" in page
    assert "<b>buktinya</b>" not in page
    assert f'href="{url("attachment", guide)}">Download Panduan Proposal.pdf</a>' in page
    assert "Secretariat of Kabupaten Luwu Utara" in page
    assert url("update", guide) not in page


@pytest.mark.parametrize("role", [None, "operator", "leadership", "neighbour_secretariat"])
def test_a_draft_is_hidden_from_everyone_but_its_secretariat(client, people, draft, role):
    if role:
        login(client, people[role])
    for name in ("detail", "attachment"):
        response = client.get(url(name, draft))
        assert response.status_code == 404
        assert "Belum boleh dibaca." not in response.content.decode()


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_the_secretariat_and_the_administrator_read_drafts(client, people, draft, role):
    login(client, people[role])
    page = client.get(url("detail", draft)).content.decode()
    assert "Belum boleh dibaca." in page
    assert "not published: only your secretariat sees this draft" in page
    assert f'action="{url("publish", draft)}"' in page


def test_anyone_downloads_a_published_attachment_with_its_name(client, guide):
    response = client.get(url("attachment", guide))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Panduan Proposal.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_a_drafts_attachment_is_for_its_secretariat(client, people, luwu_utara, post):
    draft = post(luwu_utara, "Draf", published=False, attachment=pdf_upload("draf.pdf"))
    assert client.get(url("attachment", draft)).status_code == 404
    login(client, people["secretariat"])
    response = client.get(url("attachment", draft))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_no_attachment_is_not_found(client, luwu_utara, post):
    assert client.get(url("attachment", post(luwu_utara, "Tanpa lampiran"))).status_code == 404


# --- Writing -------------------------------------------------------------------------------------


def form_data(**changes):
    return {
        "kind": "guide",
        "title": "Ketentuan KIPP",
        "body": "Baca sebelum menulis.\n\nSyaratnya berikut ini.",
        "competition": "",
    } | changes


def test_the_secretariat_posts_a_guide_with_a_pdf_and_publishes_it(
    client, people, luwu_utara, competition
):
    login(client, people["secretariat"])
    form = client.get(reverse("announcements:create")).content.decode()
    assert "Posted by the secretariat of Kabupaten Luwu Utara." in form
    assert 'enctype="multipart/form-data"' in form
    response = client.post(
        reverse("announcements:create"),
        form_data(
            competition=str(competition.pk),
            attachment=pdf_upload("Ketentuan KIPP.pdf"),
            publish="on",
        ),
    )
    announcement = Announcement.objects.get()
    assert response["Location"] == url("detail", announcement)
    assert flashed(response) == ["Announcement published."]
    assert announcement.region == luwu_utara
    assert announcement.competition == competition
    assert announcement.attachment_name == "Ketentuan KIPP.pdf"
    assert announcement.is_published


def test_without_publish_it_is_a_draft(client, people):
    login(client, people["secretariat"])
    response = client.post(reverse("announcements:create"), form_data())
    assert flashed(response) == ["Draft saved."]
    assert Announcement.objects.get().published_at is None


def test_a_file_that_is_not_a_pdf_is_refused_and_the_text_is_kept(client, people):
    login(client, people["secretariat"])
    response = client.post(
        reverse("announcements:create"),
        form_data(
            title="Panduan <penting>",
            attachment=SimpleUploadedFile("panduan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_attachment_error"' in page
    assert "“panduan.pdf” is not an allowed kind of file (its content was checked)." in page
    assert 'value="Panduan &lt;penting&gt;"' in page
    assert "Baca sebelum menulis.\n\nSyaratnya berikut ini.</textarea>" in page
    assert re.search(r'<option value="guide"[^>]*selected', page)
    assert not Announcement.objects.exists()


def test_a_missing_title_is_explained_on_the_form(client, people):
    login(client, people["secretariat"])
    response = client.post(reverse("announcements:create"), form_data(title=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert "Baca sebelum menulis." in response.content.decode()


def test_the_competition_link_offers_only_the_regions_competitions(
    client, people, competition, other_regency
):
    from tests.builders import competition_from_template

    theirs = competition_from_template(
        people["neighbour_secretariat"], other_regency, name="KIPP Tetangga"
    )
    login(client, people["secretariat"])
    response = client.post(reverse("announcements:create"), form_data(competition=str(theirs.pk)))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    field = response.context["form"].fields["competition"]
    assert list(field.queryset) == [competition]


@pytest.mark.parametrize("role", [*REFUSED_WRITERS[:-1], "other_operator", "nobody"])
def test_people_without_a_secretariat_cannot_post(client, people, role):
    login(client, people[role])
    assert client.get(reverse("announcements:create")).status_code == 403
    assert client.post(reverse("announcements:create"), form_data()).status_code == 403
    assert not Announcement.objects.exists()


def test_a_neighbour_secretariat_posts_for_its_own_region_only(client, people, other_regency):
    login(client, people["neighbour_secretariat"])
    client.post(reverse("announcements:create") + "?region=73.22", form_data())
    assert Announcement.objects.get().region == other_regency


def test_the_administrator_posts_for_the_nation_or_a_named_region(client, people, nation):
    login(client, people["admin"])
    client.post(reverse("announcements:create"), form_data(title="Nasional"))
    client.post(reverse("announcements:create") + "?region=73", form_data(title="Provinsi"))
    assert {(a.title, a.region.code) for a in Announcement.objects.all()} == {
        ("Nasional", "ID"),
        ("Provinsi", "73"),
    }


def test_visitors_are_sent_to_log_in_to_write(client, guide):
    for target in (reverse("announcements:create"), url("update", guide)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_secretariat_edits_and_replaces_the_pdf(client, people, guide):
    login(client, people["secretariat"])
    page = client.get(url("update", guide)).content.decode()
    assert 'value="Cara menulis proposal"' in page
    assert "Now: Panduan Proposal.pdf." in page
    response = client.post(
        url("update", guide),
        form_data(title="Cara menulis proposal (revisi)", attachment=pdf_upload("v2.pdf")),
    )
    assert response["Location"] == url("detail", guide)
    assert flashed(response) == ["Changes saved."]
    guide.refresh_from_db()
    assert (guide.title, guide.attachment_name) == ("Cara menulis proposal (revisi)", "v2.pdf")
    assert guide.is_published


def test_a_refused_replacement_keeps_the_typed_text_and_the_stored_file(client, people, guide):
    login(client, people["secretariat"])
    response = client.post(
        url("update", guide),
        form_data(title="Judul baru", attachment=SimpleUploadedFile("x.pdf", b"not a pdf")),
    )
    assert response.status_code == 200
    assert 'value="Judul baru"' in response.content.decode()
    guide.refresh_from_db()
    assert (guide.title, guide.attachment_name) == ("Cara menulis proposal", "Panduan Proposal.pdf")


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_others_cannot_edit(client, people, guide, role):
    login(client, people[role])
    assert client.get(url("update", guide)).status_code == 403
    assert client.post(url("update", guide), form_data(title="Diubah")).status_code == 403
    guide.refresh_from_db()
    assert guide.title == "Cara menulis proposal"
    assert url("update", guide) not in client.get(url("detail", guide)).content.decode()


def test_publishing_withdrawing_and_deleting(client, people, draft):
    login(client, people["secretariat"])
    response = client.post(url("publish", draft))
    assert response["Location"] == url("detail", draft)
    assert flashed(response) == ["Announcement published: everyone can read it now."]
    assert client.logout() is None
    assert client.get(url("detail", draft)).status_code == 200
    login(client, people["secretariat"])
    response = client.post(url("unpublish", draft))
    assert flashed(response) == [
        "Announcement withdrawn: it is a draft again, seen only by your secretariat."
    ]
    draft.refresh_from_db()
    assert draft.published_at is None
    response = client.post(url("unpublish", draft))
    assert flashed(response)[-1] == "This announcement is a draft already."
    response = client.post(url("delete", draft))
    assert response["Location"] == LIST
    assert flashed(response)[-1] == "Announcement deleted."
    assert not Announcement.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("role", [None, *REFUSED_WRITERS])
def test_others_cannot_publish_withdraw_or_delete(client, people, guide, draft, role):
    if role:
        login(client, people[role])
    before = ActivityEntry.objects.count()
    for name, target in (("publish", draft), ("unpublish", guide), ("delete", guide)):
        response = client.post(url(name, target))
        if role is None:
            assert response["Location"].startswith(reverse("accounts:login"))
        else:
            assert response.status_code in (403, 404), name
    assert ActivityEntry.objects.count() == before
    guide.refresh_from_db()
    draft.refresh_from_db()
    assert guide.is_published and not draft.is_published


# --- Home page and competition page --------------------------------------------------------------


def test_the_home_page_shows_the_latest_of_the_persons_regions(
    client, people, luwu_utara, province, other_regency, guide, post
):
    post(province, "Sosialisasi KIPP Provinsi")
    post(other_regency, "Kabar Luwu Timur")
    login(client, people["operator"])
    response = client.get("/")
    page = response.content.decode()
    assert "Latest announcements" in page
    assert f'href="{url("detail", guide)}">Cara menulis proposal</a>' in page
    assert "Sosialisasi KIPP Provinsi" in page
    assert "Kabar Luwu Timur" not in page and "Draf rahasia" not in page
    assert 'href="/pengumuman/">All announcements and guides</a>' in page


def test_the_home_page_costs_the_same_queries_with_more_announcements(
    client, people, luwu_utara, province, post
):
    def add_rows():
        for n in range(4):
            post(luwu_utara, f"Kabar {n}", attachment=pdf_upload())
            post(province, f"Provinsi {n}")

    post(luwu_utara, "Pertama")
    login(client, people["operator"])
    assert_constant_queries(client, "/", add_rows)
    titles = re.findall(r'href="/pengumuman/\d+/">([^<]+)</a>', client.get("/").content.decode())
    assert titles == ["Provinsi 3", "Kabar 3", "Provinsi 2", "Kabar 2", "Provinsi 1"]


def test_visitors_see_the_latest_of_every_region_on_the_home_page(
    client, luwu_utara, other_regency, guide, post
):
    """Needs the home view opened to visitors (core/views.py: no @login_required on home)."""
    post(other_regency, "Kabar Luwu Timur")
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    titles = re.findall(r'href="/pengumuman/\d+/">([^<]+)</a>', page)
    assert titles == ["Kabar Luwu Timur", "Cara menulis proposal"]
    assert 'href="/masuk/"' in page
    assert "no role yet" not in page


def test_the_competition_page_lists_its_published_guides(client, people, competition, post):
    luwu_utara = competition.region
    post(luwu_utara, "Ketentuan KIPP", kind="guide", competition=competition)
    post(luwu_utara, "Jadwal KIPP", kind="schedule", competition=competition)
    post(luwu_utara, "Draf jadwal", kind="schedule", competition=competition, published=False)
    post(luwu_utara, "Panduan umum", kind="guide")
    login(client, people["operator"])
    page = client.get(reverse("competitions:detail", args=[competition.pk])).content.decode()
    assert "Guides and schedules" in page
    section = page[page.index('id="guides-title"') :]
    section = section[: section.index("</section>")]
    titles = re.findall(r'href="/pengumuman/\d+/">([^<]+)</a>', section)
    assert titles == ["Jadwal KIPP", "Ketentuan KIPP"]
    assert "Post a guide" not in section
    login(client, people["secretariat"])
    page = client.get(reverse("competitions:detail", args=[competition.pk])).content.decode()
    assert (
        f'href="/pengumuman/baru/?region=73.22&amp;kind=guide&amp;competition={competition.pk}"'
        in page
    )


def test_the_competition_page_without_guides_says_nothing_to_agencies(client, people, competition):
    login(client, people["operator"])
    page = client.get(reverse("competitions:detail", args=[competition.pk])).content.decode()
    assert "Guides and schedules" not in page
    login(client, people["secretariat"])
    page = client.get(reverse("competitions:detail", args=[competition.pk])).content.decode()
    assert "No guide or schedule has been published for this competition yet." in page


def test_a_guide_form_can_start_from_the_competition(client, people, competition):
    login(client, people["secretariat"])
    response = client.get(
        reverse("announcements:create") + f"?kind=guide&competition={competition.pk}"
    )
    form = response.context["form"]
    assert form["kind"].value() == "guide"
    assert str(form["competition"].value()) == str(competition.pk)
