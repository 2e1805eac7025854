import json
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from siwanda.accounts.models import Invitation
from tests.factories import AgencyFactory
from tests.helpers import login


def test_healthz_reports_every_service(client, db):
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "task_queue"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_is_503_when_storage_cannot_be_written(client, db, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": "/proc/siwanda-cannot-write-here"},
        },
    }
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["checks"]["storage"]["ok"] is False
    assert "Error" in body["checks"]["storage"]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_no_worker_takes_the_tasks(client, db, settings):
    from django_tasks_db.models import DBTaskResult

    from siwanda.core.tasks import send_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email.enqueue(to=["a@b.id"], subject="s", body="b")
    assert client.get("/healthz").status_code == 200
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["task_queue"]["waiting"] == 1


def test_language_switch_is_remembered_on_the_account(client, people):
    login(client, people["operator"])
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/profil/"})
    assert response["Location"] == "/profil/"
    assert response.cookies["django_language"].value == "en"
    people["operator"].refresh_from_db()
    assert people["operator"].language == "en"
    # Another device, no cookie: the account's choice applies.
    other = Client()
    login(other, people["operator"])
    assert '<html lang="en">' in other.get("/").content.decode()


def test_language_switch_for_visitors_uses_a_cookie(client, db, settings):
    settings.LANGUAGE_CODE = "id"
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "/masuk/"})
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/masuk/").content.decode()
    client.post(reverse("core:set_language"), {"language": "id", "next": "/masuk/"})
    assert '<html lang="id">' in client.get("/masuk/").content.decode()


def test_language_switch_refuses_foreign_redirects_and_unknown_languages(client, db):
    response = client.post(
        reverse("core:set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


def test_the_choice_made_before_logging_in_is_kept(client, people):
    client.cookies["django_language"] = "en"
    client.post("/masuk/", {"username": people["head"].email, "password": "a-Strong-passw0rd"})
    people["head"].refresh_from_db()
    assert people["head"].language == "en"


def test_indonesian_is_the_default(client, db, settings):
    settings.LANGUAGE_CODE = "id"
    assert '<html lang="id">' in client.get("/masuk/").content.decode()


def test_pages_send_a_strict_content_security_policy(client, db):
    policy = client.get("/masuk/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in client.get("/masuk/").content.decode()


def test_secretariat_home_says_what_to_do_next(client, people, luwu_utara):
    login(client, people["secretariat"])
    people["operator"].role_assignments.all().delete()
    people["other_operator"].role_assignments.all().delete()
    Invitation.objects.create(
        user=people["juror"],
        region=luwu_utara,
        token_hash="a",
        expires_at=timezone.now() - timedelta(days=1),
    )
    tasks = [t.text for p in client.get("/").context["panels"] for t in p.tasks]
    assert tasks == [
        "2 agencies have no operator: invite one so that they can enter innovations.",
        "1 invitation expired before it was used: send it again.",
    ]


def test_a_new_regions_secretariat_is_told_to_add_agencies(client, db, other_regency):
    from tests.factories import person_with_role

    login(client, person_with_role("secretariat", region=other_regency))
    panel = client.get("/").context["panels"][0]
    assert panel.tasks[0].url == reverse("regions:agency_import", args=[other_regency.code])


def test_admin_home_counts_regions_without_a_secretariat(client, people):
    login(client, people["admin"])
    panel = client.get("/").context["panels"][0]
    # 552 provinces, regencies and cities; the fixture gave Luwu Utara and Luwu Timur one.
    assert panel.tasks[0].text.startswith("550 regions have no secretariat")


def test_a_person_without_any_role_is_told_whom_to_ask(client, people):
    login(client, people["nobody"])
    response = client.get("/")
    assert response.context["panels"] == []
    assert "no role yet" in response.content.decode()


def test_every_role_has_its_own_home(client, people):
    for role, title in [
        ("operator", "Dinas Kesehatan"),
        ("head", "Dinas Kesehatan"),
        ("mentor", "Mentor in Kabupaten Luwu Utara"),
        ("juror", "Juror in Kabupaten Luwu Utara"),
        ("leadership", "Leadership of Kabupaten Luwu Utara"),
        ("secretariat", "Secretariat of Kabupaten Luwu Utara"),
    ]:
        login(client, people[role])
        client.cookies["django_language"] = "en"
        assert [p.title for p in client.get("/").context["panels"]] == [title]


def test_the_menu_shows_only_what_the_person_may_use(client, people):
    login(client, people["operator"])
    assert [item["url"] for item in client.get("/").context["menu"]] == [
        "/",
        "/kompetisi/",
        "/usulan/",
        "/inovasi/",
        "/katalog/",
        "/pengumuman/",
        "/replikasi/",
    ]
    login(client, people["juror"])
    assert [item["url"] for item in client.get("/").context["menu"]] == [
        "/",
        "/kompetisi/",
        "/penilaian/",
        "/katalog/",
        "/pengumuman/",
        "/wilayah/73.22/perangkat-daerah/",
    ]
    client.logout()
    assert [item["url"] for item in client.get("/").context["menu"]] == [
        "/katalog/",
        "/pengumuman/",
    ]
    login(client, people["secretariat"])
    menu = client.get("/").context["menu"]
    assert "/dasbor/" in [item.get("url") for item in menu]
    region = next(item for item in menu if item.get("children"))
    assert [child["url"] for child in region["children"]] == [
        "/wilayah/73.22/",
        "/wilayah/73.22/perangkat-daerah/",
        "/wilayah/73.22/pengguna/",
        "/wilayah/73.22/pendamping/",
        "/wilayah/73.22/aktivitas/",
    ]
    assert "/wilayah/" not in [item.get("url") for item in menu]


def test_a_missing_page_is_explained(client, people):
    login(client, people["operator"])
    response = client.get("/perangkat-daerah/999999/")
    assert response.status_code == 404
    assert 'href="/"' in response.content.decode()


def test_an_expired_form_is_explained(people):
    csrf_client = Client(enforce_csrf_checks=True)
    login(csrf_client, people["secretariat"])
    response = csrf_client.post(reverse("regions:agency_create", args=["73.22"]), {"name": "X"})
    assert response.status_code == 403
    assert "expired" in response.content.decode() or "kedaluwarsa" in response.content.decode()


def test_agency_count_on_the_region_page(client, people, luwu_utara):
    AgencyFactory(region=luwu_utara, is_active=False)
    login(client, people["secretariat"])
    response = client.get(reverse("regions:detail", args=["73.22"]))
    assert response.context["counts"] == {"active": 2, "inactive": 1}
