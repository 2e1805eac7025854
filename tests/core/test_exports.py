"""Background exports through their pages: a page starts one, the worker builds it (here when
the transaction commits), the person follows its progress on "My exports" and downloads it.
Only its owner sees or downloads it; a build that fails says so.

The world, built once for the module: a competition of Luwu Utara judged through both stages of
the regency template (`judge_through` in tests/judging/conftest.py).
"""

import io

import openpyxl
import pytest
from django.db import transaction
from django.test.signals import template_rendered
from django.urls import reverse

from siwanda.core import exports
from siwanda.core.models import Export
from siwanda.judging.models import PanelMember
from tests.helpers import login


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from siwanda.accounts.models import Role
    from siwanda.regions.models import Region
    from tests.builders import competition_from_template, make_people
    from tests.factories import AgencyFactory, person_with_role
    from tests.judging.conftest import judge_through, regency_stages, screen

    with django_db_blocker.unblock(), transaction.atomic():
        region = Region.objects.get(code="73.22")
        people = make_people(region, Region.objects.get(code="73.24"))
        jurors = [
            person_with_role(Role.JUROR, region=region, full_name=f"Juri {n}") for n in range(5)
        ]
        agencies = [people["agency"], people["other_agency"]] + [
            AgencyFactory(region=region, name=f"Kecamatan {n}") for n in range(4)
        ]
        competition = competition_from_template(people["secretariat"], region)
        proposals = screen(competition, agencies)
        desk, presentation = judge_through(
            people["secretariat"],
            regency_stages(people["secretariat"], competition),
            jurors,
            proposals,
        )
        yield {
            **people,
            "jurors": jurors,
            "competition": competition,
            "proposals": proposals,
            "desk": desk,
            "presentation": presentation,
        }
        transaction.set_rollback(True)


def start(client, user, kind, **params):
    """Start an export as `user` and let the worker run it (the task is queued on commit)."""
    login(client, user)
    response = client.post(reverse("core:export_create"), {"kind": kind, **params})
    return response


def run_queued(django_capture_on_commit_callbacks, client, user, kind, **params):
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, user, kind, **params)
    assert response.status_code == 302, response.status_code
    return Export.objects.filter(owner=user).latest("id")


