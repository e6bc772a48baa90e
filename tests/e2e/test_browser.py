"""Every page type in Chromium (Debian's, driven by Playwright): axe-core finds no
serious or critical WCAG violation at phone and desktop widths, and a
screenshot of each is kept in test-artifacts/screenshots/ for people to look at."""

import pytest

from tests.e2e.tools import AXE_JS, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, require_browser
from tests.pages import page_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def test_every_page_type_is_accessible_and_screenshotted(live_server, load_demo):
    require_browser()
    from playwright.sync_api import sync_playwright

    load_demo()
    pages = page_types()  # the ORM is done before Playwright starts its event loop
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for width in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, java_script_enabled=True
                )
                page = context.new_page()
                for name, url in pages.items():
                    response = page.goto(live_server.url + url)
                    assert response.status == (404 if name == "not-found" else 200), name
                    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
                    page.add_script_tag(path=str(AXE_JS))
                    result = page.evaluate(
                        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                        AXE_TAGS,
                    )
                    for violation in result["violations"]:
                        if violation["impact"] in {"serious", "critical"}:
                            targets = [n["target"] for n in violation["nodes"][:3]]
                            failures.append(
                                f"{name} @{width}px: {violation['id']} ({violation['impact']}): "
                                f"{violation['help']} {targets}"
                            )
                    # Nothing may overflow sideways on a phone.
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    if overflow > 0:
                        failures.append(f"{name} @{width}px: {overflow}px horizontal overflow")
                context.close()
        finally:
            browser.close()
    assert failures == [], "\n".join(failures)


def test_pages_read_without_javascript(live_server, load_demo):
    require_browser()
    from playwright.sync_api import sync_playwright

    load_demo()
    url = page_types()["article"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                java_script_enabled=False, viewport={"width": 320, "height": 800}
            )
            page = context.new_page()
            page.goto(live_server.url + url)
            body = page.inner_text("main")
            skip = page.locator(".skip-link")
            page.keyboard.press("Tab")
            focused_skip_link = skip.evaluate("el => el === document.activeElement")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        finally:
            browser.close()
    assert "in this story" in body.lower() and len(body) > 1000
    assert focused_skip_link, "the first Tab should reach the skip link"
    assert overflow <= 0, "a 320px phone should not scroll sideways"
