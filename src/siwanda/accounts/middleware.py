from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .roles import roles_of
from .two_factor import NO_DEVICE_SESSION_KEY, has_confirmed_device, must_use_two_factor


class PersonalSettingsMiddleware:
    """Speak the person's chosen language and show times in their region's zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            region = roles_of(user).home_region
            if region is not None:
                timezone.activate(ZoneInfo(region.timezone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class TwoFactorMiddleware:
    """A signed-in person who uses (or must use) two-factor login reaches nothing but the code
    page, the set-up page, the language switch and log-out until the code is given."""

    ALLOWED = (
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "accounts:logout",
        "core:set_language",
        "core:healthz",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths = None

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            if self._allowed_paths is None:
                self._allowed_paths = {reverse(name) for name in self.ALLOWED}
            path = request.path_info
            if path not in self._allowed_paths and not path.startswith("/static/"):
                target = None
                # Checked once per session: most people have no device, and the session only
                # changes that through the set-up page, which verifies it at once.
                if not request.session.get(NO_DEVICE_SESSION_KEY):
                    if has_confirmed_device(user):
                        query = urlencode({"next": request.get_full_path()})
                        target = f"{reverse('accounts:two_factor_verify')}?{query}"
                    else:
                        request.session[NO_DEVICE_SESSION_KEY] = True
                if target is None and must_use_two_factor(user):
                    target = reverse("accounts:two_factor_setup")
                if target is not None:
                    if path.startswith("/api/"):
                        return JsonResponse(
                            {"detail": _("Give your two-factor code in the browser first.")},
                            status=403,
                        )
                    return redirect(target)
        return self.get_response(request)
