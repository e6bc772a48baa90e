"""The public page cache: anonymous pages and feeds are served whole from the cache,
every change that shows on a page retires them, and editors never share them.

Each staleness test first proves the cache is really in use — a change written
behind the ORM's back (``QuerySet.update``, which sends no signal) is *not* seen
— so a test whose page came fresh anyway would fail.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles import freshness, preview, workflow
from articles.mentions.linking import link_article
from articles.models import Article, ContentVersion, Correction
from people.models import Person
from tests.factories import ArticleFactory, AuthorFactory, PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db

HIT = "X-Page-Cache"


@pytest.fixture
def story():
    section = SectionFactory(name="Television", slug="tv")
    story = ArticleFactory(
        headline="Harbor Lights renewed",
        slug="harbor-lights-renewed",
        section=section,
        body="<p>Zoe Marchetti returns as the harbourmaster.</p>",
        authors=[AuthorFactory(name="Dana Whitcombe", slug="dana-whitcombe")],
    )
    story.tags.add("renewals")
    return story


def pages(story):
    return [
        story.get_absolute_url(),
        "/",
        "/feed/",
        "/section/tv/",
        "/section/tv/feed/atom/",
        "/tags/renewals/",
        "/authors/dana-whitcombe/",
    ]


def warm(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url)[HIT] == "hit", url


def text(response) -> str:
    return response.content.decode()


def behind_the_back(story, headline):
    """A change no signal hears: the cache must not notice it."""
    Article.objects.filter(pk=story.pk).update(headline=headline)


def test_anonymous_pages_and_feeds_are_served_from_the_cache(client, story):
    for url in pages(story):
        first = client.get(url)
        assert first[HIT] == "miss", url
        second = client.get(url)
        assert second[HIT] == "hit", url
        assert second.content == first.content
        assert second["ETag"] == first["ETag"]
        assert second["Content-Type"] == first["Content-Type"]
        # Security headers come from the middleware above the cache, every time.
        assert second["X-Content-Type-Options"] == "nosniff"
    behind_the_back(story, "Changed where no signal hears")
    assert "Harbor Lights renewed" in text(client.get(story.get_absolute_url()))


def test_cache_headers_for_a_cdn_and_conditional_requests(client, story):
    for url in [story.get_absolute_url(), "/", "/feed/"]:
        response = client.get(url)
        control = response["Cache-Control"]
        assert "public" in control
        assert "s-maxage=5" in control
        assert "stale-while-revalidate=30" in control
        assert "Cookie" in response["Vary"]
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"]
        for cached in (False, True):
            again = client.get(url, headers={"if-none-match": response["ETag"]})
            assert again.status_code == 304, (url, cached)
            assert again["ETag"] == response["ETag"]
            assert not again.content
        since = client.get(url, headers={"if-modified-since": response["Last-Modified"]})
        assert since.status_code == 304
        stale = client.get(url, headers={"if-none-match": '"something-else"'})
        assert stale.status_code == 200
    # Pages: browsers ask again each time; feeds keep their reader-friendly max-age.
    assert "max-age=0" in client.get("/")["Cache-Control"]
    assert "max-age=300" in client.get("/feed/")["Cache-Control"]


def test_page_etag_changes_when_the_page_does(client, story):
    url = story.get_absolute_url()
    before = client.get(url)["ETag"]
    story.headline = "Harbor Lights renewed for two seasons"
    story.save()
    response = client.get(url, headers={"if-none-match": before})
    assert response.status_code == 200
    assert response["ETag"] != before
    assert "two seasons" in text(response)


# Each change returns the words it puts on pages and which of the warmed pages
# show them; every warmed page must be rendered afresh after it.
STORY, HOME, FEED, SECTION_FEED = "story", "home", "feed", "section feed"


def edit_headline(story, editor):
    story.refresh_from_db()
    story.headline = "Harbor Lights renewed (updated)"
    story.save()
    return "Harbor Lights renewed (updated)", {STORY, HOME, FEED, SECTION_FEED}


def unpublish(story, editor):
    workflow.unpublish(story, editor)
    return "Harbor Lights renewed", set()


def correction(story, editor):
    Correction.objects.create(article=story, note="The renewal is for two seasons, not one.")
    return "not one.", {STORY}


def rename_section(story, editor):
    story.section.name = "Telly"
    story.section.save()
    return "Telly", {STORY, HOME, SECTION_FEED}


def rename_author(story, editor):
    author = story.authors.get()
    author.name = "Dana Whitcombe-Ruiz"
    author.save()
    return "Dana Whitcombe-Ruiz", {STORY, HOME, FEED, SECTION_FEED}


def new_tag(story, editor):
    story.tags.add("soaps-and-sagas")
    return "soaps-and-sagas", {STORY, FEED, SECTION_FEED}


@pytest.mark.parametrize(
    "change", [edit_headline, unpublish, correction, rename_section, rename_author, new_tag]
)
def test_every_change_retires_the_cached_pages(client, editor, story, change):
    urls = {
        STORY: story.get_absolute_url(),
        HOME: "/",
        FEED: "/feed/",
        SECTION_FEED: "/section/tv/feed/atom/",
    }
    warm(client, urls.values())
    words, shown_on = change(story, editor)
    for name, url in urls.items():
        response = client.get(url)
        if name == STORY and change is unpublish:
            assert response.status_code == 404
            continue
        assert response[HIT] == "miss", (change.__name__, name)
        assert (words in text(response)) is (name in shown_on), (change.__name__, name)


def test_publishing_a_draft_retires_the_cached_pages(client, editor, story):
    draft = ArticleFactory(
        headline="Surprise wedding on Harbor Lights",
        status=Article.Status.DRAFT,
        publish_at=None,
        section=story.section,
    )
    warm(client, ["/", "/feed/", "/section/tv/"])
    workflow.publish(draft, editor)
    for url in ["/", "/feed/", "/section/tv/"]:
        assert "Surprise wedding" in text(client.get(url)), url


def test_saving_a_never_published_draft_keeps_the_cache(client, story):
    draft = ArticleFactory(headline="Secret", status=Article.Status.DRAFT, publish_at=None)
    warm(client, ["/"])
    before = ContentVersion.objects.get().token
    draft.headline = "Still secret"
    draft.save()
    assert ContentVersion.objects.get().token == before
    assert client.get("/")[HIT] == "hit"


def test_a_talent_edit_retires_the_story_and_entity_pages(client, story):
    person = PersonFactory(name="Zoe Marchetti", slug="zoe-marchetti")
    story.people.add(person)
    urls = [story.get_absolute_url(), "/people/zoe-marchetti/", "/people/zoe-marchetti/feed/"]
    warm(client, urls)
    person.name = "Zoë Marchetti"
    person.save()
    for url in urls:
        assert "Zoë Marchetti" in text(client.get(url)), url


def test_a_new_mention_link_retires_the_story_page(client, story):
    PersonFactory(name="Zoe Marchetti", slug="zoe-marchetti")
    url = story.get_absolute_url()
    warm(client, [url])
    assert 'href="/people/zoe-marchetti/"' not in text(client.get(url))
    report = link_article(Article.objects.get(pk=story.pk))
    assert report.added == 1
    assert 'href="/people/zoe-marchetti/"' in text(client.get(url))


def test_a_scheduled_story_appears_at_its_time_with_nothing_written(client, story):
    due = timezone.now() + datetime.timedelta(minutes=10)
    ArticleFactory(headline="Cast exit confirmed", publish_at=due, section=story.section)
    urls = ["/", "/feed/", "/section/tv/"]
    with time_machine.travel(due - datetime.timedelta(seconds=30), tick=False):
        warm(client, urls)
        for url in urls:
            assert "Cast exit confirmed" not in text(client.get(url)), url
    version = ContentVersion.objects.get().token
    with time_machine.travel(due + datetime.timedelta(seconds=1), tick=False):
        for url in urls:
            assert "Cast exit confirmed" in text(client.get(url)), url
    assert ContentVersion.objects.get().token == version  # Nothing was written.


def test_a_version_written_by_another_server_is_seen_after_the_check_interval(
    client, story, settings
):
    url = story.get_absolute_url()
    warm(client, [url])
    behind_the_back(story, "Written on another server")
    # The other server's commit renews the token; this process has not heard of it.
    ContentVersion.objects.filter(pk=1).update(token="from-another-server")
    assert client.get(url)[HIT] == "hit"  # Within the check interval: still the old one.
    settings.NEWSROOM_CACHE_CHECK_SECONDS = 0
    assert "Written on another server" in text(client.get(url))


def test_logged_in_readers_never_get_cached_pages(client, editor, story):
    url = story.get_absolute_url()
    warm(client, [url, "/"])
    behind_the_back(story, "Fresh for editors")
    editor_client = Client()
    editor_client.force_login(editor)
    for page in (url, "/"):
        response = editor_client.get(page)
        assert HIT not in response
        assert "Fresh for editors" in text(response)
        assert "private" in response["Cache-Control"]
        assert "no-cache" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
    # And the anonymous copy is still the cached one.
    assert "Fresh for editors" not in text(client.get(url))


def test_logged_in_readers_never_fill_the_cache(client, editor, story):
    url = story.get_absolute_url()
    editor_client = Client()
    editor_client.force_login(editor)
    assert editor_client.get(url).status_code == 200
    behind_the_back(story, "Seen first by a reader")
    response = client.get(url)
    assert response[HIT] == "miss"
    assert "Seen first by a reader" in text(response)


def test_admin_and_previews_are_never_cached(client, editor_client, story):
    for _ in range(2):
        admin = editor_client.get("/admin/articles/article/")
        assert admin.status_code == 200
        assert HIT not in admin
    draft = ArticleFactory(headline="Preview me", status=Article.Status.DRAFT, publish_at=None)
    url = f"/preview/{preview.make_token(draft)}/"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert HIT not in response
        assert "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_bad_pages_are_not_cached_and_never_500(client, story):
    for url in ["/section/tv/?page=abc", "/section/tv/?page=99999", "/section/nope/"]:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 404, url
            assert HIT not in response


def test_the_cache_can_be_turned_off_and_headers_stay(client, story, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    url = story.get_absolute_url()
    for _ in range(2):
        response = client.get(url)
        assert HIT not in response
        assert "s-maxage=5" in response["Cache-Control"]
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_bulk_jobs_bump_once(story):
    before = ContentVersion.objects.get().token
    with freshness.muted():
        Person.objects.create(name="Quiet Person")
        assert ContentVersion.objects.get().token == before
    freshness.bump()
    assert ContentVersion.objects.get().token != before


def test_a_cached_page_costs_at_most_the_version_query(client, story, django_assert_num_queries):
    urls = [story.get_absolute_url(), "/", "/feed/"]
    warm(client, urls)
    for url in urls:
        freshness.forget()
        with django_assert_num_queries(1):
            assert client.get(url)[HIT] == "hit"
        with django_assert_num_queries(0):
            assert client.get(url)[HIT] == "hit"


def test_a_deploy_retires_the_cached_pages(client, story):
    from django.core.management import call_command

    warm(client, ["/"])
    before = ContentVersion.objects.get().token
    call_command("migrate", verbosity=0)  # every deploy runs it
    assert ContentVersion.objects.get().token != before
    assert client.get("/")[HIT] == "miss"


def test_a_process_keeps_its_own_copy_in_front_of_a_shared_cache(client, story, settings):
    """With Redis, each process keeps the pages it served in its own memory too;
    the versioned keys make that copy unusable the moment anything changes."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-shared",
        },
        "pages-local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-local",
        },
    }
    url = story.get_absolute_url()
    warm(client, [url])
    caches["pages-local"].clear()
    assert client.get(url)[HIT] == "hit"  # from the shared cache, copied back locally
    caches["default"].clear()
    assert client.get(url)[HIT] == "hit"  # from this process's copy
    story.headline = "Renewed, and the shared cache was flushed"
    story.save()
    response = client.get(url)
    assert response[HIT] == "miss"
    assert "the shared cache was flushed" in text(response)
