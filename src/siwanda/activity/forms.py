from django import forms
from django.utils.translation import gettext_lazy as _

from siwanda.core.forms import Form

from .actions import ACTIONS

TARGET_TYPES = [
    ("", _("All objects")),
    ("regions.region", _("Region")),
    ("regions.agency", _("Agency")),
    ("accounts.user", _("Person")),
]


class ActivityFilterForm(Form):
    actor = forms.CharField(label=_("By (email)"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    target_type = forms.ChoiceField(label=_("Object"), choices=TARGET_TYPES, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + [
            (code, label) for code, label in ACTIONS.items()
        ]
