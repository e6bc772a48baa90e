"""A scheduled story appears on every public page at its time, with nothing
running: before, at and after ``publish_at``, with time frozen."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.articles.story_form import save_story
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 14, 0, tzinfo=datetime.UTC)
PUBLISH_AT = NOW + datetime.timedelta(hours=2)

# Every public place a story shows up, as (name, address for the story). Feeds and
# sitemaps join with one line each when they exist.
PLACES = [
    ("article page", lambda story: story.get_absolute_url()),
    ("home page", lambda story: "/"),
    ("section page", lambda story: story.section.get_absolute_url()),
    ("tag page", lambda story: "/tags/scheduled/"),
]


def shows(url, story) -> bool:
    response = Client().get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response.status_code == 200 and story.headline in response.content.decode()


@pytest.fixture
def scheduled(browser, desk_editor):
    """A story an editor scheduled through the admin for PUBLISH_AT."""
    with time_machine.travel(NOW, tick=False):
        story = ArticleFactory(
            status=Article.Status.DRAFT, publish_at=None, headline="Embargoed casting news"
        )
        story.tags.set(["scheduled"])
        ArticleFactory(section=story.section)  # something else on the pages already
        local = timezone.localtime(PUBLISH_AT)
        response = save_story(
            browser(desk_editor),
            story,
            status="published",
            publish_at_0=f"{local:%Y-%m-%d}",
            publish_at_1=f"{local:%H:%M:%S}",
            tags=[str(story.tags.get().pk)],
        )
        assert response.status_code == 302
    story.refresh_from_db()
    assert story.publish_at == PUBLISH_AT
    return story


@pytest.mark.parametrize(("place", "url"), PLACES)
@pytest.mark.parametrize(
    ("moment", "visible"),
    [
        (PUBLISH_AT - datetime.timedelta(minutes=1), False),
        (PUBLISH_AT - datetime.timedelta(seconds=1), False),
        (PUBLISH_AT, True),
        (PUBLISH_AT + datetime.timedelta(minutes=1), True),
    ],
    ids=["a minute before", "a second before", "at", "after"],
)
def test_scheduled_story_appears_exactly_at_its_time(scheduled, place, url, moment, visible):
    with time_machine.travel(moment, tick=False):
        assert shows(url(scheduled), scheduled) is visible, place
