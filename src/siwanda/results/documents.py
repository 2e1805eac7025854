"""Certificates, award letters and the decree annex as PDF (WeasyPrint). Each is an HTML
template: Siwanda's own, or the region's adapted copy (DocumentTemplate). Certificates carry a
QR code of their public verification page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import TemplateSyntaxError, engines
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from siwanda.activity.services import activity_record
from siwanda.core.permissions import require_perm

from .models import Certificate, DocumentTemplate, Publication

DEFAULTS = {
    DocumentTemplate.Kind.CERTIFICATE: "results/documents/certificate.html",
    DocumentTemplate.Kind.LETTER: "results/documents/letter.html",
    DocumentTemplate.Kind.ANNEX: "results/documents/annex.html",
}


def verification_url(certificate: Certificate) -> str:
    return settings.SIWANDA_BASE_URL + reverse("results:verify", args=[certificate.code])


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def default_source(kind: str) -> str:
    template = get_template(DEFAULTS[kind])
    return template.template.source


def _template(region, kind):
    custom = DocumentTemplate.objects.filter(region=region, kind=kind).first()
    if custom is not None:
        return engines["django"].from_string(custom.body)
    return get_template(DEFAULTS[kind])


def render_html(region, kind, context) -> str:
    return _template(region, kind).render(context)


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=settings.SIWANDA_BASE_URL).write_pdf()


def _certificate_context(certificate: Certificate) -> dict:
    publication = certificate.publication
    competition = publication.competition
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "competition": competition,
        "region": competition.region,
        "publication": publication,
        "verification_url": url,
        "qr": qr_data_uri(url),
        "issued_on": timezone.localtime(certificate.issued_at).date(),
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF, kept after the first rendering."""
    if certificate.pdf:
        with certificate.pdf.open("rb") as stored:
            return stored.read()
    region = certificate.publication.competition.region
    content = to_pdf(
        render_html(region, DocumentTemplate.Kind.CERTIFICATE, _certificate_context(certificate))
    )
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=False)
    certificate.save(update_fields=["pdf"])
    return content


def letter_pdf(certificate: Certificate) -> bytes:
    region = certificate.publication.competition.region
    return to_pdf(
        render_html(region, DocumentTemplate.Kind.LETTER, _certificate_context(certificate))
    )


def annex_pdf(publication: Publication) -> bytes:
    """A draft decree annex (lampiran SK) listing the winners and special categories."""
    from .services import winners_table

    competition = publication.competition
    return to_pdf(
        render_html(
            competition.region,
            DocumentTemplate.Kind.ANNEX,
            {
                "competition": competition,
                "region": competition.region,
                "publication": publication,
                "winners": winners_table(publication),
            },
        )
    )


def render_certificates(publication_id: int) -> int:
    """Render every valid certificate of a publication ahead of the first download (worker)."""
    count = 0
    for certificate in Certificate.objects.filter(
        publication_id=publication_id, revoked_at=None, pdf=""
    ).select_related("publication__competition__region"):
        certificate_pdf(certificate)
        count += 1
    return count


@transaction.atomic
def document_template_save(*, actor, region, kind: str, body: str) -> DocumentTemplate:
    """Adopt the region's own version of a document. It must render: a mistake is shown, not
    saved. Certificates already rendered are made again with it."""
    require_perm(actor, "results.manage_documents", region)
    if kind not in DEFAULTS:
        raise ValidationError(_("Unknown document."))
    try:
        template = engines["django"].from_string(body)
        template.render({"region": region})
    except TemplateSyntaxError as error:
        raise ValidationError(
            {"body": _("The template has a mistake: %(error)s") % {"error": error}}
        ) from error
    document, _created = DocumentTemplate.objects.update_or_create(
        region=region, kind=kind, defaults={"body": body, "updated_by": actor}
    )
    if kind == DocumentTemplate.Kind.CERTIFICATE:
        _forget_rendered(region)
    activity_record(
        actor=actor,
        action="results.template_saved",
        target=document,
        region=region,
        data={"kind": kind},
    )
    return document


@transaction.atomic
def document_template_reset(*, actor, region, kind: str) -> None:
    require_perm(actor, "results.manage_documents", region)
    deleted, _rows = DocumentTemplate.objects.filter(region=region, kind=kind).delete()
    if deleted and kind == DocumentTemplate.Kind.CERTIFICATE:
        _forget_rendered(region)
    activity_record(
        actor=actor,
        action="results.template_reset",
        target=region,
        region=region,
        data={"kind": kind},
    )


def _forget_rendered(region):
    Certificate.objects.filter(publication__competition__region=region).exclude(pdf="").update(
        pdf=""
    )
