from django import forms
from django.utils.translation import gettext_lazy as _

from siwanda.core.forms import Form, ModelForm

from .choices import EvidenceKind
from .models import Award, EvidenceDocument, Innovation, Sdg

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InnovationForm(ModelForm):
    sdgs = forms.ModelMultipleChoiceField(
        label=_("SDG goals"),
        queryset=Sdg.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Innovation
        fields = [
            "title",
            "form",
            "urusan",
            "initiator",
            "is_digital",
            "stage",
            "initiative_date",
            "trial_date",
            "implementation_date",
            "sdgs",
            "design",
            "goals",
            "benefits",
            "results",
            "budget",
            "budget_source",
            "video_url",
            "is_team",
            "source_innovation",
        ]
        widgets = {
            "initiative_date": DATE,
            "trial_date": DATE,
            "implementation_date": DATE,
            "design": forms.Textarea(attrs={"rows": 8}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "benefits": forms.Textarea(attrs={"rows": 3}),
            "results": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, source_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_innovation"].queryset = (
            source_queryset if source_queryset is not None else Innovation.objects.none()
        )
        self.fields["source_innovation"].help_text = _(
            "When this innovation replicates another one."
        )


class InnovatorForm(Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    is_lead = forms.BooleanField(label=_("Lead"), required=False)


InnovatorFormSet = forms.formset_factory(InnovatorForm, extra=2, can_delete=True)


class DecreeForm(Form):
    number = forms.CharField(label=_("Decree number"), max_length=120, required=False)
    file = forms.FileField(label=_("Decree file (PDF or image)"))


class EvidenceForm(Form):
    kind = forms.ChoiceField(label=_("Type"), choices=EvidenceKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, image, Word, Excel or PowerPoint; at most 20 MB.")
    )


class VerifyForm(Form):
    status = forms.ChoiceField(label=_("Verification"), choices=EvidenceDocument.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AwardForm(ModelForm):
    class Meta:
        model = Award
        fields = ["year", "level", "title", "is_top"]
