"""People, the roles they hold within a scope, and invitations."""

import rules
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

nip_validator = RegexValidator(
    r"^\d{18}$", _("A NIP has exactly 18 digits (spaces are removed automatically).")
)
phone_validator = RegexValidator(
    r"^\+?[0-9]{8,16}$",
    _("Enter a phone number of 8 to 16 digits, optionally starting with +, e.g. 081234567890."),
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A person. What they may do comes from their role assignments, never from flags here."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position (jabatan)"), max_length=150, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[nip_validator])
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    # Blank until the person chooses: the browser's choice applies until then.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    # Django's permission API, answered by the predicates in each app's rules.py.
    def has_perm(self, perm, obj=None):
        return self.is_active and rules.has_perm(perm, self, obj)

    def has_perms(self, perm_list, obj=None):
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label):
        return False


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECRETARIAT = "secretariat", _("Secretariat (Bagian Organisasi)")
    OPERATOR = "operator", _("Agency operator")
    AGENCY_HEAD = "agency_head", _("Agency head")
    MENTOR = "mentor", _("Mentor (Tim Pelaksana)")
    JUROR = "juror", _("Juror")
    LEADERSHIP = "leadership", _("Leadership (read-only)")


AGENCY_ROLES = frozenset({Role.OPERATOR, Role.AGENCY_HEAD})
REGION_ROLES = frozenset({Role.SECRETARIAT, Role.MENTOR, Role.JUROR, Role.LEADERSHIP})


class RoleAssignment(models.Model):
    """A role held within a scope: the whole system, a region, or one agency of a region.

    `region` is set for every scoped role, agency roles included (it is then the agency's
    region), so that tenancy filters are one column wide.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("region"),
    )
    agency = models.ForeignKey(
        "regions.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("agency"),
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "region__code", "agency__name"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="system_admin", region__isnull=True, agency__isnull=True)
                    | models.Q(
                        role__in=sorted(AGENCY_ROLES), region__isnull=False, agency__isnull=False
                    )
                    | models.Q(
                        role__in=sorted(REGION_ROLES), region__isnull=False, agency__isnull=True
                    )
                ),
                name="role_assignment_scope_matches_role",
            ),
        ]
        indexes = [models.Index(fields=["region", "role"])]

    def __str__(self):
        scope = self.agency or self.region
        return f"{self.get_role_display()} — {scope}" if scope else self.get_role_display()


class Invitation(models.Model):
    """A one-time link that lets an invited person set their password. Only a hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiToken(models.Model):
    """A personal API token: its holder's roles, no more, for scripts and other systems.

    Only a SHA-256 hash of the secret is stored (the secret is random and long, so a slow hash
    adds nothing); `prefix`, its first characters, tells a person's tokens apart. A revoked token
    stays, for the audit trail, but is never accepted again.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("first characters"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
