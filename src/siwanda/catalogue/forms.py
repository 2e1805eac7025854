from django import forms
from django.utils.translation import gettext_lazy as _

from siwanda.core.forms import Form as StyledForm
from siwanda.innovations.choices import SDGS, Form, Stage, Urusan
from siwanda.innovations.models import EvidenceDocument, Innovation
from siwanda.regions.models import Agency, Region

from .models import AwardLevel, ReplicationRequest
from .selectors import SORTS

SORT_LABELS = {
    "relevance": _("Relevance"),
    "title": _("Name (A–Z)"),
    "newest": _("Newest in the catalogue"),
    "replicated": _("Most replicated"),
}


def _choices(pairs):
    return [("", _("All")), *pairs]


class CatalogueFilterForm(forms.Form):
    """The catalogue's query string. A value that is not one of the choices is dropped (and
    said so), never an error page: shared and bookmarked links must keep working."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    province = forms.ChoiceField(label=_("Province"), required=False)
    region = forms.ChoiceField(label=_("Regency / city"), required=False)
    agency_kind = forms.ChoiceField(
        label=_("Type of agency"), required=False, choices=_choices(Agency.Kind.choices)
    )
    form = forms.ChoiceField(
        label=_("Form of innovation"), required=False, choices=_choices(Form.choices)
    )
    urusan = forms.ChoiceField(
        label=_("Government affair (urusan)"), required=False, choices=_choices(Urusan.choices)
    )
    sdg = forms.TypedChoiceField(
        label=_("SDG"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_choices([(n, f"{n}. {name}") for n, name in SDGS.items()]),
    )
    stage = forms.ChoiceField(
        label=_("Lifecycle stage"), required=False, choices=_choices(Stage.choices)
    )
    year = forms.IntegerField(
        label=_("Year started"), required=False, min_value=1945, max_value=2100
    )
    digital = forms.ChoiceField(
        label=_("Digital"),
        required=False,
        choices=_choices([("1", _("Digital")), ("0", _("Not digital"))]),
    )
    award = forms.ChoiceField(
        label=_("Highest award"), required=False, choices=_choices(AwardLevel.choices)
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[(k, SORT_LABELS[k]) for k in SORTS]
    )

    def __init__(self, data, *, provinces, regions):
        super().__init__(data)
        self.fields["province"].choices = _choices(provinces)
        self.fields["region"].choices = _choices(regions)

    def filters(self) -> tuple[dict, list[str]]:
        """The valid filters (regions by id), and the labels of the values that were dropped."""
        self.is_valid()
        dropped = [str(self.fields[name].label) for name in self.errors]
        values = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        values["q"] = (values.get("q") or "").strip()
        codes = [values[k] for k in ("province", "region") if k in values]
        ids = dict(Region.objects.filter(code__in=codes).values_list("code", "id")) if codes else {}
        for key in ("province", "region"):
            if key in values:
                values[key] = ids[values[key]]
        return values, dropped


class PublishForm(StyledForm):
    public_evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence documents shown to the public"),
        queryset=EvidenceDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only verified documents can be public. The others stay private."),
    )

    def __init__(self, *args, innovation: Innovation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_evidence"].queryset = innovation.evidence.filter(
            status=EvidenceDocument.Status.VERIFIED
        )
        self.fields["public_evidence"].initial = [
            d.pk for d in self.fields["public_evidence"].queryset if d.is_public
        ]


class UnpublishForm(StyledForm):
    reason = forms.CharField(
        label=_("Why does it leave the catalogue?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplicationRequestForm(StyledForm):
    agency = forms.ModelChoiceField(label=_("Your agency"), queryset=Agency.objects.none())
    message = forms.CharField(
        label=_("Message to the owner"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What would you like to replicate, where, and what help do you need?"),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        only = list(agencies[:2])
        if len(only) == 1:
            self.fields["agency"].initial = only[0].pk


class ReplicationAnswerForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (ReplicationRequest.Status.DISCUSSING, _("Let us discuss it first")),
            (ReplicationRequest.Status.AGREED, _("Agree")),
            (ReplicationRequest.Status.DECLINED, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline."),
    )


class ReplicationMessageForm(StyledForm):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplicationCompleteForm(StyledForm):
    replica = forms.ModelChoiceField(
        label=_("The replica in your registry"),
        queryset=Innovation.objects.none(),
        required=False,
        empty_label=_("Start a new innovation from this one's description"),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replica"].queryset = Innovation.objects.filter(
            agency=agency, source_innovation__isnull=True
        ).order_by("title")
