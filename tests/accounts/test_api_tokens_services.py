"""Personal API tokens: creation, revocation and the two-factor rule, through the services."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from siwanda.accounts import tokens
from siwanda.accounts.models import ApiToken
from siwanda.activity.models import ActivityEntry
from siwanda.core.models import Notice


def test_a_token_is_stored_as_a_hash_with_its_first_characters(
    people, django_capture_on_commit_callbacks
):
    operator = people["operator"]
    with django_capture_on_commit_callbacks(execute=True):
        _token, secret = tokens.api_token_create(actor=operator, name="  Dashboard   Bappeda ")
    assert secret.startswith("swd_") and len(secret) == 4 + 43
    stored = ApiToken.objects.get()
    assert (stored.user, stored.name, stored.prefix) == (operator, "Dashboard Bappeda", secret[:12])
    assert stored.key_hash == tokens.key_hash(secret) != secret
    assert secret not in str(ApiToken.objects.values().get())
    assert (stored.expires_at, stored.last_used_at, stored.revoked_at) == (None, None, None)
    entry = ActivityEntry.objects.get(action="api_token.created")
    assert (entry.actor, entry.target_id, entry.region) == (
        operator,
        str(operator.pk),
        people["agency"].region,
    )
    assert entry.data == {"name": "Dashboard Bappeda", "prefix": secret[:12], "expires_at": None}
    # The person is told, in case it was not them.
    notice = Notice.objects.get(user=operator)
    assert "Dashboard Bappeda" in notice.text and notice.url == "/profil/token-api/"
    assert [m.to for m in mail.outbox] == [[operator.email]]


def test_two_tokens_never_share_a_secret(people):
    _first, one = tokens.api_token_create(actor=people["operator"], name="A")
    _second, two = tokens.api_token_create(actor=people["operator"], name="B")
    assert one != two and one[:12] != two[:12]


@pytest.mark.parametrize(
    ("name", "expires_in", "field", "message"),
    [
        ("   ", None, "name", "Give the token a name"),
        ("Skrip", datetime.timedelta(seconds=-1), "expires_at", "in the future"),
        ("skrip", None, "name", "already have a token with this name"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(people, name, expires_in, field, message):
    tokens.api_token_create(actor=people["operator"], name="Skrip")
    expires_at = timezone.now() + expires_in if expires_in else None
    with pytest.raises(ValidationError) as refused:
        tokens.api_token_create(actor=people["operator"], name=name, expires_at=expires_at)
    assert list(refused.value.message_dict) == [field]
    assert message in refused.value.message_dict[field][0]
    assert ApiToken.objects.count() == 1


def test_the_name_of_a_revoked_token_can_be_used_again(people):
    token, _secret = tokens.api_token_create(actor=people["operator"], name="Skrip")
    tokens.api_token_revoke(actor=people["operator"], token=token)
    again, _secret = tokens.api_token_create(actor=people["operator"], name="Skrip")
    assert list(tokens.api_tokens_of(people["operator"])) == [again]


def test_a_person_has_at_most_twenty_tokens(people):
    for number in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.api_token_create(actor=people["operator"], name=f"Skrip {number}")
    with pytest.raises(ValidationError, match="revoke one"):
        tokens.api_token_create(actor=people["operator"], name="Satu lagi")
    # Another person's count is their own.
    tokens.api_token_create(actor=people["head"], name="Satu lagi")


def test_revoking_keeps_the_row_and_writes_the_log_once(people):
    token, _secret = tokens.api_token_create(actor=people["operator"], name="Skrip")
    tokens.api_token_revoke(actor=people["operator"], token=token)
    tokens.api_token_revoke(actor=people["operator"], token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert list(tokens.api_tokens_of(people["operator"])) == []
    entry = ActivityEntry.objects.get(action="api_token.revoked")
    assert entry.data == {"name": "Skrip", "prefix": token.prefix}


def test_nobody_revokes_another_persons_token(people):
    token, _secret = tokens.api_token_create(actor=people["operator"], name="Skrip")
    with pytest.raises(PermissionDenied):
        tokens.api_token_revoke(actor=people["secretariat"], token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


def in_session(user, *, verified: bool):
    """The person as a request sees them after OTPMiddleware, which gives the user object an
    `is_verified()` saying whether this session gave its two-factor code."""
    user.is_verified = lambda: verified
    return user


def test_a_person_with_an_authenticator_creates_tokens_only_after_the_code(people):
    operator = people["operator"]
    TOTPDevice.objects.create(user=operator, name="phone", confirmed=True)
    with pytest.raises(PermissionDenied):
        tokens.api_token_create(actor=operator, name="Skrip")  # no session at all
    with pytest.raises(PermissionDenied):
        tokens.api_token_create(actor=in_session(operator, verified=False), name="Skrip")
    assert not ApiToken.objects.exists()
    token, _secret = tokens.api_token_create(
        actor=in_session(operator, verified=True), name="Skrip"
    )
    assert token.user_id == operator.pk


def test_a_region_requiring_two_factor_needs_it_before_its_secretariat_makes_a_token(
    people, luwu_utara
):
    luwu_utara.require_admin_2fa = True
    luwu_utara.save(update_fields=["require_admin_2fa"])
    with pytest.raises(PermissionDenied):
        tokens.api_token_create(
            actor=in_session(people["secretariat"], verified=False), name="Skrip"
        )
    # The rule is for the secretariat: an operator of the region is not concerned.
    tokens.api_token_create(actor=in_session(people["operator"], verified=False), name="Skrip")
    assert list(ApiToken.objects.values_list("user", flat=True)) == [people["operator"].pk]
