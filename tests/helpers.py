"""Assertions shared by the integration tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


def assert_constant_queries(client, url, add_rows) -> None:
    """The page costs the same number of queries after `add_rows()` added more to the list."""
    client.get(url)  # the first request of a session does one-off work (session, checks)
    before = count_queries(client, url)
    add_rows()
    after = count_queries(client, url)
    assert after == before, f"{url}: {before} queries with fewer rows, {after} with more"


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
