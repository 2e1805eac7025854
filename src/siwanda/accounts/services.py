"""Every change to people, roles and invitations, each with its audit entry."""

import hashlib
import secrets
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from siwanda.activity.services import activity_record, diff, snapshot
from siwanda.core.mail import email_person
from siwanda.core.permissions import require_perm

from .models import AGENCY_ROLES, Invitation, Role, RoleAssignment, User
from .roles import forget_roles
from .rules import grantable_roles
from .two_factor import check_code, must_use_two_factor

PROFILE_FIELDS = ["full_name", "position", "nip", "phone"]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _person_region(user: User):
    """The region an entry about a person is filed under (for the secretariat's log)."""
    first = user.role_assignments.exclude(region=None).select_related("region").first()
    return first.region if first else None


# --- Roles ------------------------------------------------------------------------------------


def _check_scope(*, role: str, region, agency) -> None:
    if role == Role.SYSTEM_ADMIN:
        if region is not None or agency is not None:
            raise ValidationError(_("A system administrator is not tied to a region."))
    elif role in AGENCY_ROLES:
        if agency is None:
            raise ValidationError({"agency": _("Choose the agency for this role.")})
        if region is not None and agency.region_id != region.pk:
            raise ValidationError({"agency": _("The agency must belong to the region.")})
    elif region is None:
        raise ValidationError(_("Choose the region for this role."))


@transaction.atomic
def role_grant(*, actor, user: User, role: str, region=None, agency=None) -> RoleAssignment:
    if role not in AGENCY_ROLES:
        agency = None
    if agency is not None:
        region = agency.region
    _check_scope(role=role, region=region, agency=agency)
    if actor is not None and role not in grantable_roles(actor, region):
        raise PermissionDenied
    if RoleAssignment.objects.filter(user=user, role=role, region=region, agency=agency).exists():
        raise ValidationError(_("This person already holds this role."))
    assignment = RoleAssignment.objects.create(
        user=user, role=role, region=region, agency=agency, granted_by=actor
    )
    activity_record(
        actor=actor,
        action="role.granted",
        target=user,
        region=region,
        data={"role": role, "scope": str(agency or region or "")},
    )
    forget_roles(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    if actor is not None:
        if assignment.role not in grantable_roles(actor, assignment.region):
            raise PermissionDenied
        if assignment.user_id == actor.pk and assignment.role in {
            Role.SYSTEM_ADMIN,
            Role.SECRETARIAT,
        }:
            raise ValidationError(
                _("You cannot remove your own administrator role; ask another administrator.")
            )
    user = assignment.user
    activity_record(
        actor=actor,
        action="role.revoked",
        target=user,
        region=assignment.region,
        data={"role": assignment.role, "scope": str(assignment.agency or assignment.region or "")},
    )
    assignment.delete()
    forget_roles(user)


# --- Invitations ------------------------------------------------------------------------------


def _send_invitation(*, actor, user: User, region) -> Invitation:
    """Revoke the person's open invitations and send a fresh one-time link."""
    now = timezone.now()
    user.invitations.filter(accepted_at=None, revoked_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        region=region,
        token_hash=token_hash(token),
        created_by=actor,
        expires_at=now + timedelta(days=settings.SIWANDA_INVITATION_DAYS),
    )
    activity_record(
        actor=actor,
        action="invitation.sent",
        target=user,
        region=region,
        data={"expires_at": invitation.expires_at},
    )
    roles = [str(a) for a in user.role_assignments.select_related("region", "agency")]
    email_person(
        to=user.email,
        language=user.language,
        template="accounts/email/invitation",
        context={
            "person": user,
            "inviter": actor,
            "roles": roles,
            "region": region,
            "invitation": invitation,
            "url": settings.SIWANDA_BASE_URL + reverse("accounts:invitation", args=[token]),
        },
    )
    return invitation


@transaction.atomic
def user_invite(
    *,
    actor,
    email: str,
    full_name: str,
    role: str,
    region=None,
    agency=None,
    position: str = "",
    nip: str = "",
    phone: str = "",
    language: str = "",
) -> User:
    """Invite a person to a role. A new person gets an account and a one-time link to set a
    password; someone who already has an account just gains the role (and is told by email)."""
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not user.is_active:
        raise ValidationError(
            {"email": _("This account is deactivated. Reactivate it before inviting it again.")}
        )
    created = user is None
    if created:
        user = User(
            email=email,
            full_name=full_name.strip(),
            position=position.strip(),
            nip=nip.strip(),
            phone=phone.strip(),
            language=language,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    assignment = role_grant(actor=actor, user=user, role=role, region=region, agency=agency)
    scope_region = assignment.region
    if created:
        activity_record(
            actor=actor,
            action="person.invited",
            target=user,
            region=scope_region,
            changes=diff({}, snapshot(user, ["email", *PROFILE_FIELDS])),
        )
    if not user.has_usable_password():
        _send_invitation(actor=actor, user=user, region=scope_region)
    else:
        email_person(
            to=user.email,
            language=user.language,
            template="accounts/email/role_granted",
            context={"person": user, "inviter": actor, "assignment": assignment},
        )
    return user


@transaction.atomic
def invitation_resend(*, actor, user: User) -> Invitation:
    require_perm(actor, "accounts.manage_person", user)
    if user.has_usable_password():
        raise ValidationError(_("This person has already set a password."))
    return _send_invitation(actor=actor, user=user, region=_person_region(user))


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    password: str,
    full_name: str = "",
    position: str = "",
    phone: str = "",
) -> User:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation link has expired or was already used."))
    user = invitation.user
    before = snapshot(user, PROFILE_FIELDS)
    for name, value in {"full_name": full_name, "position": position, "phone": phone}.items():
        if value.strip():
            setattr(user, name, value.strip())
    user.set_password(password)
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    activity_record(
        actor=user,
        action="person.password_set",
        target=user,
        region=invitation.region,
        changes=diff(before, snapshot(user, PROFILE_FIELDS)),
    )
    return user


# --- Profile and account state ------------------------------------------------------------------


@transaction.atomic
def user_update_profile(*, actor, user: User, **fields) -> User:
    if actor is not None and actor.pk != user.pk:
        require_perm(actor, "accounts.manage_person", user)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"user_update_profile() got unexpected fields {sorted(unknown)}")
    before = snapshot(user, PROFILE_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value.strip())
    user.full_clean(exclude=["password", "email"])
    changes = diff(before, snapshot(user, PROFILE_FIELDS))
    if changes:
        user.save(update_fields=list(fields))
        activity_record(
            actor=actor,
            action="person.updated",
            target=user,
            region=_person_region(user),
            changes=changes,
        )
    return user


