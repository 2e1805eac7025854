"""Browser tests: Playwright (sync API) driving Debian's Chromium against Django's live server.

Every page a test opens is watched: a Content Security Policy violation or an uncaught
JavaScript error fails the test. `assert_accessible` runs axe-core, `assert_fits_phone` checks
that a page does not scroll sideways at phone width.

Texts are translated (Indonesian by default, English on request), so the tests find things by
role, by label patterns that match both languages, by the data they show and by URL, never by
the exact wording of an interface text.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_BROWSER = (
    "Chromium is not installed: browser tests SKIPPED. Install Debian's chromium "
    "(`apt-get install chromium`, or `make test` does it) so that /usr/bin/chromium exists; "
    "set SIWANDA_REQUIRE_BROWSER=1 to make this an error instead."
)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Labels of the fields used across tests, in English and Indonesian.
EMAIL = re.compile(r"e-?mail|surel", re.I)
PASSWORD_LABEL = re.compile(r"password|sandi", re.I)

_skipped_for_browser: list[str] = []


def browser_required() -> bool:
    return os.environ.get("SIWANDA_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


# --- Browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if browser_required():
            pytest.fail(
                f"Chromium is not installed at {CHROMIUM} and SIWANDA_REQUIRE_BROWSER=1: "
                "the browser tests cannot run. Install it with `apt-get install chromium`.",
                pytrace=False,
            )
        _skipped_for_browser.append(MISSING_BROWSER)
        pytest.skip(MISSING_BROWSER)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def pytest_terminal_summary(terminalreporter):
    if _skipped_for_browser:
        line = "*" * 88
        terminalreporter.write_line(line, red=True, bold=True)
        terminalreporter.write_line(f"* {MISSING_BROWSER}", red=True, bold=True)
        terminalreporter.write_line(line, red=True, bold=True)


class PageProblems:
    """What went wrong in the browser while a test ran: CSP violations and uncaught errors."""

    def __init__(self):
        self.csp: list[str] = []
        self.errors: list[str] = []

    def watch(self, page):
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.on_page_error(page, error))

    def on_console(self, message):
        text = message.text
        if "Refused to" in text or "Content Security Policy" in text:
            self.csp.append(f"{text}\n    at {message.location.get('url') or message.page.url}")

    def on_page_error(self, page, error):
        self.errors.append(f"{error.name}: {error.message} (on {page.url})\n{error.stack or ''}")

    def report(self) -> str:
        lines = []
        if self.csp:
            lines.append("Content Security Policy violations:")
            lines += [f"  - {text}" for text in self.csp]
        if self.errors:
            lines.append("Uncaught JavaScript errors:")
            lines += [f"  - {text}" for text in self.errors]
        return "\n".join(lines)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """The regions and the 17 SDGs come from data migrations, and every live-server test empties
    the database when it ends: load them again when they are gone.

    (pytest-django's serialized rollback cannot do this here: once Playwright's sync API runs,
    Django's connection handler, a context-local, hands the test a new connection object that
    lacks the serialized copy.)"""
    from siwanda.innovations.loader import load_sdgs
    from siwanda.innovations.models import Sdg
    from siwanda.regions.loader import load_regions
    from siwanda.regions.models import Region

    if not Region.objects.filter(code="73.22").exists():
        load_regions(Region)
    load_sdgs(Sdg)


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a new browser profile (no cookies): another person, another device.

    Every page is watched; at the end of the test any CSP violation or uncaught JavaScript
    error fails it."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    problems = PageProblems()
    contexts = []

    def open_page(**options):
        options = {
            "base_url": live_server.url,
            "locale": "id-ID",  # like our users' browsers
            "timezone_id": "Asia/Makassar",
            "viewport": DESKTOP,
            # No transitions (Bootstrap honours it): a colour check mid-fade is not a finding.
            "reduced_motion": "reduce",
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    open_page.problems = problems
    yield open_page
    for context in contexts:
        context.close()
    report = problems.report()
    if report:
        pytest.fail(f"The browser reported problems:\n{report}", pytrace=False)


@pytest.fixture
def page(new_page):
    return new_page()


# --- Helpers ------------------------------------------------------------------------------------


def path_of(url: str) -> str:
    return urlparse(url).path


def submit(page, form_selector: str = "main form[method=post]"):
    """Press the first submit button of the page's main form (its label is translated)."""
    page.locator(form_selector).first.locator("button[type=submit]").first.click()


def log_in(page, email: str, password: str = PASSWORD):
    """Log in through the form; returns the response to the form's POST."""
    if path_of(page.url) != "/masuk/":
        page.goto("/masuk/")
    page.get_by_label(EMAIL).fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)

    def is_login_post(response):
        return path_of(response.url) == "/masuk/" and response.request.method == "POST"

    with page.expect_navigation(), page.expect_response(is_login_post) as info:
        submit(page)
    return info.value


def log_out(page):
    """Log out with the menu's form (a POST), wherever the menu is."""
    form = page.locator("header form[action='/keluar/']")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.locator("#account-menu").click()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def assert_accessible(page, *, label: str = "") -> None:
    """No axe-core violation of impact "serious" or "critical" on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    severe = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    if severe:
        lines = [f"Accessibility violations on {label or page.url}:"]
        for violation in severe:
            lines.append(
                f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
                f"({violation['helpUrl']})"
            )
            for node in violation["nodes"][:5]:
                lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
                summary = node.get("failureSummary", "").replace("\n", " ")
                if summary:
                    lines.append(f"      {summary[:300]}")
            if len(violation["nodes"]) > 5:
                lines.append(f"    ... and {len(violation['nodes']) - 5} more")
        pytest.fail("\n".join(lines), pytrace=False)


def assert_fits_phone(page, *, label: str = "") -> None:
    """At phone width the page must not scroll sideways."""
    size = page.viewport_size
    assert size is not None and size["width"] == PHONE["width"], size
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        # The innermost elements that reach past the screen's edge: the ones to fix.
        wide = page.evaluate(
            """(limit) => {
                // Past the edge itself, or holding content (long text) that spills out of it.
                const over = (el) => el.getBoundingClientRect().right > limit + 0.5
                    || (el.scrollWidth > el.clientWidth + 1
                        && getComputedStyle(el).overflowX === 'visible'
                        && el.getBoundingClientRect().left + el.scrollWidth > limit + 0.5);
                return [...document.querySelectorAll('body *')]
                    .filter((el) => over(el) && ![...el.children].some(over))
                    .slice(0, 8)
                    .map((el) => el.outerHTML.slice(0, 120)
                        + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + ')');
            }""",
            PHONE["width"],
        )
        pytest.fail(
            f"{label or page.url} scrolls sideways at {PHONE['width']} px: content is {width} px "
            "wide. Reaching past the edge:\n  " + "\n  ".join(wide),
            pytrace=False,
        )
