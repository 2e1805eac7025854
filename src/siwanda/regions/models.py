"""Regions (the nation, provinces, regencies and cities) and their agencies (perangkat daerah)."""

from zoneinfo import ZoneInfo

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

# Indonesian time zones and the suffix shown after every time ("23.59 WITA").
TIME_ZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_suffix(zone_name: str) -> str:
    """The Indonesian abbreviation of an IANA zone (WIB, WITA, WIT); other zones keep their name."""
    return TIME_ZONES.get(zone_name, zone_name)


class Region(models.Model):
    class Kind(models.TextChoices):
        NATION = "nation", _("Nation")
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency")
        CITY = "city", _("City")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", _("WIB (UTC+7)")
        WITA = "Asia/Makassar", _("WITA (UTC+8)")
        WIT = "Asia/Jayapura", _("WIT (UTC+9)")

    code = models.CharField(_("code"), max_length=16, unique=True, help_text=_("Kemendagri code"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
    )
    timezone = models.CharField(_("time zone"), max_length=32, choices=TimeZone.choices)
    require_admin_2fa = models.BooleanField(
        _("require two-factor login for the secretariat"),
        default=False,
        help_text=_(
            "Secretariat accounts of this region (and system administrators, when set on the "
            "nation) must use an authenticator app to log in."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="nation", parent__isnull=True)
                | (~models.Q(kind="nation") & models.Q(parent__isnull=False)),
                name="region_parent_matches_kind",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def zone_suffix(self) -> str:
        return zone_suffix(self.timezone)


class Agency(models.Model):
    """A perangkat daerah: any unit of a region that can own innovations or act in Siwanda."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Dinas (service)")
        BADAN = "badan", _("Badan (agency)")
        BAGIAN = "bagian", _("Bagian / Biro (secretariat unit)")
        KECAMATAN = "kecamatan", _("Kecamatan (district)")
        KELURAHAN = "kelurahan", _("Kelurahan / Desa (village)")
        PUSKESMAS = "puskesmas", _("Puskesmas (health centre)")
        SCHOOL = "sekolah", _("Sekolah (school)")
        UPT = "upt", _("UPT (technical unit)")
        BUMD = "bumd", _("BUMD (region-owned enterprise)")
        PUBLIC = "masyarakat", _("Member of the public or community group")
        OTHER = "lainnya", _("Other")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("region")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    code = models.CharField(
        _("code"), max_length=40, blank=True, help_text=_("Optional code used by the region")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(Lower("name"), "region", name="agency_unique_name_in_region"),
            models.UniqueConstraint(
                "region", "code", condition=~models.Q(code=""), name="agency_unique_code_in_region"
            ),
        ]
        indexes = [models.Index(fields=["region", "kind"])]

    def __str__(self):
        return self.name
