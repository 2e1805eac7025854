"""A competition of one year and level, configured as data: groups, categories, quotas, timeline,
eligibility rules and versioned proposal forms."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Bilingual:
    """Texts that are data are written in both languages: `name` (Indonesian) and `name_en`.
    `text("name")` gives the viewer's language, falling back to Indonesian."""

    def text(self, field: str) -> str:
        if translation.get_language() == "en":
            return getattr(self, f"{field}_en", "") or getattr(self, field)
        return getattr(self, field)

    def __str__(self):
        return self.text("name")


class Competition(Bilingual, models.Model):
    class Level(models.TextChoices):
        REGENCY = "regency", _("Regency / city")
        PROVINCE = "province", _("Province")
        NATIONAL = "national", _("National")

    class Status(models.TextChoices):
        SETUP = "setup", _("Being set up")
        OPEN = "open", _("Open for proposals")
        SCREENING = "screening", _("Administrative screening")
        JUDGING = "judging", _("Judging")
        FINISHED = "finished", _("Finished")

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="competitions",
        verbose_name=_("organising region"),
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SETUP
    )
    participant_kinds = models.JSONField(
        _("who may take part"),
        default=list,
        help_text=_("The types of agency invited to take part."),
    )
    max_entries_per_agency = models.PositiveSmallIntegerField(
        _("proposals per agency"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. Groups can have their own limit too."),
    )
    # Timeline, stored in UTC and shown in the organiser's time zone.
    opens_at = models.DateTimeField(_("opening"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("proposal deadline"), null=True, blank=True)
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace period (minutes)"),
        default=0,
        help_text=_("Submissions are still accepted this long after the deadline, quietly."),
    )
    screening_ends_at = models.DateTimeField(_("end of screening"), null=True, blank=True)
    objection_days = models.PositiveSmallIntegerField(
        _("objection window (days)"),
        default=0,
        help_text=_("Days an agency has to answer a failed screening. 0: no objections."),
    )
    reminder_days = models.JSONField(
        _("automatic reminders (days before the deadline)"), default=list, blank=True
    )
    # Eligibility rules.
    min_implementation_months = models.PositiveSmallIntegerField(
        _("minimum months of implementation before the deadline"), default=12
    )
    exclude_top_winners = models.BooleanField(
        _("refuse innovations that already won a top award at this level"), default=True
    )
    title_similarity = models.DecimalField(
        _("similarity at which two titles count as the same"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.85"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("1"))],
    )
    require_sdg = models.BooleanField(_("a link to at least one SDG is required"), default=True)
    video_max_seconds = models.PositiveIntegerField(
        _("longest video (seconds)"), null=True, blank=True, default=180
    )
    min_answer_words = models.PositiveSmallIntegerField(
        _("fewest words for a meaningful answer"),
        default=5,
        help_text=_("Shorter answers to required long-text questions are flagged in screening."),
    )
    created_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        indexes = [models.Index(fields=["region", "-year"])]


class Group(Bilingual, models.Model):
    """A group of the competition (umum, replikasi, khusus), each with its proposal form."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    form = models.ForeignKey(
        "ProposalForm",
        on_delete=models.PROTECT,
        related_name="groups",
        verbose_name=_("proposal form"),
    )
    max_entries_per_agency = models.PositiveSmallIntegerField(
        _("proposals per agency in this group"), null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")


class Category(Bilingual, models.Model):
    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Milestone(Bilingual, models.Model):
    """A later stage on the competition's public timeline (presentations, field visits, award)."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["date", "id"]


class ChecklistItem(Bilingual, models.Model):
    """An item the secretariat checks by hand in administrative screening."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="checklist")
    name = models.CharField(_("item"), max_length=300)
    name_en = models.CharField(_("item in English"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]


class ProposalForm(Bilingual, models.Model):
    """A proposal form of a competition. Its content lives in versions: the published ones are
    frozen, and every proposal stays pinned to the version it was written against."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="forms")
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)

    class Meta:
        ordering = ["id"]


class FormVersion(models.Model):
    form = models.ForeignKey(ProposalForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="form_version_unique_number")
        ]

    def __str__(self):
        return f"{self.form} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class FormSection(Bilingual, models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(_("title"), max_length=200)
    name_en = models.CharField(_("title in English"), max_length=200, blank=True)
    prompt = models.TextField(_("what to write"), blank=True)
    prompt_en = models.TextField(_("what to write, in English"), blank=True)
    help_text = models.TextField(_("help for authors"), blank=True)
    help_text_en = models.TextField(_("help for authors, in English"), blank=True)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Shown to authors: how much this section counts in the judging."),
    )
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]


