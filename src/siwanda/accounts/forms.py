from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from siwanda.core.forms import Form, ModelForm, StyledFormMixin
from siwanda.core.mail import email_person
from siwanda.regions.models import Agency

from .models import AGENCY_ROLES, Role, User, nip_validator


def clean_nip(value: str) -> str:
    value = "".join(value.split())
    if value:
        nip_validator(value)
    return value


class LoginForm(StyledFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "The email or password is not correct. Note that the password is case-sensitive."
        ),
        "inactive": _("This account has been deactivated. Contact your secretariat."),
    }


class PasswordResetForm(StyledFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the mail in the person's language through the background worker."""
        user = context["user"]
        email_person(
            to=to_email,
            language=user.language,
            template="accounts/email/password_reset",
            context=context,
        )


class SetPasswordForm(StyledFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    pass


class InvitationAcceptForm(Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.CharField(label=_("Position (jabatan)"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault(
            "initial",
            {"full_name": user.full_name, "position": user.position, "phone": user.phone},
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords are not the same."))
        elif one:
            try:
                password_validation.validate_password(one, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(ModelForm):
    # Longer than a NIP: people type it with spaces, which clean_nip removes.
    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        required=False,
        help_text=_("Civil servants only: 18 digits."),
    )

    class Meta:
        model = User
        fields = ["full_name", "position", "nip", "phone"]

    def clean_nip(self):
        return clean_nip(self.cleaned_data["nip"])


class RoleGrantForm(Form):
    role = forms.ChoiceField(label=_("Role"))
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Required for agency operators and agency heads."),
    )

    def __init__(self, *args, region, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["agency"].queryset = Agency.objects.filter(region=region, is_active=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") in AGENCY_ROLES and not cleaned.get("agency"):
            self.add_error("agency", _("Choose the agency for this role."))
        return cleaned


class InviteForm(RoleGrantForm):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.CharField(label=_("Position (jabatan)"), max_length=150, required=False)
    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        required=False,
        help_text=_("Civil servants only: 18 digits."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
    )
    field_order = ["email", "full_name", "position", "nip", "phone", "role", "agency", "language"]

    def clean_nip(self):
        return clean_nip(self.cleaned_data["nip"])


class TwoFactorCodeForm(Form):
    code = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )
