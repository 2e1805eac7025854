"""Template helpers of the interface shell."""

from zoneinfo import ZoneInfo

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from siwanda.regions.models import zone_suffix

register = template.Library()


@register.filter
def when(value, region=None):
    """A moment in the viewer's zone, or in `region`'s, with the zone's suffix:
    "31 Mei 2026, 23.59 WITA"."""
    if not value:
        return ""
    zone = ZoneInfo(region.timezone) if region is not None else timezone.get_current_timezone()
    local = timezone.localtime(value, zone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {zone_suffix(zone.key)}"


@register.filter
def deadline(value, region=None):
    """A deadline as people say it: "31 Mei 2026 pukul 23.59 WITA" / "31 May 2026 at 23:59 WITA"."""
    if not value:
        return ""
    zone = ZoneInfo(region.timezone) if region is not None else timezone.get_current_timezone()
    local = timezone.localtime(value, zone)
    return _("%(date)s at %(time)s %(zone)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
        "zone": zone_suffix(zone.key),
    }


@register.filter
def day(value):
    """A date (or the date of a moment in the viewer's zone): "31 Mei 2026"."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def get(mapping, key):
    """mapping[key] in a template ({{ scores|get:criterion.pk }}); None when absent."""
    return mapping.get(key) if mapping else None


@register.filter
def text(obj, field: str) -> str:
    """A bilingual data text (section prompt, criterion description) in the reader's language."""
    return obj.text(field)
