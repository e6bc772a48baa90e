"""Every XSS vector in every editable text field, through the admin and the
importers; then every page, feed, JSON-LD block and sitemap that shows them must
contain nothing executable — checked in the HTML and in Chromium."""

import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Section
from people.models import Character, Person
from shows.models import Show
from tests.admin_forms import post_admin_form
from tests.e2e.tools import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.security.inert import feed_problems, html_problems
from tests.security.vectors import VECTORS

pytestmark = pytest.mark.django_db

FEED_SUFFIXES = ("feed/", "feed/atom/", "feed/json/")


# NUL characters are refused before they are stored (test below), so the rest
# of the corpus is what reaches the pages.
STORABLE = [vector for vector in VECTORS if "\x00" not in vector]


def v(i: int) -> str:
    return STORABLE[i % len(STORABLE)]


def clip(text: str, limit: int) -> str:
    # Vectors go in whole where the field allows; long fields keep the whole thing.
    return text[:limit]


@pytest.fixture
def hostile(db, tmp_path, django_capture_on_commit_callbacks):
    """The talent database, sections, authors and stories, every text field of each
    carrying a vector, entered the way editors and importers enter them."""
    admin = Client(enforce_csrf_checks=True)
    admin.force_login(_editor())
    section = Section.objects.create(name="Hostile", slug="hostile")
    for i, vector in enumerate(STORABLE):
        with django_capture_on_commit_callbacks(execute=True):
            show_form = post_admin_form(
                admin,
                reverse("admin:shows_show_add"),
                {
                    "title": clip(f"Show {i} {vector}", 200),
                    "slug": "",
                    "kind": "series",
                    "network": clip(v(i + 1), 120),
                    "synopsis": v(i + 2),
                    "aliases": v(i + 3),
                    "sort_title": "",
                },
            )
            assert show_form.status_code == 302, (i, show_form.status_code)
            show = Show.objects.latest("pk")
            person_form = post_admin_form(
                admin,
                reverse("admin:people_person_add"),
                {
                    "name": clip(f"Person {i} {vector}", 200),
                    "slug": "",
                    "bio": v(i + 4),
                    "aliases": v(i + 5),
                    "sort_name": "",
                },
            )
            assert person_form.status_code == 302, (i, person_form.status_code)
            person = Person.objects.latest("pk")
            character = Character.objects.create(
                name=clip(f"Character {i} {v(i + 6)}", 200), show=show, description=v(i + 7)
            )
            author = Author.objects.create(name=clip(f"Writer {i} {v(i + 8)}", 120), bio=v(i + 9))
            story = post_admin_form(
                admin,
                reverse("admin:articles_article_add"),
                {
                    "headline": clip(f"Story {i} {vector}", 250),
                    "slug": "",
                    "dek": clip(v(i + 10), 400),
                    "body": f"<p>{v(i + 11)}</p>{v(i + 12)}<p>Person {i}</p>",
                    "status": "published",
                    "publish_at_0": "2026-11-01",
                    "publish_at_1": "09:00:00",
                    "section": str(section.pk),
                    "tags": [f"new:{clip(v(i + 13), 90)}"],
                    "seo_title": clip(v(i + 14), 70),
                    "seo_description": clip(v(i + 15), 160),
                },
                inlines={
                    "bylines": [{"author": str(author.pk), "position": "0"}],
                    "articleperson_set": [{"person": str(person.pk)}],
                    "articlecharacter_set": [{"character": str(character.pk)}],
                    "articleshow_set": [{"show": str(show.pk)}],
                    "corrections": [
                        {
                            "kind": "correction",
                            "significant": "on",
                            "note": v(i + 16),
                            "published_at_0": "2026-11-02",
                            "published_at_1": "10:00:00",
                        }
                    ],
                },
            )
            assert story.status_code == 302, (i, _errors(story))

    # And through the importers.
    talent = {
        "people": [{"name": f"Imported {i} {vec}"[:200], "bio": vec, "aliases": [vec]}
                   for i, vec in enumerate(STORABLE)][:30],
        "shows": [{"title": f"Imported show {i} {vec}"[:200], "synopsis": vec}
                  for i, vec in enumerate(STORABLE)][:30],
    }  # fmt: skip
    path = tmp_path / "talent.json"
    path.write_text(json.dumps(talent))
    call_command("import_entities", str(path), stdout=io.StringIO())
    stories = tmp_path / "stories"
    stories.mkdir()
    for i, vec in enumerate(STORABLE):
        if "\n" not in vec:
            (stories / f"{i:03}.txt").write_text(
                f" date 2026-10-{1 + i % 28:02} Wire {i} {vec}\n\n{vec}\n\nImported {i}\n"
            )
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_articles",
            str(stories),
            "--status",
            "published",
            "--section",
            "hostile",
            stdout=io.StringIO(),
        )
    return section


