from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from siwanda.core.forms import Form
from siwanda.regions.models import Agency

from .deadlines import end_of_day, start_of_day
from .models import FILE_TYPES, REGISTRY_SOURCES, Competition, FieldType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CreateForm(Form):
    source = forms.ChoiceField(label=_("Start from"), widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(
        label=_("Opening date"),
        widget=DATE,
        help_text=_("Dates are then proposed from the template; you can change them later."),
    )

    def __init__(self, *args, templates: dict, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import translation

        english = translation.get_language() == "en"
        choices = [
            (
                f"template:{key}",
                _("Template: %(name)s") % {"name": data["name_en"] if english else data["name"]},
            )
            for key, data in templates.items()
        ]
        choices += [
            (
                f"copy:{c.pk}",
                _("Copy: %(competition)s (%(year)d)") % {"competition": c, "year": c.year},
            )
            for c in earlier
        ]
        self.fields["source"].choices = choices
        self.descriptions = {
            f"template:{key}": data.get("description_en" if english else "description", "")
            for key, data in templates.items()
        }


class BasicsForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Level"), choices=Competition.Level.choices)
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    participant_kinds = forms.MultipleChoiceField(
        label=_("Who may take part"),
        choices=Agency.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    max_entries_per_agency = forms.IntegerField(
        label=_("Proposals per agency"),
        min_value=1,
        required=False,
        help_text=_("Empty: no limit. Groups can have their own limit too."),
    )


class TimelineForm(Form):
    opens_on = forms.DateField(label=_("Opening date"), widget=DATE)
    deadline_on = forms.DateField(label=_("Proposal deadline"), widget=DATE)
    deadline_time = forms.TimeField(
        label=_("Deadline time"),
        initial=time(23, 59),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    grace_minutes = forms.IntegerField(
        label=_("Grace period (minutes)"),
        min_value=0,
        max_value=1440,
        initial=0,
        help_text=_("Submissions are still accepted this long after the deadline, quietly."),
    )
    screening_ends_on = forms.DateField(label=_("End of screening"), widget=DATE, required=False)
    objection_days = forms.IntegerField(
        label=_("Objection window (days)"),
        min_value=0,
        max_value=30,
        initial=0,
        help_text=_("Days an agency has to answer a failed screening. 0: no objections."),
    )
    reminder_days = forms.CharField(
        label=_("Automatic reminders (days before the deadline)"),
        required=False,
        help_text=_(
            "For example: 7, 3, 1. Agencies that have not submitted a proposal are reminded."
        ),
    )

    def __init__(self, *args, competition: Competition, **kwargs):
        self.region = competition.region
        zone = self.region.zone
        initial = kwargs.setdefault("initial", {})
        if competition.opens_at:
            initial.setdefault("opens_on", competition.opens_at.astimezone(zone).date())
        if competition.deadline_at:
            local = competition.deadline_at.astimezone(zone)
            initial.setdefault("deadline_on", local.date())
            initial.setdefault("deadline_time", local.time().replace(second=0))
        if competition.screening_ends_at:
            initial.setdefault(
                "screening_ends_on", competition.screening_ends_at.astimezone(zone).date()
            )
        initial.setdefault("grace_minutes", competition.grace_minutes)
        initial.setdefault("objection_days", competition.objection_days)
        initial.setdefault("reminder_days", ", ".join(map(str, competition.reminder_days)))
        super().__init__(*args, **kwargs)
        suffix = self.region.zone_suffix
        self.fields["deadline_time"].help_text = _(
            "In the organiser's time zone (%(zone)s). 23:59 means the end of that day."
        ) % {"zone": suffix}

    def clean_reminder_days(self):
        text = self.cleaned_data["reminder_days"]
        try:
            days = sorted(
                {int(part) for part in text.replace(";", ",").split(",") if part.strip()},
                reverse=True,
            )
        except ValueError:
            raise ValidationError(
                _("Write whole numbers separated by commas, e.g. 7, 3, 1.")
            ) from None
        if any(day < 0 or day > 90 for day in days):
            raise ValidationError(_("Use numbers from 0 to 90."))
        return days

    def values(self) -> dict:
        """The competition fields, with days turned into moments in the organiser's zone."""
        data = self.cleaned_data
        chosen = data["deadline_time"]
        # "23:59" means the very end of the day: 23:59:59.
        second = 59 if (chosen.hour, chosen.minute) == (23, 59) else 0
        deadline = datetime.combine(
            data["deadline_on"], chosen.replace(second=second), tzinfo=self.region.zone
        )
        return {
            "opens_at": start_of_day(data["opens_on"], self.region),
            "deadline_at": deadline,
            "grace_minutes": data["grace_minutes"],
            "screening_ends_at": end_of_day(data["screening_ends_on"], self.region)
            if data["screening_ends_on"]
            else None,
            "objection_days": data["objection_days"],
            "reminder_days": data["reminder_days"],
        }


class RulesForm(Form):
    min_implementation_months = forms.IntegerField(
        label=_("Minimum months of implementation before the deadline"), min_value=0, max_value=120
    )
    exclude_top_winners = forms.BooleanField(
        label=_("Refuse innovations that already won a top award at this level"), required=False
    )
    title_similarity = forms.DecimalField(
        label=_("Similarity at which two titles count as the same"),
        min_value=0.5,
        max_value=1,
        decimal_places=2,
        help_text=_("From 0.50 to 1.00; 0.85 catches near-identical titles."),
    )
    require_sdg = forms.BooleanField(
        label=_("A link to at least one SDG is required"), required=False
    )
    video_max_seconds = forms.IntegerField(
        label=_("Longest video (seconds)"),
        min_value=10,
        required=False,
        help_text=_("Empty: no limit."),
    )
    min_answer_words = forms.IntegerField(
        label=_("Fewest words for a meaningful answer"), min_value=0, max_value=200
    )


class NamedRowForm(Form):
    """A row of a list of named things (category, checklist item)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=300)
    name_en = forms.CharField(label=_("In English"), max_length=300, required=False)


class GroupRowForm(NamedRowForm):
    form = forms.ModelChoiceField(label=_("Proposal form"), queryset=None)
    max_entries_per_agency = forms.IntegerField(
        label=_("Proposals per agency"), min_value=1, required=False
    )

    def __init__(self, *args, forms_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = forms_qs


class MilestoneRowForm(NamedRowForm):
    date = forms.DateField(label=_("Date"), widget=DATE)


def row_formset(form_class, extra=1):
    return forms.formset_factory(form_class, extra=extra, can_delete=True)


class SectionForm(Form):
    name = forms.CharField(label=_("Title"), max_length=200)
    name_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    prompt = forms.CharField(
        label=_("What to write"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    prompt_en = forms.CharField(
        label=_("What to write, in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    help_text = forms.CharField(
        label=_("Help for authors"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    help_text_en = forms.CharField(
        label=_("Help for authors, in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.DecimalField(
        label=_("Weight (%)"), min_value=0, max_value=100, decimal_places=2, initial=0
    )
    word_limit = forms.IntegerField(label=_("Word limit"), min_value=1, required=False)


class FieldForm(Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=60,
        help_text=_("A short name without spaces (e.g. latar_belakang), kept across versions."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=FieldType.choices)
    name = forms.CharField(label=_("Question"), max_length=300)
    name_en = forms.CharField(label=_("Question in English"), max_length=300, required=False)
    help_text = forms.CharField(
        label=_("Help for authors"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    help_text_en = forms.CharField(
        label=_("Help for authors, in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    word_limit = forms.IntegerField(label=_("Word limit"), min_value=1, required=False)
    min_words = forms.IntegerField(label=_("Fewest words"), min_value=1, required=False)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: value | label | label in English."),
    )
    registry_source = forms.ChoiceField(
        label=_("Pre-fill from the registry"), choices=REGISTRY_SOURCES, required=False
    )
    allowed_types = forms.MultipleChoiceField(
        label=_("Allowed file types"),
        choices=list(FILE_TYPES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_size_mb = forms.IntegerField(
        label=_("Largest file (MB)"), min_value=1, max_value=200, initial=10
    )
    max_files = forms.IntegerField(label=_("Most files"), min_value=1, max_value=20, initial=1)
    is_video_duration = forms.BooleanField(
        label=_("This number is the video's length in seconds"), required=False
    )

    @staticmethod
    def choices_text(choices) -> str:
        return "\n".join(
            " | ".join([str(c.get("value", "")), c.get("label", ""), c.get("label_en", "")]).rstrip(
                " |"
            )
            for c in choices
        )

    def clean_choices(self):
        result = []
        for line in self.cleaned_data["choices"].splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            value = parts[0]
            label = parts[1] if len(parts) > 1 and parts[1] else value
            label_en = parts[2] if len(parts) > 2 else ""
            result.append({"value": value, "label": label, "label_en": label_en})
        return result


class ExtensionForm(Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    until_on = forms.DateField(label=_("New deadline (date)"), widget=DATE)
    until_time = forms.TimeField(
        label=_("Time"),
        initial=time(23, 59),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, competition: Competition, **kwargs):
        super().__init__(*args, **kwargs)
        self.competition = competition
        self.fields["agency"].queryset = Agency.objects.filter(
            pk__in=competition.recipients.values("agency_id")
        )

    def until(self):
        data = self.cleaned_data
        return datetime.combine(
            data["until_on"], data["until_time"], tzinfo=self.competition.region.zone
        )


class DeclineForm(Form):
    reason = forms.CharField(
        label=_("Why does your agency not take part this year?"), max_length=300, required=False
    )
