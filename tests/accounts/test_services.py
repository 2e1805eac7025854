from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from siwanda.accounts import services
from siwanda.accounts.models import Invitation, Role, RoleAssignment, User
from siwanda.accounts.roles import roles_of
from siwanda.activity.models import ActivityEntry
from tests.factories import UserFactory


def invite(people, **overrides):
    data = {
        "actor": people["secretariat"],
        "email": "Operator.Baru@LuwuUtaraKab.go.id",
        "full_name": "Operator Baru",
        "role": Role.OPERATOR,
        "region": people["agency"].region,
        "agency": people["agency"],
        "position": "Analis",
        "nip": "",
        "phone": "",
        "language": "",
        **overrides,
    }
    return services.user_invite(**data)


def link_token(message) -> str:
    line = next(line for line in message.body.splitlines() if "/undangan/" in line)
    return line.rstrip("/").rsplit("/", 1)[-1]


def test_invite_creates_an_account_without_password_and_mails_a_link(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(people)
    assert user.email == "operator.baru@luwuutarakab.go.id"
    assert not user.has_usable_password()
    assert RoleAssignment.objects.get(user=user).agency == people["agency"]
    invitation = Invitation.objects.get(user=user)
    assert invitation.token_hash == services.token_hash(link_token(mail.outbox[0]))
    assert mail.outbox[0].to == ["operator.baru@luwuutarakab.go.id"]
    actions = set(
        ActivityEntry.objects.filter(target_id=str(user.pk)).values_list("action", flat=True)
    )
    assert actions == {"person.invited", "role.granted", "invitation.sent"}


def test_nothing_is_mailed_when_the_invitation_rolls_back(
    people, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        invite(people)
        raise RuntimeError
    assert mail.outbox == []
    assert not User.objects.filter(email="operator.baru@luwuutarakab.go.id").exists()


def test_inviting_someone_with_an_account_adds_the_role_and_tells_them(
    people, django_capture_on_commit_callbacks
):
    existing = people["juror"]
    with django_capture_on_commit_callbacks(execute=True):
        services.user_invite(
            actor=people["secretariat"],
            email=existing.email.upper(),
            full_name="ignored",
            role=Role.MENTOR,
            region=people["agency"].region,
        )
    existing.refresh_from_db()
    assert existing.full_name != "ignored"
    assert roles_of(existing).roles == {Role.JUROR, Role.MENTOR}
    assert not Invitation.objects.filter(user=existing).exists()
    assert "new role" in mail.outbox[0].subject


def test_inviting_a_deactivated_account_is_refused(people):
    people["juror"].is_active = False
    people["juror"].save()
    with pytest.raises(ValidationError) as error:
        invite(people, email=people["juror"].email, role=Role.MENTOR, agency=None)
    assert "email" in error.value.error_dict


def test_the_same_role_twice_is_refused(people):
    invite(people)
    with pytest.raises(ValidationError):
        invite(people)


def test_agency_roles_need_an_agency(people):
    with pytest.raises(ValidationError):
        invite(people, agency=None)


def test_an_agency_role_is_filed_under_the_agencys_region(people):
    assignment = services.role_grant(
        actor=people["admin"],
        user=people["nobody"],
        role=Role.OPERATOR,
        region=people["agency"].region,
        agency=people["neighbour_agency"],
    )
    assert assignment.region == people["neighbour_agency"].region


def test_a_secretariat_grants_roles_only_in_its_region_and_never_system_admin(
    people, other_regency
):
    with pytest.raises(PermissionDenied):
        invite(people, role=Role.SYSTEM_ADMIN, region=None, agency=None)
    with pytest.raises(PermissionDenied):
        invite(people, role=Role.JUROR, region=other_regency, agency=None)
    with pytest.raises(PermissionDenied):
        invite(people, actor=people["operator"])
    user = invite(people, actor=people["admin"], role=Role.SYSTEM_ADMIN, region=None, agency=None)
    assert roles_of(user).is_system_admin


def test_accepting_sets_the_password_once(people):
    user = invite(people)
    invitation = user.invitations.get()
    services.invitation_accept(
        invitation=invitation, password="Kata-Sandi-Baru-2026", full_name="Nama Benar"
    )
    user.refresh_from_db()
    assert user.check_password("Kata-Sandi-Baru-2026")
    assert user.full_name == "Nama Benar"
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, password="lagi-Lagi-2026")
    entry = ActivityEntry.objects.get(action="person.password_set")
    assert entry.actor == user
    assert entry.changes == {"full_name": {"before": "Operator Baru", "after": "Nama Benar"}}


def test_an_expired_invitation_cannot_be_accepted(people):
    user = invite(people)
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.invitation_accept(
            invitation=user.invitations.get(), password="Kata-Sandi-Baru-2026"
        )


def test_resending_replaces_the_old_link(people, django_capture_on_commit_callbacks):
    user = invite(people)
    first = user.invitations.get()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.invitation_resend(actor=people["secretariat"], user=user)
    first.refresh_from_db()
    assert first.revoked_at is not None and not first.is_usable
    assert second.is_usable
    assert second.token_hash == services.token_hash(link_token(mail.outbox[-1]))


def test_resending_after_the_password_is_set_is_refused(people):
    with pytest.raises(ValidationError):
        services.invitation_resend(actor=people["secretariat"], user=people["operator"])


def test_revoking_a_role(people):
    assignment = people["operator"].role_assignments.get()
    services.role_revoke(actor=people["secretariat"], assignment=assignment)
    assert not people["operator"].role_assignments.exists()
    assert ActivityEntry.objects.get(action="role.revoked").data["role"] == Role.OPERATOR


def test_an_administrator_cannot_remove_their_own_administrator_role(people):
    with pytest.raises(ValidationError):
        services.role_revoke(
            actor=people["secretariat"], assignment=people["secretariat"].role_assignments.get()
        )


def test_a_neighbour_cannot_revoke_our_roles(people):
    with pytest.raises(PermissionDenied):
        services.role_revoke(
            actor=people["neighbour_secretariat"],
            assignment=people["operator"].role_assignments.get(),
        )


def test_profile_update_records_only_what_changed(people):
    user = people["operator"]
    services.user_update_profile(
        actor=user, user=user, full_name=user.full_name, position="Pranata Komputer"
    )
    entry = ActivityEntry.objects.get(action="person.updated")
    assert entry.changes == {"position": {"before": "", "after": "Pranata Komputer"}}


def test_profile_update_validates_the_nip(people):
    with pytest.raises(ValidationError):
        services.user_update_profile(actor=people["operator"], user=people["operator"], nip="12345")


def test_deactivating_yourself_is_refused(people):
    with pytest.raises(ValidationError):
        services.user_set_active(
            actor=people["secretariat"], user=people["secretariat"], active=False
        )
    services.user_set_active(actor=people["secretariat"], user=people["operator"], active=False)
    people["operator"].refresh_from_db()
    assert people["operator"].is_active is False


def test_unlock_clears_the_failed_logins(people):
    AccessAttempt.objects.create(
        username=people["operator"].email,
        ip_address="10.0.0.1",
        user_agent="x",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    services.user_unlock(actor=people["secretariat"], user=people["operator"])
    assert not AccessAttempt.objects.filter(username=people["operator"].email).exists()
    assert ActivityEntry.objects.filter(action="person.unlocked").exists()


def test_two_factor_confirm_needs_the_current_code(people):
    user = people["secretariat"]
    device = services.two_factor_start(user=user)
    with pytest.raises(ValidationError, match="not correct"):
        services.two_factor_confirm(user=user, device=device, code="000000")
    code = f"{totp(device.bin_key):06d}"
    # Right after a wrong code the device is throttled: the message says to wait.
    with pytest.raises(ValidationError, match="Wait 1 second"):
        services.two_factor_confirm(user=user, device=device, code=code)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    device.refresh_from_db()
    services.two_factor_confirm(user=user, device=device, code=code)
    assert TOTPDevice.objects.get(user=user).confirmed


def test_two_factor_cannot_be_turned_off_where_the_region_requires_it(people, luwu_utara):
    user = people["secretariat"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    luwu_utara.require_admin_2fa = True
    luwu_utara.save()
    with pytest.raises(ValidationError):
        services.two_factor_remove(actor=user, user=user)
    assert TOTPDevice.objects.filter(user=user).exists()


def test_an_administrator_resets_someones_two_factor(people):
    user = people["operator"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    with pytest.raises(PermissionDenied):
        services.two_factor_remove(actor=people["neighbour_secretariat"], user=user)
    services.two_factor_remove(actor=people["secretariat"], user=user)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert ActivityEntry.objects.filter(action="person.two_factor_reset").exists()


def test_setting_a_password_is_recorded(people):
    user = UserFactory()
    services.user_set_password(
        actor=user, user=user, password="Baru-Sekali-2026", action="person.password_reset"
    )
    user.refresh_from_db()
    assert user.check_password("Baru-Sekali-2026")
    assert ActivityEntry.objects.filter(
        action="person.password_reset", target_id=str(user.pk)
    ).exists()
