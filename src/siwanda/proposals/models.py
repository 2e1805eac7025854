"""Proposals: an agency's entry of one of its innovations into a competition, written against a
pinned form version, approved by the agency head, then frozen."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance, filename):
    return f"proposals/{instance.proposal_id}/{instance.field.key}/{filename}"


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting the agency head's approval")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        PASSED = "passed", _("Passed screening")
        FAILED = "failed", _("Failed screening")

    EDITABLE = (Status.DRAFT,)
    IN_COMPETITION = (Status.SUBMITTED, Status.PASSED, Status.FAILED)

    competition = models.ForeignKey(
        "competitions.Competition", on_delete=models.PROTECT, related_name="proposals"
    )
    agency = models.ForeignKey("regions.Agency", on_delete=models.PROTECT, related_name="proposals")
    innovation = models.ForeignKey(
        "innovations.Innovation", on_delete=models.PROTECT, related_name="proposals"
    )
    group = models.ForeignKey(
        "competitions.Group",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("group"),
    )
    category = models.ForeignKey(
        "competitions.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("category"),
    )
    form_version = models.ForeignKey(
        "competitions.FormVersion", on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=255)
    implementation_start = models.DateField(
        _("implementation started on"),
        null=True,
        blank=True,
        help_text=_("The day the innovation began to serve people (penerapan)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_comment = models.TextField(_("comment of the agency head"), blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["competition", "status"]),
            models.Index(fields=["agency", "competition"]),
        ]

    def __str__(self):
        return self.title


class Answer(models.Model):
    """The current answer to one question. `version` rises with every save: a save based on an
    older version is a conflict (two people editing the same question)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    field = models.ForeignKey("competitions.FormField", on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "field"], name="answer_unique_field")
        ]

    def __str__(self):
        return f"{self.proposal} · {self.field.key}"


class Revision(models.Model):
    """An earlier state of an answer, for the proposal's history. Saves by the same person within
    a few minutes are one revision (autosave would otherwise write one per pause in typing)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="revisions")
    field = models.ForeignKey("competitions.FormField", on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["-saved_at", "-id"]
        indexes = [models.Index(fields=["proposal", "-saved_at"])]

    def __str__(self):
        return f"{self.proposal} · {self.field.key} · {self.saved_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    field = models.ForeignKey("competitions.FormField", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10)  # detected from the content: pdf, jpg, docx…
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
