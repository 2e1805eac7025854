"""Two-factor login: turn it on with an authenticator app, then give a code at every login."""

import base64
import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in, log_out, path_of, submit

CODE_LABEL = re.compile(r"code|kode", re.I)


def authenticator_code(key: bytes, device) -> str:
    """What the person's authenticator app shows: the code of the current time step, or of the
    next one when the current code was already used (a code is accepted only once)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def test_two_factor_turned_on_then_asked_at_login(page, people):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = people["operator"]
    log_in(page, person.email)
    page.locator("header .dropdown-toggle").click()
    with page.expect_navigation():
        page.locator("header a[href='/profil/dua-langkah/']").click()
    expect(page.locator("main img")).to_have_attribute("src", re.compile("^data:image/svg"))
    assert_accessible(page, label="two-factor set-up page")

    # The key typed into the app by hand is shown next to the QR code, in groups of four.
    shown = page.locator("main code").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", shown), shown
    key = base64.b32decode(shown.replace(" ", ""))
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    assert key == device.bin_key

    page.get_by_label(CODE_LABEL).fill(authenticator_code(key, device))
    submit(page)

    expect(page).to_have_url("/")
    device.refresh_from_db()
    assert device.confirmed

    log_out(page)
    log_in(page, person.email)
    expect(page).to_have_url("/masuk/kode/?next=%2F")
    assert_accessible(page, label="two-factor code page")
    # Nothing else opens before the code is given.
    page.goto("/profil/")
    expect(page).to_have_url("/masuk/kode/?next=%2Fprofil%2F")

    wrong = f"{(int(authenticator_code(key, device)) + 1) % 1_000_000:06d}"
    page.get_by_label(CODE_LABEL).fill(wrong)
    submit(page)
    expect(page.locator("#id_code_error")).to_be_visible()
    expect(page.get_by_label(CODE_LABEL)).to_have_attribute("aria-invalid", "true")
    assert path_of(page.url) == "/masuk/kode/"

    page.wait_for_timeout(1100)  # django-otp refuses every code for 1 s after a wrong one
    device.refresh_from_db()
    page.get_by_label(CODE_LABEL).fill(authenticator_code(key, device))
    submit(page)

    expect(page).to_have_url("/profil/")
    expect(page.locator("main")).to_contain_text(person.email)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.full_name)
