"""Judging: stages with their rubrics and panels, assignments free of conflicts of interest,
score sheets, moderation, presentation schedules and field visits."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from siwanda.competitions.models import Bilingual


class Rubric(Bilingual, models.Model):
    """How a stage is scored. Frozen once scoring starts; a change after that is a new version."""

    competition = models.ForeignKey(
        "competitions.Competition", on_delete=models.CASCADE, related_name="rubrics"
    )
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    scale_min = models.DecimalField(_("lowest score"), max_digits=6, decimal_places=2, default=0)
    scale_max = models.DecimalField(_("highest score"), max_digits=6, decimal_places=2, default=100)
    step = models.DecimalField(_("step"), max_digits=5, decimal_places=2, default=Decimal("1"))
    allow_na = models.BooleanField(
        _("jurors may mark a criterion “not applicable”"),
        default=False,
        help_text=_("A criterion marked not applicable is left out, never counted as zero."),
    )
    comment_at_or_below = models.DecimalField(
        _("a comment is required for scores at or below"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    comment_at_or_above = models.DecimalField(
        _("a comment is required for scores at or above"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    frozen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["competition", "name", "-version"]

    def __str__(self):
        return f"{self.text('name')} (v{self.version})"


class Criterion(Bilingual, models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    name_en = models.CharField(_("criterion in English"), max_length=200, blank=True)
    description = models.TextField(_("what is judged"), blank=True)
    description_en = models.TextField(_("what is judged, in English"), blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    # Anchored levels: [{"min": 80, "max": 100, "label": "Sangat baik: …", "label_en": "…"}]
    levels = models.JSONField(_("levels"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.text("name")


class Stage(Bilingual, models.Model):
    class Kind(models.TextChoices):
        DESK = "desk", _("Desk evaluation")
        PRESENTATION = "presentation", _("Presentation and interview")
        FIELD = "field", _("Field verification")
        DELIBERATION = "deliberation", _("Final deliberation")

    class Status(models.TextChoices):
        SETUP = "setup", _("Being set up")
        SCORING = "scoring", _("Scoring")
        CLOSED = "closed", _("Closed")

    class Advancement(models.TextChoices):
        TOP_N = "top_n", _("The best N")
        PASSING_GRADE = "passing_grade", _("Everyone at or above a passing grade")
        MANUAL = "manual", _("A shortlist chosen by the panel")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Mean")
        MEDIAN = "median", _("Median")
        TRIMMED = "trimmed_mean", _("Trimmed mean (without the lowest and highest)")

    competition = models.ForeignKey(
        "competitions.Competition", on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("scores due"), null=True, blank=True)
    rubric = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stages",
        verbose_name=_("rubric"),
    )
    weight = models.DecimalField(
        _("weight in the final result (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text=_("0: the stage selects but does not count in the final score."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SETUP)
    jurors_see_scores = models.BooleanField(
        _("jurors see each other's scores while scoring"), default=False
    )
    aggregation = models.CharField(
        _("combining the jurors' totals"),
        max_length=15,
        choices=Aggregation.choices,
        default=Aggregation.MEAN,
    )
    rank_by_normalised = models.BooleanField(
        _("rank by normalised scores"),
        default=False,
        help_text=_(
            "Normalise when jurors score different proposals; raw and normalised are "
            "always shown side by side."
        ),
    )
    advancement = models.CharField(
        _("who goes on"), max_length=15, choices=Advancement.choices, default=Advancement.TOP_N
    )
    top_n = models.PositiveSmallIntegerField(_("N"), null=True, blank=True)
    passing_grade = models.DecimalField(
        _("passing grade (0–100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    jurors_per_proposal = models.PositiveSmallIntegerField(_("jurors per proposal"), default=3)
    max_per_juror = models.PositiveSmallIntegerField(
        _("most proposals per juror"), null=True, blank=True
    )
    disagreement = models.DecimalField(
        _("flag when jurors' totals differ by more than (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
    )
    tie_breakers = models.JSONField(
        _("tie-breaks, in order"),
        default=list,
        blank=True,
        help_text=_("Chosen before results: heaviest criterion, fewer missing scores."),
    )
    reminder_days = models.JSONField(
        _("remind jurors this many days before scores are due"), default=list, blank=True
    )
    reminders_sent = models.JSONField(default=list, blank=True)
    calibration_proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sample proposal for calibration"),
    )
    # The parts of a presentation slot: [name, name in English, minutes], e.g. ["Presentasi",
    # "Presentation", 7], ["Video", "Video", 3], ["Tanya jawab", "Questions", 20]; the slot lasts
    # their sum and the room view's timer follows them.
    slot_parts = models.JSONField(_("parts of a presentation"), default=list, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["competition", "order", "id"]

    def __str__(self):
        return self.text("name")

    @property
    def slot_minutes(self) -> int:
        return sum(int(part[-1]) for part in self.slot_parts) or 30


class Entry(models.Model):
    """A proposal taking part in a stage, and the decision on it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not decided")
        ADVANCED = "advanced", _("Goes on")
        STOPPED = "stopped", _("Does not go on")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="stage_entries"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    # The outcome staged by the secretariat before it is applied to everyone at once.
    staged = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    # The panel's vote, recorded for the "panel's vote" tie-break when scores are still equal.
    panel_votes = models.PositiveSmallIntegerField(_("panel's votes"), null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "proposal"], name="entry_unique")]

    def __str__(self):
        return f"{self.stage} · {self.proposal}"