def workbook(client, export):
    response = client.get(reverse("core:export_download", args=[export.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- Starting an export and following it ----------------------------------------------------------


def test_an_export_waits_in_the_queue_and_the_page_follows_it(db, client, world):
    response = start(client, world["secretariat"], "judging.stage", stage=world["desk"].pk)
    assert response["Location"] == reverse("core:exports")
    export = Export.objects.get(owner=world["secretariat"])
    assert (export.kind, export.params, export.status) == (
        "judging.stage",
        {"stage": world["desk"].pk},
        Export.Status.QUEUED,
    )
    assert export.title == "Scores of Proposal evaluation, KIPP Uji"
    page = client.get(reverse("core:exports")).content.decode()
    assert "Scores of Proposal evaluation, KIPP Uji" in page
    assert f'hx-get="{reverse("core:exports_status")}" hx-trigger="every 2s"' in page
    assert '<span class="small">Waiting 0%</span>' in page
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, done=50, total=200)
    fragment = client.get(reverse("core:exports_status")).content.decode()
    assert fragment.lstrip().startswith('<div id="export-list"')
    assert "<html" not in fragment
    assert '<progress value="25" max="100"' in fragment
    assert '<span class="small">Being built 25%</span>' in fragment
    assert "hx-trigger" in fragment
    # The person cannot download it yet.
    assert client.get(reverse("core:export_download", args=[export.pk])).status_code == 404


def test_the_worker_builds_the_stage_workbook_with_every_score(
    db, client, world, django_capture_on_commit_callbacks
):
    desk, proposals = world["desk"], world["proposals"]
    export = run_queued(
        django_capture_on_commit_callbacks,
        client,
        world["secretariat"],
        "judging.stage",
        stage=desk.pk,
    )
    assert (export.status, export.error, export.percent) == (Export.Status.DONE, "", 100)
    assert export.filename == f"kipp-uji-{world['competition'].year}-penilaian-proposal.xlsx"
    assert export.finished_at is not None
    fragment = client.get(reverse("core:exports_status")).content.decode()
    assert f'href="{reverse("core:export_download", args=[export.pk])}">Download' in fragment
    assert "hx-trigger" not in fragment  # nothing runs any more
    book = workbook(client, export)
    assert book.sheetnames == ["Ranking", "Per juror", "Per criterion", "Moderation", "Method"]
    ranking = rows(book["Ranking"])
    assert ranking[0][:7] == [
        "Rank",
        "Proposal",
        "Agency",
        "Group",
        "Score that ranks",
        "Raw (Mean)",
        "Normalised (Mean of z-scores)",
    ]
    assert ranking[0][-1] == "Outcome"
    body = {r[1]: r for r in ranking[1:]}
    assert len(body) == 6
    assert body[proposals[5].title][0] == 1 and body[proposals[5].title][4] == 75
    assert body[proposals[1].title][9] == 60  # the consensus of the moderation
    assert body[proposals[1].title][12] == "yes"  # flagged
    assert body[proposals[5].title][-1] == "Goes on" and body[proposals[0].title][-1] == (
        "Does not go on"
    )
    per_juror = rows(book["Per juror"])
    assert per_juror[0] == ["Proposal", "Juror", "Total (0–100)", "Normalised total"]
    assert len(per_juror) == 1 + 18
    detail = rows(book["Per criterion"])
    assert detail[0] == [
        "Proposal",
        "Juror",
        "Criterion",
        "Weight",
        "Score",
        "Not applicable",
        "Comment",
        "Sheet",
    ]
    assert len(detail) == 1 + 18 * 7
    assert {r[7] for r in detail[1:]} == {"Submitted"}
    moderation = rows(book["Moderation"])
    assert moderation[1][:5] == [proposals[1].title, 50, "Decided", 60, "Pleno: nilai tengah"]
    method = dict(r[:2] for r in rows(book["Method"])[1:])
    assert method["Aggregation"] == "Mean" and method["Ranked by"] == "raw totals"
    assert method["Weight: Significance"] == 30


def test_the_final_workbook_combines_the_stages(
    db, client, world, django_capture_on_commit_callbacks
):
    proposals = world["proposals"]
    export = run_queued(
        django_capture_on_commit_callbacks,
        client,
        world["secretariat"],
        "judging.final",
        competition=world["competition"].pk,
    )
    assert export.title == "Final result of KIPP Uji"
    book = workbook(client, export)
    assert book.sheetnames == ["Final result", "Moderation", "Special categories"]
    final = rows(book["Final result"])
    assert final[0] == [
        "Rank",
        "Proposal",
        "Agency",
        "Combined score",
        "Proposal evaluation (40.00%)",
        "Presentations (60.00%)",
        "Tie broken by",
    ]
    assert [r[:4] for r in final[1:]] == [
        [1, proposals[3].title, "Kecamatan 1", 71],
        [2, proposals[4].title, "Kecamatan 2", 70.6],
        [3, proposals[5].title, "Kecamatan 3", 60],
    ]
    assert len(rows(book["Moderation"])) == 3  # one flagged proposal in each stage
    assert rows(book["Special categories"])[1] == [
        "Kategori Partisipatif",
        proposals[0].title,
        "Dinas Kesehatan",
        "Melibatkan warga desa",
    ]


def test_the_jury_book_of_a_panel_member_leaves_out_their_conflicts(
    db, client, world, django_capture_on_commit_callbacks
):
    rendered = []

    def keep(sender, template, context, **kwargs):
        if template.name == "judging/jury_book.html":
            rendered.append([item["proposal"].title for item in context["items"]])

    template_rendered.connect(keep)
    try:
        juror = world["jurors"][4]  # works in Dinas Kesehatan: in conflict with proposals[0]
        export = run_queued(
            django_capture_on_commit_callbacks,
            client,
            juror,
            "judging.jury_book",
            stage=world["desk"].pk,
        )
        secretariat = run_queued(
            django_capture_on_commit_callbacks,
            client,
            world["secretariat"],
            "judging.jury_book",
            stage=world["desk"].pk,
        )
    finally:
        template_rendered.disconnect(keep)
    assert export.status == Export.Status.DONE and export.filename.endswith("-jury-book.pdf")
    assert world["proposals"][0].title not in rendered[0]
    mine = world["desk"].assignments.filter(juror=juror, calibration=False)
    assert sorted(rendered[0]) == sorted(a.proposal.title for a in mine)
    assert len(rendered[1]) == 6 and secretariat.status == Export.Status.DONE
    login(client, juror)
    response = client.get(reverse("core:export_download", args=[export.pk]))
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"


def test_a_conflicted_chair_exports_the_stage_without_its_conflict(
    db, client, world, django_capture_on_commit_callbacks
):
    desk, chair = world["desk"], world["jurors"][4]
    PanelMember.objects.filter(stage=desk).update(is_chair=False)
    PanelMember.objects.filter(stage=desk, juror=chair).update(is_chair=True)
    export = run_queued(
        django_capture_on_commit_callbacks, client, chair, "judging.stage", stage=desk.pk
    )
    book = workbook(client, export)
    conflicted = world["proposals"][0].title
    for name in book.sheetnames:
        assert all(conflicted not in r for r in rows(book[name])), name
    assert len(rows(book["Ranking"])) == 1 + 5


# --- Who may export and download ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "kind", "param"),
    [
        ("operator", "judging.stage", "stage"),
        ("neighbour_secretariat", "judging.stage", "stage"),
        ("juror", "judging.stage", "stage"),  # off the panel
        ("member", "judging.stage", "stage"),  # on the panel, not the chair
        ("juror", "judging.jury_book", "stage"),
        ("member", "judging.final", "competition"),
        ("operator", "judging.final", "competition"),
        ("secretariat", "siwanda.unknown", "stage"),
    ],
)
def test_exports_are_refused_to_people_who_may_not_see_the_data(
    db, client, world, role, kind, param
):
    people = {**world, "member": world["jurors"][2]}
    target = world["competition"].pk if param == "competition" else world["desk"].pk
    response = start(client, people[role], kind, **{param: target})
    assert response.status_code == 403
    assert not Export.objects.exists()


def test_starting_an_export_takes_a_logged_in_post(db, client, world):
    response = client.post(
        reverse("core:export_create"), {"kind": "judging.stage", "stage": world["desk"].pk}
    )
    assert response["Location"].startswith(reverse("accounts:login"))
    login(client, world["secretariat"])
    assert client.get(reverse("core:export_create")).status_code == 405
    assert not Export.objects.exists()


def test_an_export_is_its_owners_alone(db, client, world, django_capture_on_commit_callbacks):
    export = run_queued(
        django_capture_on_commit_callbacks,
        client,
        world["secretariat"],
        "judging.final",
        competition=world["competition"].pk,
    )
    download = reverse("core:export_download", args=[export.pk])
    for role in ("admin", "operator", "neighbour_secretariat"):
        login(client, world[role])
        assert client.get(download).status_code == 404, role
        assert (
            "Final result of KIPP Uji" not in client.get(reverse("core:exports")).content.decode()
        )
        assert "No export yet." in client.get(reverse("core:exports_status")).content.decode()
    client.logout()
    assert client.get(download)["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("core:exports"))["Location"].startswith(reverse("accounts:login"))


# --- Failures -------------------------------------------------------------------------------------


class BrokenExport:
    """An exporter whose build breaks half-way (as a full disk would)."""

    @staticmethod
    def allowed(user, params):
        return True

    @staticmethod
    def title(params):
        return "Laporan rusak"

    @staticmethod
    def build(params, user, progress):
        progress(1, 4)
        raise OSError("No space left on device")


def test_a_build_that_breaks_is_shown_as_failed(
    db, client, world, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    monkeypatch.setitem(exports.EXPORTERS, "tests.broken", f"{__name__}.BrokenExport")
    export = run_queued(
        django_capture_on_commit_callbacks, client, world["secretariat"], "tests.broken"
    )
    assert (export.status, export.error, export.done, export.total) == (
        Export.Status.FAILED,
        "No space left on device",
        1,
        4,
    )
    assert export.finished_at is not None and not export.file
    assert f"export {export.pk} failed" in caplog.text
    page = client.get(reverse("core:exports")).content.decode()
    assert "Failed. Try again; if it fails again, tell the administrator." in page
    assert "hx-trigger" not in page
    assert client.get(reverse("core:export_download", args=[export.pk])).status_code == 404


def test_an_export_whose_owner_lost_the_right_fails_without_data(
    db, client, world, django_capture_on_commit_callbacks
):
    chair = world["jurors"][1]  # chairs the presentations
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        start(client, chair, "judging.stage", stage=world["presentation"].pk)
    export = Export.objects.get(owner=chair)
    PanelMember.objects.filter(stage=world["presentation"], juror=chair).update(is_chair=False)
    for callback in callbacks:
        callback()
    export.refresh_from_db()
    assert (export.status, export.error, bool(export.file)) == (
        Export.Status.FAILED,
        "permission",
        False,
    )
