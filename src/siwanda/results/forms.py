from django import forms
from django.utils.translation import gettext_lazy as _

from siwanda.core.forms import Form


class PublishForm(Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DocumentTemplateForm(Form):
    body = forms.CharField(
        label=_("Template (HTML)"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "font-monospace"}),
    )