class PanelMember(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="panel")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_seats"
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    agency = models.ForeignKey(
        "regions.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("works in"),
        help_text=_(
            "For conflicts of interest: the juror never judges this agency's proposals "
            "nor those of the agencies under it."
        ),
    )
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    max_load = models.PositiveSmallIntegerField(_("most proposals"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "juror"], name="panel_member_unique")
        ]

    def __str__(self):
        return f"{self.stage} · {self.juror}"


class Recusal(models.Model):
    """A conflict of interest declared by a juror (automatic ones are computed, not stored)."""

    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recusals"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="recusals"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["juror", "proposal"], name="recusal_unique")]

    def __str__(self):
        return f"{self.juror} · {self.proposal}"


class Assignment(models.Model):
    class Method(models.TextChoices):
        MANUAL = "manual", _("By hand")
        BULK = "bulk", _("In bulk")
        AUTOMATIC = "automatic", _("Automatic")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="assignments")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_assignments"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="judging_assignments"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    # A calibration assignment scores the stage's sample proposal; it never counts in a ranking.
    calibration = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "juror", "proposal", "calibration"], name="assignment_unique"
            )
        ]
        indexes = [models.Index(fields=["juror", "stage"])]

    def __str__(self):
        return f"{self.stage} · {self.proposal}"


class Sheet(models.Model):
    """One juror's scores for one proposal in one stage."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being scored")
        SUBMITTED = "submitted", _("Submitted")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="sheet")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.assignment)


class Score(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique")]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class Moderation(models.Model):
    """Jurors disagreed beyond the stage's threshold: the chair records a consensus decision
    with a justification. The original scores are kept."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="moderations")
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="moderations"
    )
    spread = models.DecimalField(max_digits=6, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    consensus = models.DecimalField(
        _("consensus score (0–100)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the panel keeps the computed score."),
    )
    justification = models.TextField(_("justification"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "proposal"], name="moderation_unique")
        ]

    def __str__(self):
        return f"{self.stage} · {self.proposal}"


class Slot(models.Model):
    """A proposal's presentation: when, where (a room or an online link)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="slots")
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="presentation_slots"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room or online link"), max_length=300)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "room"]
        constraints = [models.UniqueConstraint(fields=["stage", "proposal"], name="slot_unique")]

    def __str__(self):
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M} · {self.proposal}"


class Visit(models.Model):
    """A field verification visit: the plan, then the report of the panel members assigned."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="visits")
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="visits"
    )
    planned_on = models.DateField(_("date of the visit"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="visits", verbose_name=_("panel members")
    )
    findings = models.TextField(_("findings"), blank=True)
    beneficiaries_met = models.TextField(_("beneficiaries met"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["planned_on"]
        constraints = [models.UniqueConstraint(fields=["stage", "proposal"], name="visit_unique")]

    def __str__(self):
        return f"{self.planned_on} · {self.proposal}"


def visit_photo_path(instance, filename):
    return f"visits/{instance.visit_id}/{filename}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=visit_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.caption or self.file.name


class SpecialAward(Bilingual, models.Model):
    """A special category beside the ranking (e.g. "kategori partisipatif"), chosen by the panel
    with a reason."""

    competition = models.ForeignKey(
        "competitions.Competition", on_delete=models.CASCADE, related_name="special_awards"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="special_awards"
    )
    name = models.CharField(_("category"), max_length=150)
    name_en = models.CharField(_("category in English"), max_length=150, blank=True)
    reason = models.TextField(_("reason"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "proposal", "name"], name="special_award_unique"
            )
        ]

    def __str__(self):
        return f"{self.text('name')} · {self.proposal}"
