"""What a secretariat tells everyone: news, schedules and guides (sosialisasi), public once
published."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance, filename):
    return f"announcements/{instance.region_id}/{filename}"


class Announcement(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        SCHEDULE = "schedule", _("Schedule")
        GUIDE = "guide", _("Guide")

    # The posting secretariat's region: its secretariat writes it; its children read it too.
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="announcements",
        verbose_name=_("region"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_("Plain text. Leave an empty line between paragraphs."),
    )
    attachment = models.FileField(_("attachment (PDF)"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_size = models.PositiveBigIntegerField(null=True, blank=True)
    competition = models.ForeignKey(
        "competitions.Competition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("competition"),
        help_text=_("A guide or schedule of one competition is listed on its page."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    is_pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Pinned announcements come first in every list.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [
            "-is_pinned",
            models.F("published_at").desc(nulls_first=True),
            "-created_at",
            "-id",
        ]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [
            models.Index(fields=["published_at"]),
            models.Index(fields=["region", "published_at"]),
            models.Index(fields=["competition", "published_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