def _editor():
    from tests.factories import UserFactory

    return UserFactory(username="xss-editor", is_staff=True, is_superuser=True)


def _errors(response):
    if response.status_code != 200 or not response.context:
        return response.status_code
    errors = [str(response.context["adminform"].form.errors)]
    for formset in response.context.get("inline_admin_formsets", []):
        errors.append(str(formset.formset.errors))
    return errors


def public_urls() -> list[str]:
    urls = ["/", "/people/", "/shows/", "/search/?q=Story", reverse("robots")]
    for model in (Article, Person, Character, Show, Author, Section):
        manager = model.objects.published() if model is Article else model.objects.all()
        for obj in manager:
            urls.append(obj.get_absolute_url())
    urls += [f"/tags/{slug}/" for slug in Article.tags.most_common().values_list("slug", flat=True)]
    urls += [f"/search/?q={vector}" for vector in STORABLE]
    urls.append("/archive/2026/11/")
    return urls


def feed_urls() -> list[str]:
    bases = ["/"] + [
        obj.get_absolute_url()
        for model in (Person, Character, Show, Author, Section)
        for obj in model.objects.all()[:40]
    ]
    return [base + suffix for base in bases for suffix in FEED_SUFFIXES]


def test_nothing_executable_in_pages_feeds_json_ld_or_sitemaps(hostile, client):
    # Everything went in (a NUL is the one thing refused: see the next test).
    assert Article.objects.published().count() == 2 * len(STORABLE)
    assert Person.objects.count() == len(STORABLE) + 30
    problems = []
    for url in public_urls():
        response = client.get(url)
        assert response.status_code in (200, 301, 302), (url, response.status_code)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        problems += [f"{url}: {p}" for p in html_problems(html)]
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            json.loads(block)
            assert "</" not in block and "<!--" not in block, url
    for url in feed_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        found = feed_problems(response.content, response["Content-Type"])
        problems += [f"{url}: {p}" for p in found]
    index = client.get(reverse("sitemap-index"))
    locations = [
        e.text for e in ElementTree.fromstring(index.content).iter() if e.tag.endswith("loc")
    ]
    for location in [*locations, reverse("news-sitemap")]:
        response = client.get(location.replace("http://testserver", ""))
        assert response.status_code == 200, location
        ElementTree.fromstring(response.content)  # well-formed: nothing broke out
    assert problems == []


def test_control_characters_never_reach_feeds(hostile, client):
    story = Article.objects.get(headline__startswith="Story 4 ")
    assert "\x0c" not in story.headline  # stripped on save
    # Legacy data, written around save(); made the newest story so the site feed has it.
    Article.objects.filter(pk=story.pk).update(
        headline="Old\x0bstory\x1f", publish_at=timezone.now()
    )
    for suffix in FEED_SUFFIXES:
        response = client.get("/" + suffix)
        assert response.status_code == 200
        assert b"Oldstory" in response.content


def test_null_bytes_are_refused_with_a_message(editor_client, tmp_path):
    response = post_admin_form(
        editor_client, reverse("admin:people_person_add"), {"name": "Bad\x00Name", "slug": ""}
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    story = tmp_path / "nul.txt"
    story.write_bytes(b" date 2026-01-01 Head\x00line\n\nBody.\n")
    err = io.StringIO()
    with pytest.raises(Exception, match="1 input refused"):
        call_command("import_articles", str(story), stdout=io.StringIO(), stderr=err)
    assert "NUL" in err.getvalue()
    talent = tmp_path / "nul.json"
    talent.write_text(json.dumps({"people": [{"name": "Bad\u0000Name"}]}))
    err = io.StringIO()
    with pytest.raises(Exception, match="refused"):
        call_command("import_entities", str(talent), stdout=io.StringIO(), stderr=err)
    assert "NUL" in err.getvalue()
    assert not Person.objects.exists() and not Article.objects.exists()


@pytest.mark.browser
def test_no_vector_runs_in_a_browser(hostile, live_server):
    """Chromium with the CSP switched off, so this proves the escaping and
    sanitising alone: no dialog opens and no vector sets window.__xss."""
    require_browser()
    from playwright.sync_api import sync_playwright

    urls = [u for u in public_urls() if not u.startswith("/search/?q=") or "alert(1" in u]
    fired = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(bypass_csp=True, java_script_enabled=True)
            page = context.new_page()
            page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
            for url in urls:
                page.goto(live_server.url + url)
                page.wait_for_load_state("load")
                if page.evaluate("() => window.__xss !== undefined"):
                    fired.append(f"window.__xss set on {url}")
        finally:
            browser.close()
    assert fired == []
