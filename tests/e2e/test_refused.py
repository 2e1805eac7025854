"""A person who opens a page their role does not allow gets the error page, and none of its data."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in

REFUSED = [
    # (who, which page, status): 404 when the person may not even know the thing exists.
    ("operator", "/wilayah/73.22/pengguna/", 404),
    ("operator", "/perangkat-daerah/{other_agency}/", 404),
    ("operator", "/pengguna/{secretariat}/", 404),
    ("operator", "/wilayah/73.22/aktivitas/", 404),
    ("operator", "/wilayah/73.22/perangkat-daerah/tambah/", 404),
    # A mentor may read the region, but not manage its people.
    ("mentor", "/wilayah/73.22/pengguna/", 403),
]


@pytest.mark.parametrize(("role", "url", "status"), REFUSED)
def test_refused_page_shows_error_and_no_data(page, people, role, url, status):
    from siwanda.accounts.models import User

    viewer = people[role]
    url = url.format(other_agency=people["other_agency"].pk, secretariat=people["secretariat"].pk)
    log_in(page, viewer.email)
    expect(page).to_have_url("/")

    response = page.goto(url)

    assert response.status == status
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    html = page.content()
    others = [p for p in people.values() if isinstance(p, User) and p != viewer]
    for person in others:
        assert person.email not in html, f"{url} shows {person.email}"
        assert not re.search(rf"\b{re.escape(person.full_name)}\b", html), (
            f"{url} shows {person.full_name}"
        )
    assert "Dinas Pendidikan" not in html
    assert_accessible(page, label=f"error page {status}")

    with page.expect_navigation():
        page.locator("main a[href='/']").click()
    expect(page).to_have_url("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(viewer.full_name)
