"""Every page type in Chromium (Debian's, driven by Playwright): axe-core finds no
serious or critical WCAG violation at phone and desktop widths, every picture loads,
in AVIF, at a size that is sharp without being wasteful, and a screenshot of each is
kept in test-artifacts/screenshots/ for people to look at."""

import pytest

from tests.e2e.tools import AXE_JS, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, require_browser
from tests.pages import page_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Scroll through the page so lazy pictures load, then wait (15 s at most) for every picture.
LOAD_PICTURES = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await new Promise(done => setTimeout(done, 30));
  }
  scrollTo(0, 0);
  // Hidden pictures (display: none) are never fetched when lazy: do not wait for them.
  const drawn = [...document.images].filter(img => img.getClientRects().length);
  const loaded = Promise.all(drawn.map(img => img.complete ? null : new Promise(
    done => { img.addEventListener("load", done); img.addEventListener("error", done); })));
  await Promise.race([loaded, new Promise(done => setTimeout(done, 15000))]);
}"""
# What the browser chose for each responsive picture, and how wide it is drawn.
PICTURES = """() => [...document.images].filter(img => img.srcset).map(img => ({
  src: img.currentSrc,
  chosen: img.naturalWidth,
  shown: img.getBoundingClientRect().width * devicePixelRatio,
  widths: [...img.srcset.matchAll(/ (\\d+)w/g)].map(m => Number(m[1])),
  avif: Boolean(img.closest("picture")?.querySelector("source[type='image/avif']")),
}))"""


@pytest.fixture
def site_with_media(settings):
    """The live server serves MEDIA_ROOT too, as `make run` does."""
    settings.ROOT_URLCONF = "tests.e2e.urls"


def picture_problems(pictures: list[dict]) -> list[str]:
    """Broken pictures, pictures not in AVIF where AVIF was offered, and pictures whose
    ``sizes`` made the browser pick a file much larger than drawn (waste) or smaller than
    drawn while a larger one existed (blur)."""
    problems = []
    for p in pictures:
        name = p["src"].rsplit("/", 1)[-1] or "(nothing)"
        if p["shown"] == 0:
            continue  # not drawn at this width (a lazy picture is then not even fetched)
        if not p["chosen"]:
            problems.append(f"picture did not load: {p['src'] or p}")
            continue
        if p["avif"] and not p["src"].endswith(".avif"):
            problems.append(f"{name}: AVIF offered but not chosen")
        fitting = [w for w in p["widths"] if w >= p["shown"]]
        ideal = min(fitting) if fitting else max(p["widths"])
        if p["chosen"] > ideal and p["chosen"] > 2 * p["shown"]:
            problems.append(f"{name}: {p['chosen']} px wide for {p['shown']:.0f} px (sizes?)")
        if p["chosen"] < 0.9 * p["shown"] and p["chosen"] < max(p["widths"]):
            problems.append(f"{name}: {p['chosen']} px wide for {p['shown']:.0f} px (blurred)")
    return problems


def test_every_page_type_is_accessible_and_screenshotted(live_server, load_demo, site_with_media):
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
                # axe is injected as an inline script, which the site's CSP rightly
                # refuses; tests/security/test_browser_security.py checks the CSP.
                context = browser.new_context(
                    viewport={"width": width, "height": 900},
                    java_script_enabled=True,
                    bypass_csp=True,
                )
                page = context.new_page()
                for name, url in pages.items():
                    response = page.goto(live_server.url + url)
                    assert response.status == (404 if name == "not-found" else 200), name
                    page.evaluate(LOAD_PICTURES)
                    failures.extend(
                        f"{name} @{width}px: {problem}"
                        for problem in picture_problems(page.evaluate(PICTURES))
                    )
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
