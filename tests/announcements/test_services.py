"""Writing announcements: drafts, publication, the PDF attachment, permissions and the audit
trail; and who reads what (selectors)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from siwanda.activity.models import ActivityEntry
from siwanda.announcements import selectors, services
from siwanda.announcements.models import Announcement
from siwanda.core.demo.competitions import PDF
from siwanda.regions.models import Region
from tests.builders import competition_from_template, pdf_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def actions(announcement) -> list[str]:
    return list(
        ActivityEntry.objects.filter(target_id=str(announcement.pk))
        .filter(action__startswith="announcement.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def create(actor, region, **fields):
    return services.announcement_create(
        actor=actor,
        region=region,
        **({"kind": "guide", "title": "Panduan", "body": "Isi."} | fields),
    )


# --- Creating ------------------------------------------------------------------------------------


def test_the_secretariat_saves_a_draft_with_its_audit_entry(people, luwu_utara):
    announcement = create(
        people["secretariat"],
        luwu_utara,
        title="  Panduan menulis proposal  ",
        body="Paragraf satu.\n\nParagraf dua.",
    )
    assert announcement.region == luwu_utara
    assert announcement.author == people["secretariat"]
    assert announcement.title == "Panduan menulis proposal"
    assert announcement.published_at is None and not announcement.is_published
    entry = ActivityEntry.objects.get(action="announcement.created")
    assert entry.region == luwu_utara and entry.actor == people["secretariat"]
    assert entry.changes["title"] == {"before": None, "after": "Panduan menulis proposal"}
    assert entry.changes["kind"] == {"before": None, "after": "guide"}


def test_publishing_on_creation_records_both(people, luwu_utara):
    announcement = create(people["secretariat"], luwu_utara, publish=True)
    assert announcement.is_published
    assert actions(announcement) == ["announcement.created", "announcement.published"]


def test_a_pdf_attachment_keeps_its_original_name(people, luwu_utara):
    announcement = create(
        people["secretariat"], luwu_utara, attachment=pdf_upload("Ketentuan KIPP 2026.pdf")
    )
    assert announcement.attachment_name == "Ketentuan KIPP 2026.pdf"
    assert announcement.attachment_size == len(PDF)
    assert announcement.attachment.name.startswith(f"announcements/{luwu_utara.pk}/")
    with announcement.attachment.open("rb") as stored:
        assert stored.read() == PDF
    entry = ActivityEntry.objects.get(action="announcement.created")
    assert entry.data == {"file": "Ketentuan KIPP 2026.pdf"}


@pytest.mark.parametrize(
    ("name", "content"),
    [("foto.png", PNG), ("program.pdf", b"MZ\x90\x00 not a pdf at all"), ("kosong.pdf", b"")],
)
def test_only_a_pdf_is_attached_by_its_content(people, luwu_utara, name, content):
    with pytest.raises(ValidationError) as error:
        create(people["secretariat"], luwu_utara, attachment=SimpleUploadedFile(name, content))
    assert list(error.value.error_dict) == ["attachment"]
    assert f"“{name}” is not an allowed kind of file" in error.value.messages[0]
    assert "Allowed: PDF, at most 20 MB per file." in error.value.messages[0]
    assert not Announcement.objects.exists()
    assert not ActivityEntry.objects.filter(action__startswith="announcement.").exists()


def test_title_and_text_are_required(people, luwu_utara):
    with pytest.raises(ValidationError) as error:
        create(people["secretariat"], luwu_utara, title="   ", body="")
    assert error.value.message_dict == {
        "title": ["Give the announcement a title."],
        "body": ["Write the text of the announcement."],
    }


def test_only_a_competition_of_the_same_region_is_linked(people, luwu_utara, other_regency):
    mine = competition_from_template(people["secretariat"], luwu_utara)
    theirs = competition_from_template(people["neighbour_secretariat"], other_regency)
    assert create(people["secretariat"], luwu_utara, competition=mine).competition == mine
    with pytest.raises(ValidationError) as error:
        create(people["secretariat"], luwu_utara, competition=theirs)
    assert error.value.message_dict == {
        "competition": ["Only a competition of your own region can be linked."]
    }


@pytest.mark.parametrize(
    "role", ["operator", "head", "mentor", "juror", "leadership", "neighbour_secretariat", "nobody"]
)
def test_only_the_regions_secretariat_posts_for_it(people, luwu_utara, role):
    with pytest.raises(PermissionDenied):
        create(people[role], luwu_utara)
    assert not Announcement.objects.exists()


def test_the_system_administrator_posts_for_any_region(people, nation):
    assert create(people["admin"], nation).region == nation


# --- Changing ------------------------------------------------------------------------------------


def test_changes_are_recorded_field_by_field(people, luwu_utara):
    announcement = create(people["secretariat"], luwu_utara)
    services.announcement_update(
        actor=people["secretariat"],
        announcement=announcement,
        kind="guide",
        title="Panduan baru",
        body="Isi.",
        is_pinned=True,
    )
    entry = ActivityEntry.objects.get(action="announcement.updated")
    assert entry.changes == {
        "title": {"before": "Panduan", "after": "Panduan baru"},
        "is_pinned": {"before": False, "after": True},
    }
    announcement.refresh_from_db()
    assert (announcement.title, announcement.is_pinned) == ("Panduan baru", True)


def test_saving_without_a_change_records_nothing(people, luwu_utara):
    announcement = create(people["secretariat"], luwu_utara)
    services.announcement_update(
        actor=people["secretariat"], announcement=announcement, title="Panduan", body="Isi."
    )
    assert actions(announcement) == ["announcement.created"]


def test_a_refused_change_leaves_the_stored_values(people, luwu_utara):
    announcement = create(people["secretariat"], luwu_utara, attachment=pdf_upload("a.pdf"))
    stored = announcement.attachment.name
    with pytest.raises(ValidationError):
        services.announcement_update(
            actor=people["secretariat"],
            announcement=announcement,
            title="Judul baru",
            attachment=SimpleUploadedFile("foto.png", PNG),
        )
    assert announcement.title == "Panduan"
    assert announcement.attachment.name == stored
    announcement.refresh_from_db()
    assert announcement.title == "Panduan" and announcement.attachment_name == "a.pdf"
    assert actions(announcement) == ["announcement.created"]


def test_replacing_the_attachment_removes_the_old_file_after_commit(
    people, luwu_utara, django_capture_on_commit_callbacks
):
    announcement = create(people["secretariat"], luwu_utara, attachment=pdf_upload("lama.pdf"))
    old = announcement.attachment.name
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_update(
            actor=people["secretariat"],
            announcement=announcement,
            attachment=pdf_upload("baru.pdf"),
        )
    announcement.refresh_from_db()
    assert announcement.attachment_name == "baru.pdf"
    assert default_storage.exists(announcement.attachment.name)
    assert not default_storage.exists(old)
    entry = ActivityEntry.objects.get(action="announcement.updated")
    assert entry.changes == {"attachment": {"before": "lama.pdf", "after": "baru.pdf"}}


def test_removing_the_attachment(people, luwu_utara, django_capture_on_commit_callbacks):
    announcement = create(people["secretariat"], luwu_utara, attachment=pdf_upload("lama.pdf"))
    old = announcement.attachment.name
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_update(
            actor=people["secretariat"], announcement=announcement, remove_attachment=True
        )
    announcement.refresh_from_db()
    assert not announcement.attachment
    assert (announcement.attachment_name, announcement.attachment_size) == ("", None)
    assert not default_storage.exists(old)


def test_publishing_and_withdrawing(people, luwu_utara):
    announcement = create(people["secretariat"], luwu_utara)
    services.announcement_publish(actor=people["secretariat"], announcement=announcement)
    announcement.refresh_from_db()
    assert announcement.is_published
    with pytest.raises(ValidationError) as error:
        services.announcement_publish(actor=people["secretariat"], announcement=announcement)
    assert error.value.messages == ["This announcement is already published."]
    services.announcement_unpublish(actor=people["secretariat"], announcement=announcement)
    announcement.refresh_from_db()
    assert announcement.published_at is None
    with pytest.raises(ValidationError) as error:
        services.announcement_unpublish(actor=people["secretariat"], announcement=announcement)
    assert error.value.messages == ["This announcement is a draft already."]
    assert actions(announcement) == [
        "announcement.created",
        "announcement.published",
        "announcement.unpublished",
    ]


def test_deleting_keeps_an_audit_entry_and_removes_the_file(
    people, luwu_utara, django_capture_on_commit_callbacks
):
    announcement = create(
        people["secretariat"], luwu_utara, attachment=pdf_upload("a.pdf"), publish=True
    )
    name, pk = announcement.attachment.name, announcement.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_delete(actor=people["secretariat"], announcement=announcement)
    assert not Announcement.objects.filter(pk=pk).exists()
    assert not default_storage.exists(name)
    entry = ActivityEntry.objects.get(action="announcement.deleted")
    assert (entry.target_id, entry.region) == (str(pk), luwu_utara)
    assert entry.data == {"title": "Panduan", "kind": "guide", "published": True, "file": "a.pdf"}


@pytest.mark.parametrize("role", ["neighbour_secretariat", "operator", "leadership"])
def test_others_change_nothing(people, luwu_utara, role):
    announcement = create(people["secretariat"], luwu_utara)
    actor = people[role]
    for call in (
        lambda: services.announcement_update(actor=actor, announcement=announcement, title="X"),
        lambda: services.announcement_publish(actor=actor, announcement=announcement),
        lambda: services.announcement_delete(actor=actor, announcement=announcement),
    ):
        with pytest.raises(PermissionDenied):
            call()
    announcement.refresh_from_db()
    assert (announcement.title, announcement.published_at) == ("Panduan", None)
    assert actions(announcement) == ["announcement.created"]


# --- Reading -------------------------------------------------------------------------------------


def test_drafts_are_seen_by_their_secretariat_and_the_administrator_only(
    people, luwu_utara, other_regency, post
):
    published = post(luwu_utara, "Terbit")
    draft = post(luwu_utara, "Draf", published=False)
    neighbour_draft = post(other_regency, "Draf tetangga", published=False)

    def seen(user):
        return set(selectors.announcements_visible_to(user))

    assert seen(AnonymousUser()) == {published}
    assert seen(people["operator"]) == {published}
    assert seen(people["secretariat"]) == {published, draft}
    assert seen(people["neighbour_secretariat"]) == {published, neighbour_draft}
    assert seen(people["admin"]) == {published, draft, neighbour_draft}


def test_the_home_page_reads_the_persons_region_and_the_regions_above_it(
    people, luwu_utara, other_regency, province, nation, post
):
    ours = post(luwu_utara, "Luwu Utara")
    provincial = post(province, "Sulawesi Selatan")
    national = post(nation, "Nasional")
    neighbour = post(other_regency, "Luwu Timur")
    elsewhere = post(Region.objects.get(code="11"), "Aceh")
    post(luwu_utara, "Draf", published=False)

    def titles(user):
        return {a.title for a in selectors.announcements_latest_for(user, limit=10)}

    assert titles(people["operator"]) == {ours.title, provincial.title, national.title}
    assert titles(people["juror"]) == {ours.title, provincial.title, national.title}
    assert titles(people["neighbour_operator"]) == {
        neighbour.title,
        provincial.title,
        national.title,
    }
    everything = {ours.title, provincial.title, national.title, neighbour.title, elsewhere.title}
    assert titles(AnonymousUser()) == everything
    assert titles(people["nobody"]) == everything
    assert titles(people["admin"]) == everything


def test_the_latest_are_pinned_first_then_newest_and_limited(people, luwu_utara, post):
    for n in range(6):
        post(luwu_utara, f"Kabar {n}")
    post(luwu_utara, "Penting", is_pinned=True)
    Announcement.objects.filter(title="Penting").update(published_at="2020-01-01T00:00:00Z")
    latest = [a.title for a in selectors.announcements_latest_for(people["operator"])]
    assert latest == ["Penting", "Kabar 5", "Kabar 4", "Kabar 3", "Kabar 2"]
