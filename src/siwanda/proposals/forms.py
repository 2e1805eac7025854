from django import forms
from django.utils.translation import gettext_lazy as _

from siwanda.competitions.models import Category, Group
from siwanda.core.forms import Form
from siwanda.innovations.models import Innovation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StartForm(Form):
    innovation = forms.ModelChoiceField(label=_("Innovation"), queryset=Innovation.objects.none())
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none())
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )

    def __init__(self, *args, competition, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["innovation"].queryset = Innovation.objects.filter(agency=agency)
        self.fields["group"].queryset = competition.groups.all()
        categories = competition.categories.all()
        self.fields["category"].queryset = categories
        if not categories:
            del self.fields["category"]


class HeaderForm(Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    implementation_start = forms.DateField(
        label=_("Implementation started on"),
        required=False,
        widget=DATE,
        help_text=_("The day the innovation began to serve people (penerapan)."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        categories = competition.categories.all()
        self.fields["category"].queryset = categories
        if not categories:
            del self.fields["category"]


class CommentForm(Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReturnForm(Form):
    comment = forms.CharField(
        label=_("What should the authors change?"), widget=forms.Textarea(attrs={"rows": 3})
    )
