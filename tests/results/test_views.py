"""Results through their pages: the secretariat's results page (combined ranking, special
categories, publication, corrections and their proofs), the public results page, certificate
verification by code, the certificates, award letters and decree annex as PDF, and the region's
document templates; each refusing the people it is not for.

Judging a competition to the end takes a while, so the module builds its world once (inside a
transaction rolled back at the end; each test runs in a savepoint of its own): two competitions
of Luwu Utara judged through both stages of the regency template by `judge_through` (see
tests/judging/conftest.py: screened[3] and screened[4] win, screened[0] of Dinas Kesehatan gets
the Kategori Partisipatif), one waiting to be published, one published.
"""

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from siwanda.activity.models import ActivityEntry
from siwanda.competitions.models import Competition
from siwanda.core.models import Notice
from siwanda.innovations.models import Award
from siwanda.judging.models import SpecialAward
from siwanda.results import documents
from siwanda.results import services as results
from siwanda.results.models import Certificate, DocumentTemplate, Publication
from tests.helpers import login

NOT_ORGANISERS = ("neighbour_secretariat", "operator", "head", "juror", "mentor", "anonymous")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    from siwanda.accounts.models import Role
    from siwanda.regions.models import Region
    from tests.builders import competition_from_template, make_people
    from tests.factories import AgencyFactory, person_with_role
    from tests.judging.conftest import judge_through, regency_stages, screen

    with django_db_blocker.unblock(), transaction.atomic():
        region = Region.objects.get(code="73.22")
        people = make_people(region, Region.objects.get(code="73.24"))
        secretariat = people["secretariat"]
        jurors = [
            person_with_role(Role.JUROR, region=region, full_name=f"Juri {n}") for n in range(5)
        ]
        agencies = [people["agency"], people["other_agency"]] + [
            AgencyFactory(region=region, name=f"Kecamatan {n}") for n in range(4)
        ]

        def judged(name):
            competition = competition_from_template(secretariat, region, name=name)
            proposals = screen(competition, agencies)
            judge_through(secretariat, regency_stages(secretariat, competition), jurors, proposals)
            competition.refresh_from_db()
            return competition, proposals

        decided, decided_proposals = judged("KIPP Uji")
        finished, proposals = judged("KIPP Terbit")
        publication = results.results_publish(actor=secretariat, competition=finished)
        yield {
            **people,
            "jurors": jurors,
            "decided": decided,
            "decided_proposals": decided_proposals,
            "finished": finished,
            "proposals": proposals,
            "publication": publication,
        }
        transaction.set_rollback(True)


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def text(response) -> str:
    return response.content.decode()


def url(name, *args):
    return reverse(f"results:{name}", args=args)


def assert_refused(client, world, roles, method, address, data=None):
    """Each of `roles` is refused (a visitor is sent to log in), sees no proposal, and the
    activity log is untouched."""
    for role in roles:
        client.logout()
        if role != "anonymous":
            login(client, world[role])
        before = ActivityEntry.objects.count()
        response = getattr(client, method)(address, data or {})
        if role == "anonymous":
            assert response.status_code == 302, role
            assert response["Location"].startswith(reverse("accounts:login")), role
        else:
            assert response.status_code in (403, 404), (role, address, response.status_code)
            assert "Inovasi " not in response.content.decode(), role  # no proposal shows
        assert ActivityEntry.objects.count() == before, role
    client.logout()


def certificates(world, **filters):
    return Certificate.objects.filter(publication__competition=world["finished"], **filters)


# --- The secretariat's results page ---------------------------------------------------------------


def test_the_results_page_waits_for_the_last_stages_outcomes(db, client, world):
    from tests.builders import competition_from_template
    from tests.judging.conftest import regency_stages, screen

    region = world["decided"].region
    competition = competition_from_template(world["secretariat"], region, name="KIPP Baru")
    screen(competition, [world["agency"]])
    regency_stages(world["secretariat"], competition)
    login(client, world["secretariat"])
    page = text(client.get(url("manage", competition.pk)))
    assert "The outcomes of the last stage are not applied yet." in page
    assert "No combined ranking yet: the weighted stages have no scores." in page
    assert re.search(r'<button class="btn btn-success" type="submit" disabled>\s*Publish', page)
    response = client.post(url("publish", competition.pk))
    assert response["Location"] == url("manage", competition.pk)
    assert flashed(response) == [
        "The outcomes of the last stage are not applied yet.",
        "The competition is not being judged.",
    ]
    assert not Publication.objects.filter(competition=competition).exists()


