"""The Content Security Policy holds in a real browser: every public page type and
the admin's busiest screens load with no violation, and the admin still works
(the rich-text editor starts, autocomplete answers)."""

import io

import pytest
from django.core.management import call_command

from tests.e2e.tools import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.pages import page_types

pytestmark = pytest.mark.browser

# Collect violations from the first moment of every page (init scripts run
# before the page's own, and are not subject to its CSP).
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sample);
});
"""


def admin_pages():
    from articles.models import Article
    from images.models import Image
    from people.models import Person
    from shows.models import Show

    article = Article.objects.published().first()
    return {
        "admin-index": "/admin/",
        "story-list": "/admin/articles/article/",
        "story-edit": f"/admin/articles/article/{article.pk}/change/",
        "story-add": "/admin/articles/article/add/",
        "person-edit": f"/admin/people/person/{Person.objects.first().pk}/change/",
        "show-edit": f"/admin/shows/show/{Show.objects.first().pk}/change/",
        "story-history": f"/admin/articles/article/{article.pk}/history/",
        "image-library": "/admin/images/image/",
        "image-edit": f"/admin/images/image/{Image.objects.first().pk}/change/",
    }


def test_no_csp_violations_and_the_admin_still_works(live_server):
    require_browser()
    from playwright.sync_api import sync_playwright

    call_command("load_demo", stdout=io.StringIO())
    public, admin = page_types(), admin_pages()
    violations = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.add_init_script(WATCH)
            page = context.new_page()
            errors = []
            page.on(
                "pageerror", lambda error: errors.append(f"{page.url}: {error} {error.stack[:300]}")
            )

            def visit(name, url):
                page.goto(live_server.url + url)
                page.wait_for_load_state("networkidle")
                violations.extend(f"{name}: {v}" for v in page.evaluate("window.__csp"))

            for name, url in public.items():
                visit(name, url)

            page.goto(live_server.url + "/admin/login/")
            page.fill("#id_username", "editor")
            page.fill("#id_password", "read-all-about-it")
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/")
            for name, url in admin.items():
                visit(name, url)

            # The rich-text editor started (its module script and import map ran)...
            page.goto(live_server.url + admin["story-edit"])
            page.wait_for_selector(".ProseMirror", state="attached", timeout=10_000)
            assert page.locator(".ProseMirror").count() >= 1
            # ...and autocomplete (select2 + Django's admin JS) answers,
            page.click("#id_section + .select2 .select2-selection")
            page.wait_for_selector(".select2-results__option", timeout=10_000)
            page.keyboard.press("Escape")
            # ...including the tag picker, which can also make new tags.
            page.click("#id_tags + .select2 .select2-selection")
            page.keyboard.type("brand new tag")
            page.wait_for_selector(
                ".select2-results__option:has-text('brand new tag')", timeout=10_000
            )
            violations.extend(f"story-edit: {v}" for v in page.evaluate("window.__csp"))
        finally:
            browser.close()
    assert violations == []
    assert errors == []
