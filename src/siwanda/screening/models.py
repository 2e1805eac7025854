"""Administrative screening: automatic findings, the manual checklist, the decision and the
agency's objection."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Review(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="screening"
    )
    # The automatic findings when the review was last refreshed: [{"code", "severity", ...}].
    findings = models.JSONField(default=list)
    findings_at = models.DateTimeField(null=True, blank=True)
    # The manual checklist: {item_id: {"ok": bool, "reason": str}}.
    checklist = models.JSONField(default=dict, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    final = models.BooleanField(default=False, help_text="Decided after an objection.")

    def __str__(self):
        return f"{self.proposal}: {self.decision}"


class Objection(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for the secretariat")
        ACCEPTED = "accepted", _("Accepted: the proposal passes")
        REJECTED = "rejected", _("Rejected: the failure stands")

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="objections"
    )
    text = models.TextField(_("objection"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_note = models.TextField(_("answer of the secretariat"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.proposal}: {self.decision}"