def test_the_results_page_shows_the_combined_ranking_and_the_winners(db, client, world):
    proposals, competition = world["decided_proposals"], world["decided"]
    login(client, world["secretariat"])
    page = text(client.get(url("manage", competition.pk)))
    table = page.split('id="final-title"')[1].split("</table>")[0]
    rows = re.findall(
        r"<tr>\s*<td>(\d+).*?<td>(Inovasi [^<]+)<div.*?fw-semibold\">([\d.]+)</td>", table, re.S
    )
    # Among the proposals scored in both weighted stages (40 % desk, 60 % presentations).
    assert rows == [
        ("1", proposals[3].title, "71.00"),
        ("2", proposals[4].title, "70.60"),
        ("3", proposals[5].title, "60.00"),
    ]
    assert table.count('<span class="badge text-bg-success">winner</span>') == 2
    assert "Stage weights: Proposal evaluation 40%, Presentations 60%." in page
    assert "Kategori Partisipatif</span>: Inovasi Dinas Kesehatan 0" in page
    assert "Publish the results" in page and "The outcomes of the last stage" not in page
    assert "Reason for the correction" not in page  # a first publication needs no reason


def test_a_special_category_is_recorded_with_its_reason(db, client, world):
    competition, proposals = world["decided"], world["decided_proposals"]
    login(client, world["secretariat"])
    page = text(client.get(url("manage", competition.pk)))
    assert f'<option value="{proposals[2].pk}">' in page
    response = client.post(
        url("manage", competition.pk),
        {
            "proposal": proposals[2].pk,
            "name": "Kategori Favorit",
            "name_en": "Favourite",
            "reason": "Pilihan warganet",
        },
    )
    assert response["Location"] == url("manage", competition.pk)
    assert flashed(response) == ["Special category recorded."]
    award = SpecialAward.objects.get(competition=competition, name="Kategori Favorit")
    assert (award.proposal, award.reason, award.chosen_by) == (
        proposals[2],
        "Pilihan warganet",
        world["secretariat"],
    )
    page = text(client.get(url("manage", competition.pk)))
    assert "Kategori Favorit</span>: Inovasi Kecamatan 0 0" in page
    entry = ActivityEntry.objects.filter(action="judging.special_award_added").latest("id")
    assert entry.data == {"category": "Kategori Favorit", "reason": "Pilihan warganet"}


def test_a_wrong_special_category_keeps_what_was_typed(db, client, world):
    competition, proposals = world["decided"], world["decided_proposals"]
    login(client, world["secretariat"])
    response = client.post(
        url("manage", competition.pk),
        {"proposal": proposals[2].pk, "name": "Kategori Favorit", "reason": ""},
    )
    page = text(response)
    assert response.status_code == 200
    assert 'id="id_reason_error"><p class="mb-0">This field is required.' in page
    assert 'name="name" value="Kategori Favorit"' in page
    assert f'<option value="{proposals[2].pk}" selected>' in page
    response = client.post(
        url("manage", competition.pk),
        {"proposal": proposals[0].pk, "name": "Kategori Partisipatif", "reason": "Lagi"},
    )
    assert "This proposal already has this category." in text(response)
    assert SpecialAward.objects.filter(competition=competition).count() == 1


def test_a_special_category_is_removed(db, client, world):
    award = SpecialAward.objects.get(competition=world["decided"])
    login(client, world["secretariat"])
    response = client.post(url("special_remove", award.pk))
    assert response["Location"] == url("manage", world["decided"].pk)
    assert flashed(response) == ["Special category removed."]
    assert not SpecialAward.objects.filter(pk=award.pk).exists()
    assert ActivityEntry.objects.filter(action="judging.special_award_removed").count() == 1
    assert client.get(url("special_remove", award.pk)).status_code == 405


