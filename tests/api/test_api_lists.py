"""What every endpoint shares: one pagination with clear errors for a wrong page, and the
throttles (429 with Retry-After)."""

import pytest
from django.conf import settings as django_settings

from tests.api.conftest import make_innovation

LIST = "/api/innovations/"


@pytest.fixture
def three(people, innovation):
    for title in ("Sekolah Lapang Iklim", "Posyandu Digital"):
        make_innovation(people["agency"], title=title)


def test_a_page_has_count_next_previous_and_results(as_, three):
    client = as_("operator")
    body = client.get(LIST, {"page_size": 2}).json()
    assert (body["count"], len(body["results"]), body["previous"]) == (3, 2, None)
    assert body["next"] == "http://testserver/api/innovations/?page=2&page_size=2"
    second = client.get(body["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)
    assert second["previous"] == "http://testserver/api/innovations/?page_size=2"
    last = client.get(LIST, {"page_size": 2, "page": "last"}).json()
    assert last["results"] == second["results"]


def test_the_default_page_size_is_the_setting(as_, three):
    assert len(as_("operator").get(LIST).json()["results"]) == 3
    assert django_settings.REST_FRAMEWORK["PAGE_SIZE"] == 50


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"page": "abc"}, "page", "Enter a whole number from 1."),
        ({"page": "0"}, "page", "Enter a whole number from 1."),
        ({"page": "-1"}, "page", "Enter a whole number from 1."),
        ({"page": "1.5"}, "page", "Enter a whole number from 1."),
        ({"page_size": "x"}, "page_size", "Enter a whole number from 1."),
        ({"page_size": "0"}, "page_size", "Enter a whole number from 1."),
        ({"page_size": "201"}, "page_size", "Enter a whole number from 1 to 200."),
    ],
)
def test_a_wrong_page_is_a_400_naming_the_parameter(as_, three, query, field, message):
    response = as_("operator").get(LIST, query)
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {field: [message]}}


@pytest.mark.parametrize("page", ["2", "99999", "99999999999999999999999"])
def test_a_page_past_the_end_is_a_404(as_, three, page):
    response = as_("operator").get(LIST, {"page": page})
    assert response.status_code == 404
    assert response.json() == {"detail": f"There is no page {page} in this list."}


def test_the_largest_page_is_allowed(as_, three):
    assert as_("operator").get(LIST, {"page_size": 200}).json()["count"] == 3


@pytest.mark.parametrize(
    "url",
    ["/api/proposals/", "/api/assignments/"],
)
def test_every_list_pages_alike(as_, url):
    client = as_("secretariat") if "proposals" in url else as_("juror")
    body = client.get(url, {"page_size": 5}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert client.get(url, {"page": "x"}).status_code == 400
    assert client.get(url, {"page": "5"}).status_code == 404


# --- Throttling ----------------------------------------------------------------------------------


def rates(settings, anon, user):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}
    }


def test_anonymous_requests_are_limited_by_address(settings, as_, db):
    rates(settings, "2/min", "100/min")
    client = as_("anonymous")
    url = "/api/certificates/ABC/"
    assert [client.get(url).status_code for _ in range(2)] == [404, 404]
    response = client.get(url)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Request was throttled.")
    # Another address has its own count.
    assert client.get(url, REMOTE_ADDR="10.1.2.3").status_code == 404


def test_signed_in_requests_are_limited_by_person(settings, as_, people, innovation):
    rates(settings, "1/min", "3/min")
    client = as_("operator")
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(LIST)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    # Another person from the same address is not affected.
    assert as_("secretariat").get(LIST).status_code == 200


def test_the_address_behind_a_proxy_is_the_one_it_passes_on(settings, as_, db):
    rates(settings, "1/min", "100/min")
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": 1}
    client = as_("anonymous")
    url = "/api/certificates/ABC/"
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 404
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 404


def test_without_a_proxy_a_forwarded_address_is_not_believed(settings, as_, db):
    rates(settings, "1/min", "100/min")
    client = as_("anonymous")
    url = "/api/certificates/ABC/"
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 404
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 429


def test_the_default_limits(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anon": "60/min",
        "user": "600/min",
    }
