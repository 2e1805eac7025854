"""The page of one's own API tokens under the profile: create (the secret shown once), list,
revoke; nobody reaches another person's tokens."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from siwanda.accounts import tokens
from siwanda.accounts.models import ApiToken
from tests.helpers import assert_constant_queries, login

PAGE = "/profil/token-api/"


def revoke_url(token):
    return reverse("accounts:api_token_revoke", args=[token.pk])


def test_the_urls():
    assert reverse("accounts:api_tokens") == PAGE
    assert reverse("accounts:api_token_revoke", args=[7]) == "/profil/token-api/7/cabut/"


@pytest.mark.parametrize("role", ["operator", "secretariat", "juror", "leadership", "nobody"])
def test_every_signed_in_person_creates_a_token_and_sees_it_once(client, people, role):
    login(client, people[role])
    response = client.post(PAGE, {"name": "Dashboard Bappeda", "expires_on": ""})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    token = ApiToken.objects.get(user=people[role])
    secret = re.search(r'id="new-token" type="text" value="(swd_[^"]+)"', page).group(1)
    assert tokens.key_hash(secret) == token.key_hash
    assert "shown only this once" in page
    # The form is empty again, the list has the token; the next visit never shows the secret.
    assert 'value="Dashboard Bappeda"' not in page
    later = client.get(PAGE).content.decode()
    assert secret not in later and "shown only this once" not in later
    assert "Dashboard Bappeda" in later and f"{token.prefix}…" in later
    assert "never" in later  # not used yet, no expiry


def test_signed_out_people_are_sent_to_log_in(client, people):
    for response in (client.get(PAGE), client.post(PAGE, {"name": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/?next=")
    assert not ApiToken.objects.exists()


def test_the_list_shows_only_ones_own_unrevoked_tokens(client, people):
    mine, _secret = tokens.api_token_create(actor=people["operator"], name="Milik saya")
    gone, _secret = tokens.api_token_create(actor=people["operator"], name="Sudah dicabut")
    tokens.api_token_revoke(actor=people["operator"], token=gone)
    tokens.api_token_create(actor=people["head"], name="Milik kepala")
    page = login(client, people["operator"]).get(PAGE).content.decode()
    assert "Milik saya" in page and mine.prefix in page
    assert "Sudah dicabut" not in page and "Milik kepala" not in page


def test_expiry_and_last_use_are_shown(client, people):
    expired, _secret = tokens.api_token_create(
        actor=people["operator"], name="Lama", expires_at=timezone.now() + datetime.timedelta(1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1),
        last_used_at=timezone.now() - datetime.timedelta(days=2),
    )
    page = login(client, people["operator"]).get(PAGE).content.decode()
    row = page[page.index("<td>Lama</td>") : page.index("</tr>", page.index("<td>Lama</td>"))]
    assert "expired" in row and "never" not in row


def test_an_expiry_date_ends_with_that_day_in_the_persons_zone(client, people, luwu_utara):
    login(client, people["operator"])
    day = timezone.localdate() + datetime.timedelta(days=30)
    client.post(PAGE, {"name": "Sementara", "expires_on": day.isoformat()})
    token = ApiToken.objects.get()
    local = timezone.localtime(token.expires_at, ZoneInfo(luwu_utara.timezone))  # WITA
    assert (local.date(), local.hour, local.minute) == (day, 23, 59)


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 101}, "at most 100 characters"),
        ({"name": "Skrip", "expires_on": "kemarin"}, "Enter a valid date."),
        ({"name": "Skrip", "expires_on": "2020-01-01"}, "Choose a date after today."),
    ],
)
def test_bad_input_keeps_what_was_typed_and_says_why(client, people, data, field_error):
    login(client, people["operator"])
    response = client.post(PAGE, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert field_error in page
    assert "shown only this once" not in page
    if data.get("expires_on"):
        assert f'value="{data["expires_on"]}"' in page
    assert not ApiToken.objects.exists()


def test_a_service_refusal_shows_on_the_form(client, people):
    tokens.api_token_create(actor=people["operator"], name="Skrip")
    response = login(client, people["operator"]).post(PAGE, {"name": "SKRIP"})
    page = response.content.decode()
    assert "You already have a token with this name." in page
    assert 'value="SKRIP"' in page
    assert ApiToken.objects.count() == 1


def test_revoking_ones_own_token(client, people):
    token, _secret = tokens.api_token_create(actor=people["operator"], name="Skrip")
    login(client, people["operator"])
    response = client.post(revoke_url(token), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "The token “Skrip” is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    # Revoked is gone: a second revocation finds nothing.
    assert client.post(revoke_url(token)).status_code == 404


@pytest.mark.parametrize("role", ["secretariat", "admin", "head", "neighbour_operator"])
def test_another_persons_token_is_not_found(client, people, role):
    token, _secret = tokens.api_token_create(actor=people["operator"], name="Skrip")
    response = login(client, people[role]).post(revoke_url(token))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(client, people):
    token, _secret = tokens.api_token_create(actor=people["operator"], name="Skrip")
    assert login(client, people["operator"]).get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_session_that_has_not_given_its_code_cannot_reach_the_page(client, people):
    TOTPDevice.objects.create(user=people["operator"], name="phone", confirmed=True)
    login(client, people["operator"])
    response = client.post(PAGE, {"name": "Skrip"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert not ApiToken.objects.exists()


def test_the_list_costs_the_same_queries_for_more_tokens(client, people):
    tokens.api_token_create(actor=people["operator"], name="Satu")
    login(client, people["operator"])

    def more():
        for number in range(5):
            tokens.api_token_create(actor=people["operator"], name=f"Skrip {number}")

    assert_constant_queries(client, PAGE, more)
