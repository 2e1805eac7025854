"""Published results: immutable snapshots of a competition's rankings and decisions, the
certificates issued from them, and the document templates a region adapts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from siwanda.competitions.models import Bilingual


class Publication(models.Model):
    """Everything a published result rests on, frozen: the scores, the methods, weights and
    tie-breaks, the moderation decisions, the outcomes and who published. Never changed (a
    database trigger refuses it): a correction is a new publication that supersedes this one."""

    competition = models.ForeignKey(
        "competitions.Competition", on_delete=models.PROTECT, related_name="publications"
    )
    number = models.PositiveSmallIntegerField()
    data = models.JSONField()
    digest = models.CharField(max_length=64)  # SHA-256 of the canonical JSON of `data`
    reason = models.TextField(_("reason for the correction"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["competition", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "number"], name="publication_unique")
        ]

    def __str__(self):
        return f"{self.competition} · {self.number}"


def certificate_path(instance, filename):
    return f"certificates/{instance.publication.competition_id}/{filename}"


class Certificate(Bilingual, models.Model):
    """A certificate of one published result. Its code is printed with a QR code that opens
    the public verification page; a later correction that takes the award away revokes it."""

    class Kind(models.TextChoices):
        RANK = "rank", _("Ranked winner")
        SPECIAL = "special", _("Special category")

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="certificates"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    name = models.CharField(max_length=200)  # the award: "Top 7 KIPP Kabupaten Luwu Utara 2019"
    name_en = models.CharField(max_length=200, blank=True)
    innovation_title = models.CharField(max_length=255)
    agency_name = models.CharField(max_length=200)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    # The rendered PDF, kept once made (rendering takes a second); emptied when the region's
    # template changes.
    pdf = models.FileField(upload_to=certificate_path, blank=True)

    class Meta:
        ordering = ["publication", "kind", "rank", "id"]

    def __str__(self):
        return f"{self.name} · {self.innovation_title}"


class DocumentTemplate(models.Model):
    """A region's own version of a generated document (HTML, rendered by WeasyPrint)."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate")
        LETTER = "letter", _("Award letter")
        ANNEX = "annex", _("Decree annex (lampiran SK)")

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="document_templates"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    body = models.TextField(_("template (HTML)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="document_template_unique")
        ]

    def __str__(self):
        return f"{self.region} · {self.get_kind_display()}"
