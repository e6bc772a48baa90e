"""Changing a published story's slug or date never breaks a link to it."""

import datetime

import pytest
from django.test import Client

from articles.models import Article, ArticleRedirect
from tests.articles.story_form import save_story
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime.datetime(2026, 11, 4, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def story():
    return ArticleFactory(slug="first-name", publish_at=PUBLISHED_AT)


def rename(client, article, **changes):
    article.refresh_from_db()
    response = save_story(client, article, **changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    return article


def test_two_renames_send_every_old_address_straight_to_the_current_one(
    browser, desk_editor, story
):
    client = browser(desk_editor)
    rename(client, story, slug="second-name")
    rename(client, story, slug="third-name")
    assert story.get_absolute_url() == "/2026/11/04/third-name/"
    for old in ("/2026/11/04/first-name/", "/2026/11/04/second-name/"):
        response = Client().get(old)
        assert response.status_code == 301, old
        assert response["Location"] == "/2026/11/04/third-name/"  # no chain
    assert Client().get("/2026/11/04/third-name/").status_code == 200


def test_a_new_date_and_slug_redirect_too_and_keep_the_query(browser, desk_editor, story):
    rename(
        browser(desk_editor),
        story,
        slug="moved-on",
        publish_at_0="2026-11-06",
        publish_at_1="08:00:00",
    )
    response = Client().get("/2026/11/04/first-name/?utm_source=feed")
    assert response.status_code == 301
    assert response["Location"] == "/2026/11/06/moved-on/?utm_source=feed"


def test_renaming_back_leaves_no_redirect_loop(browser, desk_editor, story):
    client = browser(desk_editor)
    rename(client, story, slug="detour")
    rename(client, story, slug="first-name")
    assert Client().get("/2026/11/04/first-name/").status_code == 200
    response = Client().get("/2026/11/04/detour/")
    assert (response.status_code, response["Location"]) == (301, "/2026/11/04/first-name/")


def test_a_draft_that_was_never_public_leaves_no_redirect(browser, desk_editor):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, slug="working-title")
    rename(browser(desk_editor), article, slug="final-title")
    assert not ArticleRedirect.objects.exists()


def test_old_address_of_an_unpublished_story_is_a_404(browser, desk_editor, story):
    client = browser(desk_editor)
    rename(client, story, slug="renamed")
    rename(client, story, status="unpublished")
    assert Client().get("/2026/11/04/first-name/").status_code == 404


def test_old_slug_cannot_go_to_another_story(browser, desk_editor, story):
    client = browser(desk_editor)
    rename(client, story, slug="renamed")
    other = ArticleFactory(headline="First name")  # would be first-name, which is taken
    assert other.slug == "first-name-2"
    response = save_story(client, other, slug="first-name")
    assert response.status_code == 200
    assert "used this address before" in response.content.decode()
    response = Client().get("/2026/11/04/first-name/")
    assert response["Location"] == "/2026/11/04/renamed/"