def user_set_language(*, user: User, language: str) -> None:
    """A preference, not an act worth auditing."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    require_perm(actor, "accounts.manage_person", user)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        activity_record(
            actor=actor,
            action="person.reactivated" if active else "person.deactivated",
            target=user,
            region=_person_region(user),
            changes={"is_active": {"before": not active, "after": active}},
        )
    return user


@transaction.atomic
def user_unlock(*, actor, user: User) -> int:
    """Clear failed logins (django-axes) so a locked-out person can try again at once."""
    require_perm(actor, "accounts.manage_person", user)
    cleared = axes_reset(username=user.email)
    activity_record(
        actor=actor,
        action="person.unlocked",
        target=user,
        region=_person_region(user),
        data={"failed_attempt_records": cleared},
    )
    return cleared


@transaction.atomic
def user_set_password(*, actor, user: User, password: str, action: str) -> None:
    """Set a new password (reset by email or changed by the person) and log it."""
    user.set_password(password)
    user.save(update_fields=["password"])
    activity_record(actor=actor, action=action, target=user, region=_person_region(user))


# --- Two-factor login -----------------------------------------------------------------------------


def two_factor_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the person to scan; replaces an earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def two_factor_confirm(*, user: User, device: TOTPDevice, code: str) -> None:
    """Confirm the new authenticator with a code from it (ValidationError when wrong)."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Start the set-up again."))
    check_code(device, code)
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    activity_record(
        actor=user, action="person.two_factor_enabled", target=user, region=_person_region(user)
    )


@transaction.atomic
def two_factor_remove(*, actor, user: User) -> None:
    """The person turns it off, or an administrator resets it (e.g. after a lost phone)."""
    if actor is not None and actor.pk != user.pk:
        require_perm(actor, "accounts.manage_person", user)
        action = "person.two_factor_reset"
    elif must_use_two_factor(user):
        raise ValidationError(_("Your region requires two-factor login for your role."))
    else:
        action = "person.two_factor_disabled"
    deleted, _details = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        activity_record(actor=actor, action=action, target=user, region=_person_region(user))
