"""Mentoring by the Tim Pelaksana: comments on a proposal's sections, answered and resolved by the
authors. Never shown to jurors: jurors' pages, exports and API read proposals through selectors
that do not touch this app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """A mentor coaches one agency (all its proposals) or one proposal."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    agency = models.ForeignKey(
        "regions.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False, proposal__isnull=True)
                | models.Q(agency__isnull=True, proposal__isnull=False),
                name="mentor_assignment_one_scope",
            )
        ]

    def __str__(self):
        return f"{self.mentor} → {self.agency or self.proposal}"


class Comment(models.Model):
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="mentor_comments"
    )
    section = models.ForeignKey(
        "competitions.FormSection", on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]
