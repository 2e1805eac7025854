from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siwanda.core.forms import Form

FIRST_YEAR = 2014  # PermenPAN-RB 30/2014 set One Agency, One Innovation
# The easternmost zone: no Indonesian region is in a later year than this.
EASTERNMOST = ZoneInfo("Asia/Jayapura")


class DashboardForm(Form):
    """What a dashboard shows, read from its address: the year (?tahun=) and, for a person who
    may see several, the region (?wilayah=)."""

    tahun = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    wilayah = forms.ModelChoiceField(label=_("Region"), queryset=None, required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        latest = timezone.localdate(timezone=EASTERNMOST).year
        self.fields["tahun"].choices = [(y, y) for y in range(latest, FIRST_YEAR - 1, -1)]
        self.fields["wilayah"].queryset = regions
        self.fields["wilayah"].empty_label = None
