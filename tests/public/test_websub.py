"""WebSub: publishing pings a hub — here a real HTTP server on 127.0.0.1 that
the test starts and stops."""

import datetime
import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.tasks import default_task_backend
from django.utils import timezone

from articles.models import Article, Correction
from tests.factories import ArticleFactory, PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db


class Hub:
    """A tiny hub: records each publish ping and answers with scripted statuses."""

    def __init__(self, statuses=()):
        self.pings, self.statuses = [], list(statuses)
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                hub.pings.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
                self.send_response(hub.statuses.pop(0) if hub.statuses else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hub"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub(settings):
    with Hub() as running:
        settings.NEWSROOM_WEBSUB_HUB = running.url
        settings.NEWSROOM_SITE_URL = "https://news.example.com"
        yield running


def websub_callbacks(callbacks):
    """The hub pings among a save's on-commit callbacks (mention detection adds its own)."""
    return [c for c in callbacks if c.__module__ == "articles.websub"]


def test_publishing_pings_the_hub_after_commit_with_every_feed(
    hub, django_capture_on_commit_callbacks
):
    section = SectionFactory(slug="tv")
    person = PersonFactory(slug="ruth")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story = ArticleFactory(section=section)
        story.people.add(person)
        story.tags.add("soaps")
    # Nothing reaches the hub while the editor's save is in its transaction.
    pings = websub_callbacks(callbacks)
    assert hub.pings == [] and len(pings) == 1
    pings[0]()
    assert len(hub.pings) == 1
    ping = hub.pings[0]
    assert ping["hub.mode"] == ["publish"]
    topics = set(ping["hub.url"])
    base = "https://news.example.com"
    for path in ("/feed/", "/section/tv/", "/people/ruth/", "/tags/soaps/"):
        for suffix in ("", "atom/", "json/"):
            assert f"{base}{path}{'feed/' if path != '/feed/' else ''}{suffix}" in topics


def test_drafts_ping_nothing(hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    assert hub.pings == []


def test_unpublishing_and_corrections_ping_the_hub(hub, django_capture_on_commit_callbacks):
    story = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        Correction.objects.create(article=story, note="Fixed a name.")
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.UNPUBLISHED
        story.save()
    assert len(hub.pings) == 2


def test_no_hub_configured_means_no_task(settings, django_capture_on_commit_callbacks):
    settings.NEWSROOM_WEBSUB_HUB = ""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ArticleFactory()
    assert websub_callbacks(callbacks) == []


def test_failures_are_logged_and_retried_at_once_on_the_immediate_backend(
    settings, django_capture_on_commit_callbacks, caplog
):
    with Hub(statuses=[500, 503]) as hub:
        settings.NEWSROOM_WEBSUB_HUB = hub.url
        settings.NEWSROOM_SITE_URL = "https://news.example.com"
        with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
            story = ArticleFactory()
    assert len(hub.pings) == 3  # two failures, then success
    warnings = [r for r in caplog.records if "WebSub ping" in r.getMessage()]
    assert len(warnings) == 2 and f"story {story.pk}" in warnings[0].getMessage()


def test_a_hub_that_keeps_failing_is_given_up_on_and_the_save_still_stands(
    settings, django_capture_on_commit_callbacks, caplog
):
    with Hub(statuses=[500] * 5) as hub:
        settings.NEWSROOM_WEBSUB_HUB = hub.url
        settings.NEWSROOM_SITE_URL = "https://news.example.com"
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            story = ArticleFactory(headline="Saved anyway")
    assert len(hub.pings) == settings.NEWSROOM_WEBSUB_ATTEMPTS
    assert any("giving up" in r.getMessage() for r in caplog.records)
    assert Article.objects.get(pk=story.pk).headline == "Saved anyway"


@pytest.fixture
def queue(settings):
    """A backend that stores tasks instead of running them, and can defer."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def test_on_a_queue_failures_are_retried_later_with_backoff(settings, queue):
    from articles.tasks import ping_hub

    with Hub(statuses=[500]) as hub:
        settings.NEWSROOM_WEBSUB_HUB = hub.url
        settings.NEWSROOM_SITE_URL = "https://news.example.com"
        story = ArticleFactory()
        queue.clear()
        before = timezone.now()
        assert ping_hub.call(story.pk) == 0
    assert len(hub.pings) == 1
    (retry,) = queue.results
    assert retry.args == [story.pk, 2]
    assert retry.task.run_after >= before + datetime.timedelta(minutes=1)


def test_on_a_queue_a_scheduled_story_is_pinged_at_its_time(
    settings, queue, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_WEBSUB_HUB = "http://127.0.0.1:9/never-called"
    settings.NEWSROOM_SITE_URL = "https://news.example.com"
    when = timezone.now() + datetime.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(publish_at=when)
    (task,) = queue.results
    assert task.args == [story.pk] and task.task.run_after == when
