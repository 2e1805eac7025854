from django import forms
from django.utils.translation import gettext_lazy as _

from siwanda.core.forms import Form, ModelForm
from siwanda.core.imports import Column, Importer, Row

from .models import Agency, Region


class AgencyForm(ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "parent", "code", "email", "phone"]

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Agency.objects.filter(region=region, is_active=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = _(
            "For units under another agency, e.g. a puskesmas under the Dinas Kesehatan."
        )

    def validate_unique(self):
        """Uniqueness within the region is checked by the service, with clearer messages."""


class RegionSettingsForm(ModelForm):
    class Meta:
        model = Region
        fields = ["require_admin_2fa"]


# Words people write in the "type" column, mapped to the agency kinds.
KIND_WORDS = {
    "dinas": Agency.Kind.DINAS,
    "badan": Agency.Kind.BADAN,
    "bagian": Agency.Kind.BAGIAN,
    "biro": Agency.Kind.BAGIAN,
    "sekretariat": Agency.Kind.BAGIAN,
    "kecamatan": Agency.Kind.KECAMATAN,
    "kelurahan": Agency.Kind.KELURAHAN,
    "desa": Agency.Kind.KELURAHAN,
    "puskesmas": Agency.Kind.PUSKESMAS,
    "sekolah": Agency.Kind.SCHOOL,
    "school": Agency.Kind.SCHOOL,
    "upt": Agency.Kind.UPT,
    "uptd": Agency.Kind.UPT,
    "bumd": Agency.Kind.BUMD,
    "perumda": Agency.Kind.BUMD,
    "masyarakat": Agency.Kind.PUBLIC,
    "komunitas": Agency.Kind.PUBLIC,
    "lainnya": Agency.Kind.OTHER,
    "other": Agency.Kind.OTHER,
}


def kind_from_text(text: str) -> str | None:
    words = text.strip().lower().replace("/", " ").split()
    return KIND_WORDS.get(words[0]) if words else None


class AgencyRowForm(Form):
    name = forms.CharField(max_length=200)
    kind = forms.CharField(max_length=40)
    parent = forms.CharField(max_length=200, required=False)
    short_name = forms.CharField(max_length=40, required=False)
    code = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=30, required=False)

    def clean_kind(self):
        kind = kind_from_text(self.cleaned_data["kind"])
        if kind is None:
            raise forms.ValidationError(
                _(
                    "Unknown type. Use one of: dinas, badan, bagian, kecamatan, kelurahan, "
                    "desa, puskesmas, sekolah, UPT, BUMD, masyarakat, lainnya."
                )
            )
        return kind


class AgencyImporter(Importer):
    columns = (
        Column(
            "name", _("Name"), ("name", "nama", "nama perangkat daerah", "perangkat daerah"), True
        ),
        Column("kind", _("Type"), ("type", "jenis", "tipe")),
        Column(
            "parent",
            _("Parent agency"),
            ("parent agency", "parent", "induk", "perangkat daerah induk"),
        ),
        Column("short_name", _("Short name"), ("short name", "singkatan", "nama singkat")),
        Column("code", _("Code"), ("code", "kode")),
        Column("email", _("Email"), ("email", "surel", "e-mail")),
        Column(
            "phone", _("Phone"), ("phone", "telepon", "nomor telepon", "no telepon", "hp", "telp")
        ),
    )
    row_form = AgencyRowForm

    def __init__(self, region: Region):
        self.region = region
        self.existing = {
            name.lower(): code
            for name, code in Agency.objects.filter(region=region).values_list("name", "code")
        }
        self.existing_codes = {code for code in self.existing.values() if code}

    def check_row(self, row: Row, seen: dict) -> None:
        name = row.values.get("name", "").strip().lower()
        code = row.values.get("code", "").strip()
        names = seen.setdefault("names", set())
        codes = seen.setdefault("codes", set())
        if name and name in self.existing:
            row.errors.append(str(_("Name: this region already has an agency with this name.")))
        elif name and name in names:
            row.errors.append(str(_("Name: the same name appears on an earlier row.")))
        if code and (code in self.existing_codes or code in codes):
            row.errors.append(str(_("Code: this code is already used.")))
        parent = row.values.get("parent", "").strip().lower()
        if parent and parent not in self.existing and parent not in names:
            row.errors.append(
                str(
                    _(
                        "Parent agency: no agency with this name exists in the region or on an "
                        "earlier row."
                    )
                )
            )
        if not row.errors:  # only a row that will be imported can be a later row's parent
            names.add(name)
            if code:
                codes.add(code)
