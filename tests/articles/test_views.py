import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_article_page_shows_the_story(client):
    article = ArticleFactory(headline="A finale to remember", body="<p>It ended well.</p>")
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "A finale to remember" in page.content.decode()
    assert "<p>It ended well.</p>" in page.content.decode()


@pytest.mark.parametrize("status", ["draft", "review", "unpublished"])
def test_unpublished_stories_are_not_found(client, status):
    article = ArticleFactory()
    url = article.get_absolute_url()
    Article.objects.filter(pk=article.pk).update(status=status)
    assert client.get(url).status_code == 404


def test_scheduled_story_is_not_found_before_its_time(client):
    article = ArticleFactory(publish_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_wrong_date_in_the_address_redirects_to_the_real_one(client):
    article = ArticleFactory(slug="moved")
    response = client.get("/2001/01/01/moved/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_impossible_date_is_not_a_server_error(client):
    assert client.get("/2021/02/30/no-such-story/").status_code == 404


@pytest.mark.parametrize("page", ["abc", "99999", "0", "-1"])
def test_bad_page_numbers_are_404(client, page):
    article = ArticleFactory()
    assert client.get(article.section.get_absolute_url(), {"page": page}).status_code == 404
