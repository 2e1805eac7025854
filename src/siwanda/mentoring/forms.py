from django import forms
from django.utils.translation import gettext_lazy as _

from siwanda.accounts.models import Role, User
from siwanda.core.forms import Form
from siwanda.proposals.models import Proposal
from siwanda.regions.models import Agency


class AssignForm(Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=User.objects.none())
    agency = forms.ModelChoiceField(
        label=_("Agency (all its proposals)"), queryset=Agency.objects.none(), required=False
    )
    proposal = forms.ModelChoiceField(
        label=_("Or one proposal"), queryset=Proposal.objects.none(), required=False
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = User.objects.filter(
            role_assignments__role=Role.MENTOR, role_assignments__region=region, is_active=True
        ).distinct()
        self.fields["agency"].queryset = Agency.objects.filter(region=region, is_active=True)
        self.fields["proposal"].queryset = Proposal.objects.filter(
            competition__region=region,
            status__in=(Proposal.Status.DRAFT, Proposal.Status.AWAITING_APPROVAL),
        ).select_related("agency")

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("agency")) == bool(cleaned.get("proposal")):
            raise forms.ValidationError(_("Choose either an agency or one proposal."))
        return cleaned
