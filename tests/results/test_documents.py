"""Certificates, award letters and the decree annex: PDFs from HTML templates, a QR code of the
public verification page on each certificate, and the region's own versions of the templates
that override Siwanda's and can be reset."""

import html

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from siwanda.activity.models import ActivityEntry
from siwanda.results import documents
from siwanda.results import services as results
from siwanda.results.models import Certificate, DocumentTemplate
from tests.judging import conftest as judging_fixtures
from tests.judging.conftest import judge_through

# The judging fixtures (tests/judging/conftest.py) serve these tests too.
screened = judging_fixtures.screened
jurors = judging_fixtures.jurors
stages = judging_fixtures.stages

KINDS = DocumentTemplate.Kind


@pytest.fixture
def published(people, competition, stages, jurors, screened):
    """Published results: screened[3] and screened[4] in first and second place, screened[0]
    in the Kategori Partisipatif."""
    judge_through(people["secretariat"], stages, jurors, screened)
    return results.results_publish(actor=people["secretariat"], competition=competition)


def certificate(publication, kind=Certificate.Kind.RANK):
    return publication.certificates.filter(kind=kind).order_by("rank").first()


def context(cert):
    return documents._certificate_context(cert)


def test_certificates_letters_and_the_annex_are_pdfs(published, screened):
    first = certificate(published)
    assert not first.pdf
    pdf = documents.certificate_pdf(first)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    # Kept once rendered, and served from the store afterwards.
    first.refresh_from_db()
    assert first.pdf.name == f"certificates/{published.competition_id}/{first.code}.pdf"
    with first.pdf.open("rb") as stored:
        assert stored.read() == pdf
    assert documents.certificate_pdf(first) == pdf
    letter = documents.letter_pdf(first)
    assert letter.startswith(b"%PDF-") and letter != pdf
    annex = documents.annex_pdf(published)
    assert annex.startswith(b"%PDF-")


def test_the_certificate_carries_a_qr_code_of_its_verification_page(client, published, screened):
    first = certificate(published)
    url = documents.verification_url(first)
    assert url == settings.SIWANDA_BASE_URL + reverse("results:verify", args=[first.code])
    assert url.endswith(f"/verifikasi/{first.code}/")
    for kind in (KINDS.CERTIFICATE, KINDS.LETTER):
        page = documents.render_html(published.competition.region, kind, context(first))
        assert url in page
        assert f'src="{documents.qr_data_uri(url)}"' in page
        other = documents.verification_url(certificate(published, Certificate.Kind.SPECIAL))
        assert documents.qr_data_uri(other) not in page
    certificate_page = documents.render_html(
        published.competition.region, KINDS.CERTIFICATE, context(first)
    )
    assert first.code in certificate_page and screened[3].title in certificate_page
    # The page the QR code opens tells the certificate is valid.
    page = client.get(reverse("results:verify", args=[first.code])).content.decode()
    assert first.code in page and screened[3].title in page


def test_the_annex_lists_the_winners_and_the_special_categories(published, screened):
    page = documents.render_html(
        published.competition.region,
        KINDS.ANNEX,
        {
            "competition": published.competition,
            "region": published.competition.region,
            "publication": published,
            "winners": results.winners_table(published),
        },
    )
    first, second, special = (
        page.index(html.escape(s.title)) for s in (screened[3], screened[4], screened[0])
    )
    assert first < second < special
    assert "Top, place 1" in page and "Top, place 2" in page
    assert "Kategori Partisipatif" in page
    assert html.escape(screened[5].title) not in page


