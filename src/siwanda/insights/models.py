"""What the dashboards keep: only the One Agency, One Innovation reminders (everything else they
show is computed from the other apps' records)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ComplianceReminder(models.Model):
    """A reminder sent by the secretariat to the agencies of a region that have no innovation in
    a year. Kept so that the same region is not reminded twice within a day, and so the dashboard
    can say when the last one went out."""

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="compliance_reminders",
        verbose_name=_("region"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    agencies_reminded = models.PositiveIntegerField(_("agencies reminded"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("One Agency, One Innovation reminder")
        verbose_name_plural = _("One Agency, One Innovation reminders")
        indexes = [models.Index(fields=["region", "-sent_at"])]

    def __str__(self):
        return f"{self.region} {self.year} ({self.sent_at:%Y-%m-%d %H:%M})"
