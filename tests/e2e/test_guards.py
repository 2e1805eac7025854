"""The watch on every page works: a CSP violation and an uncaught error are both caught."""

from playwright.sync_api import expect


def test_guard_page_problems_are_caught(new_page):
    page = new_page()
    page.goto("/masuk/")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    # An inline script is refused by the strict CSP; an error nobody catches is reported.
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.inlineRan = true';
            document.body.append(script);
            setTimeout(() => { throw new Error('boom from the guard test'); }, 0);
        }"""
    )
    problems = new_page.problems
    for _ in range(40):
        if problems.csp and problems.errors:
            break
        page.wait_for_timeout(50)

    assert page.evaluate("() => window.inlineRan === undefined")
    assert any("script" in text for text in problems.csp), problems.report()
    assert any("boom from the guard test" in text for text in problems.errors), problems.report()
    problems.csp.clear()
    problems.errors.clear()
