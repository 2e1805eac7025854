"""Personal API tokens: a person creates named tokens on their profile, sees each secret once,
and revokes them; scripts send one as `Authorization: Bearer <token>` (or `Token <token>`).

A small model of our own rather than django-rest-knox: knox's tokens are made by logging in
through its own view and expire by a global setting, while ours are made on a page behind the
two-factor check, named, listed with their first characters and last use, revoked one by one,
and written to the audit trail like every other change: that is most of the code either way.

A token carries its holder's roles and nothing else: it authenticates as the person, and every
permission is then answered by the same rules and selectors as their session.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from siwanda.activity.services import activity_record
from siwanda.core.notify import notify

from .models import ApiToken, User
from .two_factor import has_confirmed_device, must_use_two_factor

# Recognisable in logs and by secret scanners; the rest is 256 random bits.
SECRET_START = "swd_"  # noqa: S105 (not a secret: the start of every token)
PREFIX_LENGTH = len(SECRET_START) + 8
MAX_ACTIVE_TOKENS = 20
# The last use is written at most this often per token, not at every request.
LAST_USED_EVERY = timedelta(minutes=1)
KEYWORDS = (b"bearer", b"token")


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _region_of(user: User):
    """The region an entry about the person is filed under (for the secretariat's log)."""
    first = user.role_assignments.exclude(region=None).select_related("region").first()
    return first.region if first else None


# --- Reads -----------------------------------------------------------------------------------


def api_tokens_of(user: User):
    """The person's tokens that were not revoked (expired ones included, marked as such)."""
    return ApiToken.objects.filter(user=user, revoked_at=None)


def api_token_get_for_owner(*, user: User, token_id: int) -> ApiToken:
    """One of the person's own unrevoked tokens; anyone else's is a 404, like a missing one."""
    return get_object_or_404(api_tokens_of(user), pk=token_id)


# --- Writes ----------------------------------------------------------------------------------


def _check_two_factor(actor) -> None:
    """A token outlives the session, so it is made only by a session that gave its two-factor
    code when the person has or must have an authenticator (the middleware already sends such a
    session to the code page; this holds for any other caller too)."""
    verified = getattr(actor, "is_verified", None)
    if (has_confirmed_device(actor) or must_use_two_factor(actor)) and not (
        verified and verified()
    ):
        raise PermissionDenied(_("Give your two-factor code before creating an API token."))


@transaction.atomic
def api_token_create(*, actor: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """A new token of `actor`. Returns it with its secret, which is stored nowhere and must be
    shown to the person at once: it cannot be shown again."""
    _check_two_factor(actor)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Choose an expiry date in the future.")})
    # Locks the person's row: two requests at once cannot both pass the checks below.
    User.objects.select_for_update().get(pk=actor.pk)
    active = api_tokens_of(actor)
    if active.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("You already have a token with this name.")})
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(count)d tokens, the most allowed: revoke one you no longer use.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    secret = SECRET_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=key_hash(secret),
        expires_at=expires_at,
    )
    activity_record(
        actor=actor,
        action="api_token.created",
        target=actor,
        region=_region_of(actor),
        data={"name": name, "prefix": token.prefix, "expires_at": expires_at},
    )
    transaction.on_commit(
        lambda: notify(
            users=[actor],
            message=gettext_lazy(
                "An API token named “%(name)s” was created for your account. If it was not "
                "you, revoke it and change your password."
            ),
            params={"name": name},
            url=reverse("accounts:api_tokens"),
        )
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """The token is refused from now on; it stays in the database for the audit trail."""
    if token.user_id != actor.pk:
        raise PermissionDenied
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if updated:
        activity_record(
            actor=actor,
            action="api_token.revoked",
            target=actor,
            region=_region_of(actor),
            data={"name": token.name, "prefix": token.prefix},
        )


# --- Authentication of API requests ------------------------------------------------------------


class TokenRefused(exceptions.APIException):
    """401 with the reason, whatever the order of the authentication classes (DRF turns its own
    AuthenticationFailed into a 403 when the first class, the session's, names no scheme)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = "authentication_failed"
    auth_header = 'Bearer realm="api", error="invalid_token"'


class TokenAuthentication(BaseAuthentication):
    """REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]: `Authorization: Bearer <token>` (or
    `Token <token>`). Without such a header it steps aside for the session."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() not in KEYWORDS:
            return None
        if len(words) != 2:
            raise TokenRefused(
                _("Send the token as “Authorization: Bearer <token>”, with nothing after it.")
            )
        try:
            secret = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise TokenRefused(_("This API token is not valid.")) from None
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(secret)).first()
        if token is None:
            raise TokenRefused(_("This API token is not valid."))
        if token.revoked_at is not None:
            raise TokenRefused(_("This API token has been revoked."))
        if token.is_expired:
            raise TokenRefused(_("This API token has expired."))
        if not token.user.is_active:
            raise TokenRefused(_("This account is deactivated."))
        self._note_use(token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'

    @staticmethod
    def _note_use(token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
            return
        # Conditional, so that requests arriving together write once.
        ApiToken.objects.filter(
            Q(last_used_at=None) | Q(last_used_at__lt=now - LAST_USED_EVERY), pk=token.pk
        ).update(last_used_at=now)
        token.last_used_at = now


class TokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI document (and the "Authorize" button of /api/docs/)."""

    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, created on your profile (Profil → Token API).",
        }
