"""Personal API tokens on the API: a valid token is its holder with exactly their roles; a
malformed, unknown, revoked or expired one is a 401 that says why."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from siwanda.accounts import tokens
from siwanda.accounts.models import ApiToken
from siwanda.innovations.models import Innovation
from tests.api.conftest import make_innovation

LIST = "/api/innovations/"
CHALLENGE = 'Bearer realm="api", error="invalid_token"'


def detail(innovation):
    return f"/api/innovations/{innovation.pk}/"


def token_of(user, **fields):
    _token, secret = tokens.api_token_create(actor=user, name="Skrip", **fields)
    return secret


def bearer(secret, keyword="Bearer"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {secret}")
    return client


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_valid_token_is_its_holder(people, innovation, keyword):
    response = bearer(token_of(people["operator"]), keyword).get(detail(innovation))
    assert response.status_code == 200
    assert response.json()["title"] == innovation.title
    assert response.json()["can_change"] is True  # the operator's own rights


def test_a_token_writes_without_a_csrf_token(people):
    client = bearer(token_of(people["operator"]))
    client.enforce_csrf_checks = True
    response = client.post(
        LIST,
        {
            "agency": people["agency"].pk,
            "title": "Posyandu Digital",
            "form": "public_service",
            "initiator": "civil_servant",
            "stage": "trial",
            "trial_date": "2025-03-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Innovation.objects.get(title="Posyandu Digital").agency == people["agency"]


def test_an_operators_token_reaches_nothing_of_another_region(people, innovation):
    neighbour = make_innovation(people["neighbour_agency"], title="Inovasi Tetangga")
    client = bearer(token_of(people["operator"]))
    assert client.get(detail(neighbour)).status_code == 404
    titles = [row["title"] for row in client.get(LIST).json()["results"]]
    assert titles == [innovation.title]
    response = client.patch(detail(neighbour), {"title": "Diubah"}, format="json")
    assert response.status_code == 404
    neighbour.refresh_from_db()
    assert neighbour.title == "Inovasi Tetangga"


def test_a_token_of_a_person_without_a_role_is_refused_like_their_session(people, innovation):
    response = bearer(token_of(people["nobody"])).get(LIST)
    assert response.status_code == 403
    assert innovation.title not in response.content.decode()


def test_a_secretariat_token_reads_but_does_not_change_an_agencys_innovation(people, innovation):
    client = bearer(token_of(people["secretariat"]))
    assert client.get(detail(innovation)).json()["can_change"] is False
    assert client.patch(detail(innovation), {"title": "X"}, format="json").status_code == 403


def refused(client, url=LIST):
    response = client.get(url)
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == CHALLENGE
    assert set(response.json()) == {"detail"}
    return response.json()["detail"]


def test_a_revoked_token_is_refused(people, innovation):
    secret = token_of(people["operator"])
    tokens.api_token_revoke(actor=people["operator"], token=ApiToken.objects.get())
    assert refused(bearer(secret)) == "This API token has been revoked."


def test_an_expired_token_is_refused(people, innovation):
    secret = token_of(people["operator"], expires_at=timezone.now() + datetime.timedelta(1))
    assert bearer(secret).get(LIST).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert refused(bearer(secret)) == "This API token has expired."


def test_the_token_of_a_deactivated_account_is_refused(people, innovation):
    secret = token_of(people["operator"])
    people["operator"].is_active = False
    people["operator"].save(update_fields=["is_active"])
    assert refused(bearer(secret)) == "This account is deactivated."


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Bearer", "nothing after it"),
        ("Bearer swd_one swd_two", "nothing after it"),
        ("Bearer swd_notavalidtokenatall", "This API token is not valid."),
        ("Token ", "nothing after it"),
    ],
)
def test_a_malformed_or_unknown_token_is_refused(people, header, detail):
    token_of(people["operator"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert detail in refused(client)


def test_a_token_that_is_not_ascii_is_refused(people):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer swd_é".encode().decode("latin-1"))
    assert refused(client) == "This API token is not valid."


def test_a_bad_token_is_refused_even_on_public_endpoints(db):
    """Like any API: a client that sends credentials learns that they are wrong."""
    assert refused(bearer("swd_wrong"), "/api/certificates/ABC/") == "This API token is not valid."


def test_other_schemes_are_left_to_the_session(people, innovation):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    response = client.get(LIST)
    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_token_request_does_not_wait_for_a_two_factor_code(people, innovation):
    """The code was given when the token was made (the page is behind it); a token is then the
    person's second factor, like a session that gave it."""
    TOTPDevice.objects.create(user=people["operator"], name="phone", confirmed=True)
    people["operator"].is_verified = lambda: True
    secret = token_of(people["operator"])
    assert bearer(secret).get(detail(innovation)).status_code == 200


def test_the_last_use_is_written_at_most_once_a_minute(people, innovation):
    secret = token_of(people["operator"])
    client = bearer(secret)
    before = timezone.now()
    client.get(LIST)
    first = ApiToken.objects.get().last_used_at
    assert first >= before

    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiToken.objects.get().last_used_at == first

    ApiToken.objects.update(last_used_at=first - datetime.timedelta(seconds=61))
    client.get(LIST)
    assert ApiToken.objects.get().last_used_at > first
