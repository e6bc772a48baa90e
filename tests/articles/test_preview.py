"""Signed preview links: the public page for any draft, for whoever holds the
link, until it expires, the story goes or the link is altered."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import preview
from articles.models import Article
from tests.articles.story_form import change_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ArticleFactory(
        status=Article.Status.DRAFT,
        publish_at=None,
        headline="Secret finale twist",
        body="<p>Nobody knows yet.</p>",
    )


def share_link(client, article) -> str:
    """The link an editor copies from the story form."""
    html = client.get(change_url(article)).content.decode()
    match = re.search(r'id="share-link-url" type="text" readonly value="([^"]+)"', html)
    assert match, "no share link on the form"
    assert f'href="{match[1]}"' in html  # the Preview button opens the same page
    return match[1]


def assert_private(response):
    cache_control = {p.strip() for p in response["Cache-Control"].split(",")}
    assert {"private", "no-cache", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex"


def test_editor_shares_a_draft_that_anyone_with_the_link_sees(editor_client, draft):
    link = share_link(editor_client, draft)
    assert Client().get(draft.get_absolute_url()).status_code == 404  # not public
    response = Client().get(link)  # not logged in
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret finale twist" in html and "<p>Nobody knows yet.</p>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Preview" in html and "not published yet" in html
    assert_private(response)


def test_preview_uses_the_public_article_template(client, draft):
    response = client.get(reverse("articles:preview", args=[preview.make_token(draft)]))
    assert "articles/article_detail.html" in [t.name for t in response.templates]


def test_contributor_gets_a_share_link_for_their_own_draft(browser, contributor):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, owner=contributor)
    assert Client().get(share_link(browser(contributor), article)).status_code == 200


def test_link_expires_after_the_configured_age(settings, draft):
    settings.NEWSROOM_PREVIEW_MAX_AGE_HOURS = 48
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        url = reverse("articles:preview", args=[preview.make_token(draft)])
        traveller.shift(datetime.timedelta(hours=47, minutes=59))
        assert Client().get(url).status_code == 200
        traveller.shift(datetime.timedelta(minutes=2))
        response = Client().get(url)
    assert response.status_code == 410
    assert "This preview link has expired" in response.content.decode()
    assert_private(response)


def test_shorter_max_age_setting_is_honoured(settings, draft):
    settings.NEWSROOM_PREVIEW_MAX_AGE_HOURS = 1
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        url = reverse("articles:preview", args=[preview.make_token(draft)])
        traveller.shift(datetime.timedelta(minutes=61))
        assert Client().get(url).status_code == 410


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t.replace(t.split(":")[0], str(int(t.split(":")[0]) + 1), 1),  # other story
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature
        lambda t: t.split(":")[0],  # signature cut off
        lambda t: "not-a-token",
    ],
)
def test_tampered_links_are_a_clear_404(draft, tamper):
    ArticleFactory()  # the story next door exists, so swapping ids would find it
    response = Client().get(reverse("articles:preview", args=[tamper(preview.make_token(draft))]))
    assert response.status_code == 404
    assert "This preview link is not valid" in response.content.decode()
    assert "Nobody knows yet" not in response.content.decode()
    assert_private(response)


def test_link_dies_with_the_story(draft):
    url = reverse("articles:preview", args=[preview.make_token(draft)])
    draft.delete()
    response = Client().get(url)
    assert response.status_code == 410
    assert "This story no longer exists" in response.content.decode()


def test_preview_of_a_published_story_says_it_is_live(client):
    article = ArticleFactory()
    html = client.get(reverse("articles:preview", args=[preview.make_token(article)])).content
    assert b"this is the live story" in html
