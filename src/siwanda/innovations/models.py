"""The innovation registry: one record per innovation, kept across years and competitions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import SDGS, EvidenceKind, Form, Initiator, Stage, Urusan


def evidence_path(instance, filename):
    return f"innovations/{instance.innovation_id}/evidence/{filename}"


def decree_path(instance, filename):
    return f"innovations/{instance.pk or 'new'}/decree/{filename}"


class Sdg(models.Model):
    """One of the 17 Sustainable Development Goals (TPB), a row so that filters and counts work
    the same on every database."""

    number = models.PositiveSmallIntegerField(primary_key=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")

    def __str__(self):
        return f"{self.number}. {SDGS[self.number]}"


class Innovation(models.Model):
    agency = models.ForeignKey(
        "regions.Agency",
        on_delete=models.PROTECT,
        related_name="innovations",
        verbose_name=_("owning agency"),
    )
    # The agency's region, kept here so that tenancy filters need no join.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="innovations", editable=False
    )
    title = models.CharField(_("name of the innovation"), max_length=255)
    form = models.CharField(_("form of innovation"), max_length=20, choices=Form.choices)
    urusan = models.CharField(
        _("government affair (urusan)"), max_length=40, choices=Urusan.choices, blank=True
    )
    initiator = models.CharField(_("initiator"), max_length=20, choices=Initiator.choices)
    is_digital = models.BooleanField(_("digital innovation"), default=False)
    stage = models.CharField(
        _("lifecycle stage"), max_length=20, choices=Stage.choices, default=Stage.INITIATIVE
    )
    initiative_date = models.DateField(_("date of the initiative"), null=True, blank=True)
    trial_date = models.DateField(_("start of the trial (uji coba)"), null=True, blank=True)
    implementation_date = models.DateField(
        _("start of implementation (penerapan)"), null=True, blank=True
    )
    sdgs = models.ManyToManyField(
        Sdg, blank=True, related_name="innovations", verbose_name=_("SDG goals")
    )
    design = models.TextField(
        _("design (rancang bangun)"),
        blank=True,
        help_text=_(
            "Legal basis, the problem, the strategic issue, the method, what is new and how it "
            "works (at least 300 words for the ministry's index)."
        ),
    )
    goals = models.TextField(_("goals"), blank=True)
    benefits = models.TextField(_("benefits"), blank=True)
    results = models.TextField(_("results"), blank=True)
    budget = models.DecimalField(
        _("budget (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    budget_source = models.CharField(_("source of the budget"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    is_team = models.BooleanField(_("made by a team"), default=False)
    decree_number = models.CharField(
        _("number of the decree naming the innovators"), max_length=120, blank=True
    )
    decree_file = models.FileField(
        _("decree naming the innovators"), upload_to=decree_path, blank=True
    )
    source_innovation = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replications",
        verbose_name=_("replicated from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        indexes = [
            models.Index(fields=["region", "title"]),
            models.Index(fields=["agency", "-updated_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def started_on(self):
        """When the innovation began to serve people: implementation, else trial."""
        return self.implementation_date or self.trial_date


class Innovator(models.Model):
    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="innovators")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    is_lead = models.BooleanField(_("lead innovator"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("innovator")
        verbose_name_plural = _("innovators")

    def __str__(self):
        return self.name


class EvidenceDocument(models.Model):
    """A document that supports a claim about the innovation (data dukung), verified once by the
    secretariat and reused for competitions and the ministry's index."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("type"), max_length=20, choices=EvidenceKind.choices)
    description = models.CharField(_("description"), max_length=300)
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    status = models.CharField(
        _("verification"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    verification_note = models.CharField(_("verification note"), max_length=300, blank=True)
    # Chosen by the secretariat when publishing the innovation; only verified documents.
    is_public = models.BooleanField(_("shown in the public catalogue"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self):
        return self.description


class Award(models.Model):
    """An award the innovation won: entered by hand for earlier years, and written by the results
    of Siwanda competitions (later work)."""

    class Level(models.TextChoices):
        REGENCY = "regency", _("Regency / city")
        PROVINCE = "province", _("Province")
        NATIONAL = "national", _("National")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="awards")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    title = models.CharField(_("award"), max_length=200)
    is_top = models.BooleanField(
        _("top award"),
        default=True,
        help_text=_("A winner of the competition (e.g. Top 7 or Top 45), not a finalist."),
    )
    competition = models.ForeignKey(
        "competitions.Competition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "level"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self):
        return f"{self.title} ({self.year})"
