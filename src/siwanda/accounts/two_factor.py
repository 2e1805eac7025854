"""When two-factor login (TOTP, django-otp) applies to a person, and checking a code."""

import math

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from siwanda.regions.models import Region

from .models import Role
from .roles import roles_of

NO_DEVICE_SESSION_KEY = "siwanda_no_totp_device"


def has_confirmed_device(user) -> bool:
    cached = getattr(user, "_siwanda_has_totp", None)
    if cached is None:
        cached = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        user._siwanda_has_totp = cached
    return cached


def must_use_two_factor(user) -> bool:
    """Secretariat accounts of a region that requires it; system administrators when the nation
    (region "ID") requires it."""
    roles = roles_of(user)
    if any(r.require_admin_2fa for r in roles.regions(Role.SECRETARIAT)):
        return True
    if roles.is_system_admin:
        return Region.objects.filter(kind=Region.Kind.NATION, require_admin_2fa=True).exists()
    return False


def check_code(device: TOTPDevice, code: str) -> None:
    """Verify a code from the authenticator app, or raise ValidationError saying why not.

    django-otp throttles a device after a wrong code (1, 2, 4… seconds); a right code typed during
    that pause is refused too, so the message must say to wait rather than that it is wrong.
    """
    allowed, details = device.verify_is_allowed()
    if not allowed:
        wait = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
        raise ValidationError(
            ngettext(
                "Too many wrong codes. Wait %(seconds)d second, then enter the current code.",
                "Too many wrong codes. Wait %(seconds)d seconds, then enter the current code.",
                wait,
            )
            % {"seconds": wait}
        )
    if not device.verify_token(code):
        raise ValidationError(
            _(
                "This code is not correct. Check that the time on your phone is right and enter "
                "the current code."
            )
        )
