"""Logging in: every role reaches its own home page; wrong passwords and the lockout."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import EMAIL, PASSWORD_LABEL, assert_accessible, log_in

# For each role: what its home panel is about (its title names it) and a link only it has there.
HOME_PANELS = {
    "secretariat": ("Kabupaten Luwu Utara", "/wilayah/73.22/pengguna/"),
    "operator": ("Dinas Kesehatan", "/perangkat-daerah/{agency}/"),
    "head": ("Dinas Kesehatan", "/perangkat-daerah/{agency}/"),
    "mentor": ("Kabupaten Luwu Utara", "/wilayah/73.22/perangkat-daerah/"),
    "juror": ("Kabupaten Luwu Utara", "/wilayah/73.22/perangkat-daerah/"),
    "leadership": ("Kabupaten Luwu Utara", "/wilayah/73.22/perangkat-daerah/"),
    "admin": (None, "/wilayah/"),
}


@pytest.mark.parametrize("role", list(HOME_PANELS))
def test_login_role_lands_on_own_home(page, people, role):
    person = people[role]
    title_names, link = HOME_PANELS[role]
    link = link.format(agency=people["agency"].pk)

    # The home page is public: a visitor sees the way in, and no task of anybody's.
    page.goto("/")
    expect(page.locator("main section[aria-labelledby^='panel-']")).to_have_count(0)
    page.goto("/masuk/?next=/")
    assert_accessible(page, label="login page")

    response = log_in(page, person.email)

    assert response.status == 302
    expect(page).to_have_url("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.full_name)
    panels = page.locator("main section[aria-labelledby^='panel-']")
    expect(panels).to_have_count(1)
    panel_title = panels.get_by_role("heading", level=2)
    if title_names:
        expect(panel_title).to_contain_text(title_names)
    expect(panels.locator(f".card-footer a[href='{link}']")).to_be_visible()
    # Nobody sees a panel that belongs to somebody else.
    for other in ("Kabupaten Luwu Timur", "Dinas Pendidikan"):
        expect(page.locator("main")).not_to_contain_text(other)
    assert_accessible(page, label=f"home page of the {role}")


def test_login_wrong_password_shows_error_and_keeps_email(page, people):
    person = people["operator"]

    response = log_in(page, person.email, "not-the-password")

    assert response.status == 200
    expect(page).to_have_url("/masuk/")
    expect(page.locator("main form [role=alert]")).to_be_visible()
    expect(page.get_by_label(EMAIL)).to_have_value(person.email)
    expect(page.get_by_label(PASSWORD_LABEL)).to_have_value("")
    assert_accessible(page, label="login page with an error")


def test_login_five_wrong_passwords_lock_the_account(page, people, settings):
    person = people["operator"]
    minutes = str(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    statuses = [log_in(page, person.email, f"wrong-{n}").status for n in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    lock_message = page.locator("main [role=alert]")
    expect(lock_message).to_have_count(1)
    expect(lock_message).to_contain_text(minutes)  # how long to wait
    expect(page.locator("main form [role=alert]")).to_have_count(0)  # not a password error
    expect(page.get_by_label(EMAIL)).to_have_value(person.email)

    # The right password does not open a locked account, and the page stays usable.
    response = log_in(page, person.email)

    assert response.status == 429
    expect(page).to_have_url("/masuk/")
    expect(lock_message).to_contain_text(minutes)
    expect(page.get_by_label(EMAIL)).to_have_value(person.email)
    expect(page.get_by_label(PASSWORD_LABEL)).to_be_editable()
    expect(page.locator("main a[href='/sandi/lupa/']")).to_be_visible()
    assert_accessible(page, label="login page of a locked account")
