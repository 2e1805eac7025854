"""Inviting many people at once from a spreadsheet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from siwanda.core.forms import Form
from siwanda.core.imports import Column, Importer, Row
from siwanda.regions.models import Agency

from .forms import clean_nip
from .models import AGENCY_ROLES, Role, RoleAssignment, User

# Words people write in the "role" column.
ROLE_WORDS = {
    "operator": Role.OPERATOR,
    "inovator": Role.OPERATOR,
    "upp": Role.OPERATOR,
    "kepala": Role.AGENCY_HEAD,
    "kepala perangkat daerah": Role.AGENCY_HEAD,
    "agency head": Role.AGENCY_HEAD,
    "sekretariat": Role.SECRETARIAT,
    "admin lokal": Role.SECRETARIAT,
    "secretariat": Role.SECRETARIAT,
    "mentor": Role.MENTOR,
    "pendamping": Role.MENTOR,
    "tim pelaksana": Role.MENTOR,
    "juri": Role.JUROR,
    "penilai": Role.JUROR,
    "juror": Role.JUROR,
    "pimpinan": Role.LEADERSHIP,
    "leadership": Role.LEADERSHIP,
}


class InvitationRowForm(Form):
    email = forms.EmailField()
    full_name = forms.CharField(max_length=150)
    position = forms.CharField(max_length=150, required=False)
    nip = forms.CharField(max_length=30, required=False)
    phone = forms.CharField(max_length=20, required=False)
    role = forms.CharField(max_length=40)
    agency = forms.CharField(max_length=200, required=False)
    language = forms.CharField(required=False)

    def __init__(self, *args, agencies: dict, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies, self.roles = agencies, roles

    def clean_nip(self):
        return clean_nip(self.cleaned_data["nip"])

    def clean_role(self):
        role = ROLE_WORDS.get(" ".join(self.cleaned_data["role"].lower().split()))
        if role is None or role not in self.roles:
            raise forms.ValidationError(
                _(
                    "Unknown role. Use one of: operator, kepala, sekretariat, mentor, juri, "
                    "pimpinan."
                )
            )
        return role

    def clean_language(self):
        return "en" if self.cleaned_data["language"].strip().lower() in {"en", "english"} else "id"

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("agency", "").strip()
        agency = None
        if text:
            agency = self.agencies.get(text.lower())
            if agency is None:
                self.add_error("agency", _("No active agency of the region has this name or code."))
        if cleaned.get("role") in AGENCY_ROLES and agency is None and not self.has_error("agency"):
            self.add_error("agency", _("Required for agency operators and agency heads."))
        cleaned["agency"] = agency
        return cleaned


class InvitationImporter(Importer):
    columns = (
        Column("email", _("Email"), ("email", "surel", "e-mail", "alamat email"), True),
        Column("full_name", _("Name"), ("name", "full name", "nama", "nama lengkap"), True),
        Column("role", _("Role"), ("role", "peran"), True),
        Column("agency", _("Agency"), ("agency", "perangkat daerah", "opd", "unit")),
        Column("position", _("Position"), ("position", "jabatan")),
        Column("nip", _("NIP")),
        Column(
            "phone", _("Phone"), ("phone", "telepon", "nomor telepon", "no telepon", "hp", "telp")
        ),
        Column("language", _("Language"), ("language", "bahasa")),
    )
    row_form = InvitationRowForm

    def __init__(self, *, region, roles):
        self.region, self.roles = region, roles
        self.agencies = {}
        for agency in Agency.objects.filter(region=region, is_active=True):
            self.agencies[agency.name.lower()] = agency
            if agency.code:
                self.agencies[agency.code.lower()] = agency

    def form_kwargs(self):
        return {"agencies": self.agencies, "roles": self.roles}

    def validate(self, rows: list[Row]) -> list[Row]:
        """Look up, in two queries, the accounts and roles the file's people already have."""
        emails = {row.values.get("email", "").strip().lower() for row in rows}
        self.inactive = set(
            User.objects.filter(email__in=emails, is_active=False).values_list("email", flat=True)
        )
        self.held = set(
            RoleAssignment.objects.filter(user__email__in=emails, region=self.region).values_list(
                "user__email", "role", "agency_id"
            )
        )
        return super().validate(rows)

    def check_row(self, row: Row, seen: dict) -> None:
        email = row.values.get("email", "").strip().lower()
        emails = seen.setdefault("emails", set())
        if email in emails:
            row.errors.append(str(_("Email: the same person appears on an earlier row.")))
        elif email in self.inactive:
            row.errors.append(str(_("Email: this account is deactivated.")))
        elif row.cleaned:
            agency = row.cleaned["agency"]
            role = row.cleaned["role"]
            key = (email, role, agency.pk if agency is not None and role in AGENCY_ROLES else None)
            if key in self.held:
                row.errors.append(str(_("Role: this person already holds this role.")))
        emails.add(email)