def test_publishing_freezes_a_snapshot_issues_certificates_and_tells_the_agencies(
    db, client, world, django_capture_on_commit_callbacks
):
    competition, proposals = world["decided"], world["decided_proposals"]
    login(client, world["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):  # the worker renders certificates
        response = client.post(url("publish", competition.pk))
    assert response["Location"] == url("manage", competition.pk)
    assert flashed(response) == [
        "Results published (snapshot 1). Certificates are ready; the agencies have been told."
    ]
    publication = Publication.objects.get(competition=competition)
    assert (publication.number, publication.published_by) == (1, world["secretariat"])
    assert publication.digest == results.digest_of(publication.data)
    assert Competition.objects.get(pk=competition.pk).status == Competition.Status.FINISHED
    issued = list(publication.certificates.order_by("kind", "rank"))
    assert [(c.kind, c.rank, c.proposal) for c in issued] == [
        ("rank", 1, proposals[3]),
        ("rank", 2, proposals[4]),
        ("special", None, proposals[0]),
    ]
    assert [c.name for c in issued] == [
        f"Top 2 KIPP Uji {competition.year}",
        f"Top 2 KIPP Uji {competition.year}",
        f"Kategori Partisipatif KIPP Uji {competition.year}",
    ]
    for certificate in issued:
        certificate.refresh_from_db()
        with certificate.pdf.open("rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    assert Award.objects.filter(competition=competition).count() == 3
    assert Notice.objects.filter(
        user=world["operator"], text=f"The results of {competition} are published."
    ).exists()
    entry = ActivityEntry.objects.get(action="results.published", target_id=competition.pk)
    assert entry.data["digest"] == publication.digest
    page = text(client.get(url("manage", competition.pk)))
    assert "Publish a correction" in page and 'name="reason"' in page
    for c in issued:
        assert f'href="{url("verify", c.code)}">{c.code}</a>' in page
        assert f'href="{url("certificate", c.code)}"' in page
        assert f'href="{url("letter", c.code)}"' in page
    assert f'href="{url("public", competition.pk)}"' in page
    assert f'href="{url("annex", competition.pk)}"' in page


def test_a_publication_recomputes_to_the_same_ranking(db, client, world):
    login(client, world["secretariat"])
    page = text(client.get(url("manage", world["finished"].pk), {"check": "1"}))
    assert (
        "Snapshot 1 recomputed from its frozen scores: the same ranking, number for number."
    ) in page
    assert "Rebuilt from the audit trail (every score sheet as it was submitted" in page
    assert "✗" not in page


def test_a_correction_needs_a_reason_and_revokes_what_it_takes_away(db, client, world):
    competition = world["finished"]
    kept = list(certificates(world, kind="rank").values_list("code", flat=True))
    login(client, world["secretariat"])
    response = client.post(url("publish", competition.pk), {"reason": " "})
    assert flashed(response) == ["A correction needs its reason."]
    assert Publication.objects.filter(competition=competition).count() == 1
    # The panel takes the special category back: a correction publishes it.
    page = text(client.get(url("manage", competition.pk)))
    assert "a change here takes effect when you publish a correction" in page
    award = SpecialAward.objects.get(competition=competition)
    response = client.post(url("special_remove", award.pk))
    assert flashed(response) == ["Special category removed."]
    response = client.post(url("publish", competition.pk), {"reason": "Bukan inovasi baru"})
    assert flashed(response)[-1].startswith("Results published (snapshot 2).")
    correction = Publication.objects.get(competition=competition, number=2)
    assert correction.reason == "Bukan inovasi baru"
    special = certificates(world, kind="special").get()
    assert (special.revoked_reason, special.revoked_at) == (
        "Bukan inovasi baru",
        correction.published_at,
    )
    # The winners did not change: their certificates stay valid, none issued again.
    assert list(certificates(world, kind="rank").values_list("code", flat=True)) == kept
    assert not certificates(world, kind="rank", revoked_at__isnull=False).exists()
    assert not Certificate.objects.filter(publication=correction).exists()
    assert Award.objects.filter(competition=competition).count() == 2
    assert ActivityEntry.objects.filter(action="results.corrected").count() == 1
    page = text(client.get(url("public", competition.pk)))
    assert "· correction 2</p>" in page
    assert "Participatory category" not in page
    earlier = page.split('id="corrections-title">Earlier publications</h2>')[1].split("</ul>")[0]
    assert earlier.count("<li>") == 1 and earlier.startswith('<ul class="small"><li>1 · ')
    page = text(client.get(url("verify", special.code)))
    assert "This certificate is no longer valid." in page


def test_results_pages_refuse_everyone_but_the_organiser(db, client, world):
    competition = world["decided"]
    award = SpecialAward.objects.get(competition=competition)
    # The panel, its chair (Juri 1 chairs the presentations) and the juror in conflict with
    # Dinas Kesehatan (Juri 4) included: they judge, they do not publish.
    people = {**world, "chair": world["jurors"][1], "conflicted": world["jurors"][4]}
    roles = (*NOT_ORGANISERS, "chair", "conflicted")
    assert_refused(client, people, roles, "get", url("manage", competition.pk))
    assert_refused(
        client,
        people,
        roles,
        "post",
        url("manage", competition.pk),
        {"proposal": world["decided_proposals"][2].pk, "name": "Lain", "reason": "x"},
    )
    assert_refused(client, people, roles, "post", url("publish", competition.pk))
    assert_refused(client, people, roles, "post", url("special_remove", award.pk))
    assert_refused(client, people, roles, "get", url("annex", world["finished"].pk))
    assert not Publication.objects.filter(competition=competition).exists()
    assert SpecialAward.objects.filter(competition=competition).count() == 1


# --- Documents ------------------------------------------------------------------------------------


def test_certificates_letters_and_the_annex_are_pdfs(db, client, world):
    certificate = certificates(world, kind="rank", rank=1).get()
    login(client, world["secretariat"])
    for address, name in [
        (url("certificate", certificate.code), f"sertifikat-{certificate.code}.pdf"),
        (url("letter", certificate.code), f"surat-{certificate.code}.pdf"),
        (url("annex", world["finished"].pk), f"lampiran-sk-{world['finished'].year}-1.pdf"),
    ]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert response["Content-Type"] == "application/pdf"
        assert response.content[:5] == b"%PDF-"
        assert response["Content-Disposition"] == f'inline; filename="{name}"'
    certificate.refresh_from_db()
    assert certificate.pdf.name.endswith(f"{certificate.code}.pdf")  # kept for next time


def test_the_annex_waits_for_a_publication(db, client, world):
    login(client, world["secretariat"])
    assert client.get(url("annex", world["decided"].pk)).status_code == 404


def test_the_winning_agency_downloads_its_certificate_and_others_may_not(db, client, world):
    special = certificates(world, kind="special").get()
    assert special.agency_name == "Dinas Kesehatan"
    special.pdf.save("kept.pdf", io.BytesIO(b"%PDF-1.7 kept"), save=True)
    for role in ("operator", "head"):
        login(client, world[role])
        response = client.get(url("certificate", special.code))
        assert (response.status_code, response.content) == (200, b"%PDF-1.7 kept")
    outsiders = ("other_operator", "neighbour_secretariat", "neighbour_operator", "juror")
    assert_refused(
        client, world, (*outsiders, "anonymous"), "get", url("certificate", special.code)
    )
    assert_refused(client, world, (*outsiders, "anonymous"), "get", url("letter", special.code))
    login(client, world["secretariat"])
    assert client.get(url("certificate", "TIDAKADA")).status_code == 404


# --- Public pages ---------------------------------------------------------------------------------


def test_the_public_results_page_shows_the_winners_and_how_they_were_reached(db, client, world):
    competition, proposals = world["finished"], world["proposals"]
    response = client.get(url("public", competition.pk))
    page = text(response)
    assert response.status_code == 200
    winners = page.split('id="winners-title"')[1].split("</section>")[0]
    assert re.findall(r'<div class="fw-semibold">([^<]+)</div>', winners) == [
        proposals[3].title,
        proposals[4].title,
    ]
    assert ">71.00</span>" in winners and ">70.60</span>" in winners
    assert proposals[5].title not in page and proposals[1].title not in page
    assert "Participatory category" in page and "Melibatkan warga desa" in page
    assert "Proposal evaluation</span> — weight 40%; criteria: Background and goals 10%" in page
    assert "Presentations</span> — weight 60%" in page
    assert f"The published snapshot's SHA-256 digest is {world['publication'].digest}" in page
    assert "correction" not in page.split("</h1>")[1].split("</p>")[0]


def test_the_public_results_page_waits_for_the_publication(db, client, world):
    assert client.get(url("public", world["decided"].pk)).status_code == 404
    assert client.get(url("public", 999999)).status_code == 404


def test_a_certificate_is_verified_by_its_code(db, client, world):
    certificate = certificates(world, kind="rank", rank=1).get()
    response = client.get(url("verify", certificate.code.lower()))
    page = text(response)
    assert response.status_code == 200
    assert "✓ This certificate is genuine and valid." in page
    assert f"<code>{certificate.code}</code>" in page
    assert f"{certificate.innovation_title}</dd>" in page
    assert f"{certificate.agency_name}</dd>" in page
    assert f'href="{url("public", world["finished"].pk)}"' in page
    assert client.get(url("verify", "BUKANKODE")).status_code == 404


def test_a_revoked_certificate_is_shown_as_revoked_and_no_longer_downloads(db, client, world):
    certificate = certificates(world, kind="rank", rank=2).get()
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.now(), revoked_reason="Data tidak benar"
    )
    page = text(client.get(url("verify", certificate.code)))
    assert "This certificate is no longer valid." in page
    assert "by a correction of the results. Data tidak benar" in page
    assert "genuine and valid" not in page
    login(client, world["secretariat"])
    assert client.get(url("certificate", certificate.code)).status_code == 404
    assert client.get(url("letter", certificate.code)).status_code == 404
    page = text(client.get(url("manage", world["finished"].pk)))
    assert '<div class="small text-danger">revoked: Data tidak benar</div>' in page
    assert f'href="{url("certificate", certificate.code)}"' not in page


# --- Document templates ---------------------------------------------------------------------------


def template_url(kind="certificate", code="73.22"):
    return url("document_template", code, kind)


def test_a_region_adapts_a_document_and_goes_back_to_siwandas(db, client, world):
    certificate = certificates(world, kind="rank", rank=1).get()
    certificate.pdf.save("kept.pdf", io.BytesIO(b"%PDF-1.7 kept"), save=True)
    login(client, world["secretariat"])
    page = text(client.get(template_url()))
    assert "Siwanda's own template is used." in page
    assert "{{ certificate.innovation_title }}" in page  # Siwanda's template, to start from
    for kind in ("certificate", "letter", "annex"):
        assert f'href="{template_url(kind)}"' in page
    body = "<h1>Piagam {{ certificate.innovation_title }}</h1><p>{{ certificate.code }}</p>"
    response = client.post(template_url(), {"body": body})
    assert response["Location"] == template_url()
    assert flashed(response) == ["Template saved."]
    custom = DocumentTemplate.objects.get(kind="certificate")
    assert (custom.body, custom.updated_by) == (body, world["secretariat"])
    certificate.refresh_from_db()
    assert not certificate.pdf  # rendered again, with the region's template
    html = documents.render_html(
        custom.region, "certificate", documents._certificate_context(certificate)
    )
    assert html == f"<h1>Piagam {certificate.innovation_title}</h1><p>{certificate.code}</p>"
    page = text(client.get(template_url()))
    assert "uses its own version (last changed by" in page
    assert "Use Siwanda's template again" in page
    response = client.post(template_url(), {"body": body, "reset": "1"})
    assert flashed(response) == ["Siwanda's own template is used again."]
    assert not DocumentTemplate.objects.exists()
    entries = ActivityEntry.objects.filter(action__startswith="results.template_")
    assert list(entries.order_by("id").values_list("action", flat=True)) == [
        "results.template_saved",
        "results.template_reset",
    ]


def test_a_template_with_a_mistake_is_not_saved_and_keeps_what_was_typed(db, client, world):
    login(client, world["secretariat"])
    body = "<p>{% if certificate %}Piagam</p>"
    response = client.post(template_url("letter"), {"body": body})
    page = text(response)
    assert response.status_code == 200
    assert "The template has a mistake: Unclosed tag" in page
    assert "&lt;p&gt;{% if certificate %}Piagam&lt;/p&gt;</textarea>" in page
    assert not DocumentTemplate.objects.exists()
    response = client.post(template_url("letter"), {"body": ""})
    assert "This field is required." in text(response)


def test_a_template_mistake_is_explained_in_indonesian(db, client, world):
    secretariat = type(world["secretariat"]).objects.get(pk=world["secretariat"].pk)
    secretariat.language = "id"  # on a copy: the world's people are shared by the tests
    secretariat.save(update_fields=["language"])
    login(client, secretariat)
    response = client.post(template_url("annex"), {"body": "{% for w in winners %}"})
    page = text(response)
    assert '<html lang="id">' in page
    assert "Templat mengandung kesalahan: Unclosed tag" in page
    assert "{% for w in winners %}</textarea>" in page
    assert not DocumentTemplate.objects.exists()


def test_document_templates_are_the_regions_own(db, client, world):
    assert client.get(template_url("rapor")).status_code == 302  # a visitor logs in first
    login(client, world["secretariat"])
    assert client.get(template_url("rapor")).status_code == 404
    assert client.get(template_url(code="73.24")).status_code == 404  # the neighbour's region
    login(client, world["admin"])
    assert "Document templates" in text(client.get(template_url()))
    assert_refused(
        client,
        world,
        ("neighbour_secretariat", "operator", "juror", "leadership", "anonymous"),
        "post",
        template_url(),
        {"body": "<p>Disusupi</p>"},
    )
    assert_refused(client, world, ("neighbour_secretariat", "juror"), "get", template_url())
    assert not DocumentTemplate.objects.exists()