class FieldType(models.TextChoices):
    LONG_TEXT = "long_text", _("Long text (with word counter)")
    SHORT_TEXT = "short_text", _("Short text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    SDGS = "sdgs", _("SDG goals (choose among the 17)")
    URL = "url", _("Link (URL)")
    FILE = "file", _("File upload")


# Registry attributes that pre-fill an answer when a proposal starts from an innovation.
REGISTRY_SOURCES = [
    ("", _("(none)")),
    ("design", _("Design (rancang bangun)")),
    ("goals", _("Goals")),
    ("benefits", _("Benefits")),
    ("results", _("Results")),
    ("budget", _("Budget")),
    ("video_url", _("Video link")),
    ("sdgs", _("SDG goals")),
    ("is_digital", _("Digital or not")),
    ("urusan", _("Government affair")),
]

FILE_TYPES = {
    "pdf": _("PDF"),
    "jpg": _("JPEG image"),
    "png": _("PNG image"),
    "docx": _("Word document (.docx)"),
    "xlsx": _("Excel workbook (.xlsx)"),
    "pptx": _("PowerPoint (.pptx)"),
    "mp4": _("MP4 video"),
}


class FormField(Bilingual, models.Model):
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(
        _("key"), max_length=60, help_text=_("Stable name of the answer across form versions.")
    )
    type = models.CharField(_("type"), max_length=20, choices=FieldType.choices)
    name = models.CharField(_("question"), max_length=300)
    name_en = models.CharField(_("question in English"), max_length=300, blank=True)
    help_text = models.TextField(_("help for authors"), blank=True)
    help_text_en = models.TextField(_("help for authors, in English"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    min_words = models.PositiveIntegerField(_("fewest words"), null=True, blank=True)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For choice questions: a list of {"value", "label", "label_en"}.'),
    )
    registry_source = models.CharField(
        _("pre-fill from the registry"), max_length=20, choices=REGISTRY_SOURCES, blank=True
    )
    allowed_types = models.JSONField(_("allowed file types"), default=list, blank=True)
    max_size_mb = models.PositiveSmallIntegerField(_("largest file (MB)"), default=10)
    max_files = models.PositiveSmallIntegerField(_("most files"), default=1)
    is_video_duration = models.BooleanField(
        _("this number is the video's length in seconds"),
        default=False,
        help_text=_("Checked against the competition's longest video in screening."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def choice_label(self, value) -> str:
        for choice in self.choices:
            if str(choice.get("value")) == str(value):
                if translation.get_language() == "en":
                    return choice.get("label_en") or choice.get("label", "")
                return choice.get("label", "")
        return str(value)


class CallRecipient(models.Model):
    """An agency invited to take part (the call for entries), and how it has answered."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="recipients"
    )
    agency = models.ForeignKey("regions.Agency", on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    automatic_reminders = models.JSONField(
        default=list, blank=True, help_text="Days-before-deadline of the automatic reminders sent."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["competition", "agency"], name="recipient_unique")
        ]

    def __str__(self):
        return f"{self.agency} — {self.competition}"


class DeadlineExtension(models.Model):
    """More time for one agency, granted by the secretariat and logged."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="extensions"
    )
    agency = models.ForeignKey("regions.Agency", on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField(_("new deadline"))
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.agency} → {self.until:%Y-%m-%d %H:%M}"
