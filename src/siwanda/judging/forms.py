from django import forms
from django.utils.translation import gettext_lazy as _

from siwanda.competitions.forms import DATE
from siwanda.core.forms import Form, ModelForm

from .models import Criterion, Rubric, Stage
from .ranking import TIE_BREAKERS
from .services import STAGE_FIELDS


class IntegerListField(forms.CharField):
    """Numbers separated by commas ("3, 1")."""

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        except ValueError as error:
            raise forms.ValidationError(_("Enter whole numbers separated by commas.")) from error

    def prepare_value(self, value):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else value


class StageForm(ModelForm):
    tie_breakers = forms.MultipleChoiceField(
        label=_("Tie-breaks, in this order"),
        choices=list(TIE_BREAKERS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Applied in the order listed when scores are equal; published with the results."
        ),
    )
    reminder_days = IntegerListField(
        label=_("Remind jurors this many days before scores are due"),
        required=False,
        help_text=_("For example: 3, 1"),
    )

    class Meta:
        model = Stage
        fields = [name for name in STAGE_FIELDS if name != "slot_parts"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Keep the published order of tie-breaks when the stage already has one.
        if self.instance.pk and self.instance.tie_breakers:
            chosen = list(self.instance.tie_breakers)
            rest = [k for k in TIE_BREAKERS if k not in chosen]
            self.fields["tie_breakers"].choices = [(k, TIE_BREAKERS[k]) for k in chosen + rest]


class RubricForm(ModelForm):
    class Meta:
        model = Rubric
        fields = [
            "name",
            "name_en",
            "scale_min",
            "scale_max",
            "step",
            "allow_na",
            "comment_at_or_below",
            "comment_at_or_above",
        ]


LEVEL_ROWS = 6


class CriterionForm(ModelForm):
    """A criterion with up to six anchored levels (band, description in both languages)."""

    class Meta:
        model = Criterion
        fields = ["name", "name_en", "description", "description_en", "weight"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = list(self.instance.levels) if self.instance.pk else []
        for i in range(LEVEL_ROWS):
            level = levels[i] if i < len(levels) else {}
            for key, field in (
                ("min", forms.DecimalField(label=_("from"), required=False)),
                ("max", forms.DecimalField(label=_("to"), required=False)),
                ("label", forms.CharField(label=_("description"), required=False, max_length=500)),
                (
                    "label_en",
                    forms.CharField(
                        label=_("description in English"), required=False, max_length=500
                    ),
                ),
            ):
                field.initial = level.get(key)
                field.widget.attrs["class"] = "form-control form-control-sm"
                self.fields[f"level-{i}-{key}"] = field

    def level_rows(self):
        return [
            [self[f"level-{i}-{key}"] for key in ("min", "max", "label", "label_en")]
            for i in range(LEVEL_ROWS)
        ]

    def visible_main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def levels(self) -> list[dict]:
        rows = []
        for i in range(LEVEL_ROWS):
            values = {
                k: self.cleaned_data.get(f"level-{i}-{k}")
                for k in ("min", "max", "label", "label_en")
            }
            if any(v not in (None, "") for v in values.values()):
                rows.append(values)
        return rows


class PanelAddForm(Form):
    juror = forms.ModelChoiceField(label=_("Juror"), queryset=None)
    is_chair = forms.BooleanField(label=_("Chair of the panel"), required=False)
    max_load = forms.IntegerField(label=_("Most proposals"), min_value=1, required=False)
    agency = forms.ModelChoiceField(
        label=_("Works in (for conflicts of interest)"), queryset=None, required=False
    )
    expertise = forms.MultipleChoiceField(
        label=_("Expertise (categories)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, jurors, agencies, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = jurors
        self.fields["agency"].queryset = agencies
        self.fields["expertise"].choices = [(str(c.pk), str(c)) for c in categories]
        if not categories:
            del self.fields["expertise"]


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ModerationForm(Form):
    keep = forms.BooleanField(label=_("Keep the computed score"), required=False)
    consensus = forms.DecimalField(
        label=_("Consensus score (0–100)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if not data.get("keep") and data.get("consensus") is None:
            self.add_error("consensus", _("Give the consensus score, or keep the computed one."))
        return data


class SpecialAwardForm(Form):
    proposal = forms.ModelChoiceField(label=_("Proposal"), queryset=None)
    name = forms.CharField(label=_("Category"), max_length=150)
    name_en = forms.CharField(label=_("Category in English"), max_length=150, required=False)
    reason = forms.CharField(
        label=_("The panel's reason"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals


class ScheduleForm(Form):
    days = forms.CharField(
        label=_("Days"),
        help_text=_("One date per line or separated by commas: 2026-12-01"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    start = forms.TimeField(
        label=_("First presentation"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end = forms.TimeField(
        label=_("Day ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    break_minutes = forms.IntegerField(
        label=_("Minutes between presentations"), min_value=0, max_value=120, initial=0
    )
    rooms = forms.CharField(
        label=_("Rooms or online links"),
        help_text=_("One per line; rooms run in parallel."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_days(self):
        from datetime import date

        raw = self.cleaned_data["days"].replace(",", "\n").split()
        try:
            return sorted({date.fromisoformat(part.strip()) for part in raw if part.strip()})
        except ValueError as error:
            raise forms.ValidationError(_("Write each day as YYYY-MM-DD.")) from error

    def clean_rooms(self):
        return [line.strip() for line in self.cleaned_data["rooms"].splitlines() if line.strip()]


class SlotMoveForm(Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    room = forms.CharField(label=_("Room or online link"), max_length=300)
    reason = forms.CharField(label=_("Reason (told to the agency)"), max_length=300, required=False)


class VisitPlanForm(Form):
    planned_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    members = forms.MultipleChoiceField(
        label=_("Panel members who go"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, jurors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(str(j.pk), str(j)) for j in jurors]


class VisitReportForm(Form):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 5}))
    beneficiaries_met = forms.CharField(
        label=_("Beneficiaries met"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
