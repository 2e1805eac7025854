"""The interface language: chosen in the footer, remembered on the person's account."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, log_out


def choose_language(page, code):
    """Press the footer's button for a language (buttons carry the language code as value)."""
    with page.expect_navigation():
        page.locator(f"footer button[name=language][value={code}]").click()


def test_language_choice_is_remembered_on_the_account(new_page, people):
    from siwanda.accounts.models import User

    person = people["secretariat"]
    page = new_page()
    html = page.locator("html")

    page.goto("/masuk/")
    expect(html).to_have_attribute("lang", "id")
    choose_language(page, "en")
    expect(page).to_have_url("/masuk/")
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("footer button[value=en]")).to_have_attribute("aria-pressed", "true")

    log_in(page, person.email)
    expect(page).to_have_url("/")
    expect(html).to_have_attribute("lang", "en")
    assert User.objects.get(pk=person.pk).language == "en"

    choose_language(page, "id")
    expect(page).to_have_url("/")
    expect(html).to_have_attribute("lang", "id")
    expect(page.locator("footer button[value=id]")).to_have_attribute("aria-pressed", "true")
    page.goto("/wilayah/73.22/perangkat-daerah/")
    expect(html).to_have_attribute("lang", "id")
    assert User.objects.get(pk=person.pk).language == "id"

    log_out(page)
    expect(page).to_have_url("/masuk/")
    log_in(page, person.email)
    expect(page).to_have_url("/")
    expect(html).to_have_attribute("lang", "id")

    # On another computer whose browser asks for English, the account's choice still wins.
    elsewhere = new_page(locale="en-US")
    elsewhere.goto("/masuk/")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "en")
    log_in(elsewhere, person.email)
    expect(elsewhere).to_have_url("/")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "id")


def test_language_switch_keeps_the_page_and_names_languages_in_their_own_tongue(page, people):
    page.goto("/sandi/lupa/")
    english = page.locator("footer button[value=en]")
    indonesian = page.locator("footer button[value=id]")
    # Each language is named in itself, so a person can find theirs whatever the page speaks.
    expect(english).to_have_text("English")
    expect(indonesian).to_have_text("Bahasa Indonesia")

    choose_language(page, "en")

    expect(page).to_have_url("/sandi/lupa/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(english).to_have_text("English")
    expect(indonesian).to_have_text("Bahasa Indonesia")