def test_a_region_adapts_a_document_and_goes_back_to_siwandas(people, published, luwu_utara):
    sec = people["secretariat"]
    first = certificate(published)
    documents.certificate_pdf(first)
    default_pdf = Certificate.objects.get(pk=first.pk).pdf.name
    assert default_pdf
    body = (
        "<html><body><h1>Piagam {{ certificate.code }}</h1>"
        "<p>{{ certificate.innovation_title }} — {{ region.name }}</p>"
        '<img src="{{ qr }}"><p>{{ verification_url }}</p></body></html>'
    )
    saved = documents.document_template_save(
        actor=sec, region=luwu_utara, kind=KINDS.CERTIFICATE, body=body
    )
    assert (saved.region, saved.updated_by) == (luwu_utara, sec)
    # Rendered certificates are made again with the region's template.
    assert not Certificate.objects.get(pk=first.pk).pdf
    page = documents.render_html(luwu_utara, KINDS.CERTIFICATE, context(first))
    assert page.startswith(f"<html><body><h1>Piagam {first.code}</h1>")
    assert "Kabupaten Luwu Utara" in page and documents.verification_url(first) in page
    custom_pdf = documents.certificate_pdf(Certificate.objects.get(pk=first.pk))
    assert custom_pdf.startswith(b"%PDF-")
    # Other documents and other regions keep Siwanda's.
    letter = documents.render_html(luwu_utara, KINDS.LETTER, context(first))
    assert "Piagam" not in letter and documents.verification_url(first) in letter
    [entry] = ActivityEntry.objects.filter(action="results.template_saved")
    assert entry.data == {"kind": "certificate"} and entry.actor == sec
    # Going back.
    documents.document_template_reset(actor=sec, region=luwu_utara, kind=KINDS.CERTIFICATE)
    assert not DocumentTemplate.objects.filter(region=luwu_utara).exists()
    assert not Certificate.objects.get(pk=first.pk).pdf
    page = documents.render_html(luwu_utara, KINDS.CERTIFICATE, context(first))
    assert "Piagam" not in page and first.code in page
    assert page == documents._template(luwu_utara, KINDS.CERTIFICATE).render(context(first))
    assert ActivityEntry.objects.filter(action="results.template_reset").count() == 1


def test_an_annex_template_of_the_region(people, published, luwu_utara, screened):
    documents.document_template_save(
        actor=people["secretariat"],
        region=luwu_utara,
        kind=KINDS.ANNEX,
        body="{% for w in winners %}[{{ w.place|default:w.special }}: {{ w.title }}]{% endfor %}",
    )
    page = documents.render_html(
        luwu_utara, KINDS.ANNEX, {"winners": results.winners_table(published)}
    )
    assert page == (
        f"[1: {screened[3].title}][2: {screened[4].title}]"
        f"[Kategori Partisipatif: {screened[0].title}]"
    )
    assert documents.annex_pdf(published).startswith(b"%PDF-")


def test_a_template_must_render_and_belongs_to_its_region(people, luwu_utara, other_regency):
    sec = people["secretariat"]
    with pytest.raises(ValidationError) as refused:
        documents.document_template_save(
            actor=sec, region=luwu_utara, kind=KINDS.LETTER, body="{% if %}rusak"
        )
    assert "body" in refused.value.message_dict
    assert refused.value.message_dict["body"][0].startswith("The template has a mistake:")
    with pytest.raises(ValidationError, match="Unknown document"):
        documents.document_template_save(actor=sec, region=luwu_utara, kind="poster", body="x")
    for person in ("neighbour_secretariat", "operator", "juror"):
        with pytest.raises(PermissionDenied):
            documents.document_template_save(
                actor=people[person], region=luwu_utara, kind=KINDS.LETTER, body="<p>x</p>"
            )
        with pytest.raises(PermissionDenied):
            documents.document_template_reset(
                actor=people[person], region=luwu_utara, kind=KINDS.LETTER
            )
    documents.document_template_save(
        actor=people["neighbour_secretariat"],
        region=other_regency,
        kind=KINDS.LETTER,
        body="<p>Luwu Timur</p>",
    )
    assert not DocumentTemplate.objects.filter(region=luwu_utara).exists()
    assert documents.render_html(other_regency, KINDS.LETTER, {}) == "<p>Luwu Timur</p>"
    assert documents.render_html(luwu_utara, KINDS.LETTER, {}) != "<p>Luwu Timur</p>"
    assert documents.default_source(KINDS.LETTER).startswith("{% load")


def test_certificates_are_rendered_ahead_except_revoked_ones(published):
    special = certificate(published, Certificate.Kind.SPECIAL)
    Certificate.objects.filter(pk=special.pk).update(revoked_at=published.published_at)
    assert documents.render_certificates(published.pk) == 2
    rendered = Certificate.objects.filter(publication=published).exclude(pdf="")
    assert rendered.count() == 2 and special.pk not in {c.pk for c in rendered}
    assert documents.render_certificates(published.pk) == 0
