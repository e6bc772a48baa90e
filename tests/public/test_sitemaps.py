"""Sitemaps and robots.txt, parsed as XML the way crawlers read them."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def locs(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return [el.text for el in ET.fromstring(response.content).iter(f"{SM}loc")]


def test_every_url_in_the_sitemaps_answers(demo, client):
    sections = locs(client, "/sitemap.xml")
    names = {urlsplit(url).path for url in sections}
    assert {"/sitemap-people.xml", "/sitemap-shows.xml", "/sitemap-sections.xml"} <= names
    assert {"/sitemap-tags.xml", "/sitemap-characters.xml", "/sitemap-authors.xml"} <= names
    months = [n for n in names if n.startswith("/sitemap-articles-")]
    assert months, "stories by month"
    seen = 0
    for sitemap in sections:
        for url in locs(client, urlsplit(sitemap).path):
            assert url.startswith("http://testserver/")
            assert client.get(urlsplit(url).path).status_code == 200, url
            seen += 1
    published = Article.objects.published().count()
    assert seen >= published + 13 + 9 + 11  # stories, people, shows, characters


def test_month_sitemaps_hold_that_months_stories_with_lastmod(client):
    tz = timezone.get_current_timezone()
    october = ArticleFactory(publish_at=datetime.datetime(2025, 10, 31, 23, 0, tzinfo=tz))
    november = ArticleFactory(publish_at=datetime.datetime(2025, 11, 1, 1, 0, tzinfo=tz))
    index = locs(client, "/sitemap.xml")
    assert "http://testserver/sitemap-articles-2025-10.xml" in index
    assert "http://testserver/sitemap-articles-2025-11.xml" in index
    oct_urls = locs(client, "/sitemap-articles-2025-10.xml")
    assert oct_urls == ["http://testserver" + october.get_absolute_url()]
    nov = ET.fromstring(client.get("/sitemap-articles-2025-11.xml").content)
    assert nov.find(f"{SM}url/{SM}lastmod").text.startswith("2025-11-01")
    assert [el.text for el in nov.iter(f"{SM}loc")] == [
        "http://testserver" + november.get_absolute_url()
    ]


def test_news_sitemap_lists_the_last_48_hours_in_google_news_format(client):
    fresh = ArticleFactory(
        headline="Fresh & new", publish_at=timezone.now() - datetime.timedelta(hours=5)
    )
    ArticleFactory(headline="Too old", publish_at=timezone.now() - datetime.timedelta(hours=49))
    ArticleFactory(headline="Not yet", publish_at=timezone.now() + datetime.timedelta(hours=1))
    root = ET.fromstring(client.get("/news-sitemap.xml").content)
    urls = root.findall(f"{SM}url")
    assert len(urls) == 1
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == "Fresh & new"
    assert news.findtext(f"{NEWS}publication/{NEWS}name")
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    published = datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert abs(published - fresh.publish_at) < datetime.timedelta(seconds=1)
