"""Every public page type, as a reader meets it."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article, Correction
from people.models import Character, Person
from shows.models import Show
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CharacterFactory,
    CreditFactory,
    PersonFactory,
    SectionFactory,
    ShowFactory,
)
from tests.pages import page_types, parse

pytestmark = pytest.mark.django_db


def test_every_page_type_answers_with_demo_data(demo, client):
    for name, url in page_types().items():
        response = client.get(url)
        expected = 404 if name == "not-found" else 200
        assert response.status_code == expected, (name, url)
        page = parse(response)
        assert page.h1 == 1, f"{name} should have exactly one h1"
        if expected == 200:
            assert page.meta["og:url"].startswith("http://testserver/")
            canonical = [link for link in page.links if link.get("rel") == "canonical"]
            assert len(canonical) == 1 and canonical[0]["href"] == page.meta["og:url"]


def test_a_reader_can_walk_from_home_to_every_kind_of_page_and_back(demo, client):
    home = client.get("/").content.decode()
    story_url = re.search(r'href="(/\d{4}/\d{2}/\d{2}/[^"]+/)"', home).group(1)
    story = client.get(story_url).content.decode()
    for prefix in ("/people/", "/characters/", "/shows/", "/tags/", "/authors/", "/section/"):
        link = re.search(rf'href="({prefix}[a-z0-9-]+/)"', story)
        assert link, f"story links to no {prefix} page"
        page = client.get(link.group(1))
        assert page.status_code == 200
        assert 'href="/"' in page.content.decode()


def test_every_page_advertises_its_own_feeds(demo, client):
    expectations = {
        "/": ["/feed/"],
        "/section/tv/": ["/section/tv/feed/", "/section/tv/feed/atom/", "/section/tv/feed/json/"],
        "/tags/soaps/": ["/tags/soaps/feed/"],
        "/authors/dana-whitcombe/": ["/authors/dana-whitcombe/feed/json/"],
        "/people/ruth-abernathy/": ["/people/ruth-abernathy/feed/atom/"],
        "/characters/caleb-marsh/": ["/characters/caleb-marsh/feed/"],
        "/shows/harbor-lights/": ["/shows/harbor-lights/feed/json/"],
    }
    for url, feeds in expectations.items():
        alternates = {
            link["href"]: link["type"]
            for link in parse(client.get(url)).links
            if link.get("rel") == "alternate"
        }
        assert alternates["/feed/"] == "application/rss+xml"
        assert alternates["/feed/json/"] == "application/feed+json"
        for feed in feeds:
            assert feed in alternates, (url, feed)
            assert client.get(feed).status_code == 200


def test_article_page_shows_everything_a_reader_needs(client):
    tz = timezone.get_current_timezone()
    dana, tomas = AuthorFactory(name="Dana Whitcombe"), AuthorFactory(name="Tomás Echeverría")
    show = ShowFactory(title="Harbor Lights")
    person = PersonFactory(name="Ruth Abernathy")
    character = CharacterFactory(name="Delphine Marsh", show=show)
    article = ArticleFactory(
        headline="Delphine at 40",
        dek="The matriarch looks back.",
        publish_at=datetime.datetime(2026, 3, 1, 9, 30, tzinfo=tz),
        authors=[dana, tomas],
    )
    article.people.add(person)
    article.characters.add(character)
    article.shows.add(show)
    article.tags.add("soaps")
    Correction.objects.create(
        article=article,
        note="An earlier version misspelled Abernathy.",
        published_at=datetime.datetime(2026, 3, 2, 10, 0, tzinfo=tz),
    )
    same_show = ArticleFactory(headline="Another Harbor Lights story")
    same_show.shows.add(show)
    same_tag = ArticleFactory(headline="Soaps roundup")
    same_tag.tags.add("soaps")
    unrelated = ArticleFactory(headline="Nothing in common")

    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "Delphine at 40" in html and "The matriarch looks back." in html
    assert f'href="{dana.get_absolute_url()}"' in html
    assert f'href="{tomas.get_absolute_url()}"' in html
    assert "March 1, 2026 at 9:30 AM EST" in html
    assert "Updated" in html and "March 2, 2026 at 10:00 AM EST" in html
    assert "An earlier version misspelled Abernathy." in html
    for record in (person, character, show):
        assert f'href="{record.get_absolute_url()}"' in html
    assert 'href="/tags/soaps/"' in html
    related = html.split('id="related-heading"')[1]
    assert related.index("Another Harbor Lights story") < related.index("Soaps roundup")
    assert "Nothing in common" not in related
    assert unrelated.headline not in related

    ld = parse(response).json_ld[0]
    assert ld["@type"] == "NewsArticle"
    assert [a["name"] for a in ld["author"]] == ["Dana Whitcombe", "Tomás Echeverría"]
    assert ld["datePublished"].startswith("2026-03-01T")
    assert ld["dateModified"].startswith("2026-03-02T")
    assert ld["publisher"]["@type"] == "NewsMediaOrganization"
    assert ld["correction"][0]["text"].endswith("misspelled Abernathy.")
    meta = parse(response).meta
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Delphine at 40"
    assert meta["description"] == "The matriarch looks back."


def test_hand_picked_related_stories_come_first(client):
    article = ArticleFactory()
    picked = ArticleFactory(headline="Chosen by an editor")
    shared = ArticleFactory(headline="Shares a tag")
    article.tags.add("ratings")
    shared.tags.add("ratings")
    article.related.add(picked)
    html = client.get(article.get_absolute_url()).content.decode()
    related = html.split('id="related-heading"')[1]
    assert related.index("Chosen by an editor") < related.index("Shares a tag")


def test_update_time_is_shown_only_when_significant(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Updated" not in html
    Correction.objects.create(article=article, note="Typo.", significant=False)
    assert "Updated" not in client.get(article.get_absolute_url()).content.decode()


def test_json_ld_cannot_break_out_of_its_script_element(client):
    article = ArticleFactory(headline="</script><script>alert(1)</script> & more")
    html = client.get(article.get_absolute_url()).content.decode()
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block and ">" not in block
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script> & more"


def test_person_page_has_bio_roles_filmography_and_stories(client):
    person = PersonFactory(name="Niamh O'Dowd", bio="Irish actor.", imdb_id="nm1234567")
    soap = ShowFactory(title="Harbor Lights", kind=Show.Kind.SOAP)
    lucy = CharacterFactory(name="Lucy Fairweather", show=soap)
    CreditFactory(person=person, show=soap, character=lucy, start_year=2015, end_year=2026)
    CreditFactory(person=person, show=ShowFactory(title="Ashcombe"), role="producer")
    story = ArticleFactory(headline="O'Dowd talks weddings")
    story.people.add(person)
    response = client.get(person.get_absolute_url())
    html = response.content.decode()
    assert "Irish actor." in html
    roles = html.split('id="roles-heading"')[1].split("</table>")[0]
    assert "Lucy Fairweather" in roles and "Harbor Lights" in roles and "2015–2026" in roles
    filmography = html.split('id="filmography-heading"')[1]
    assert "Ashcombe" in filmography and "Producer" in filmography
    assert "O&#x27;Dowd talks weddings" in html
    ld = parse(response).json_ld[0]
    assert ld["mainEntity"]["@type"] == "Person"
    assert ld["mainEntity"]["sameAs"] == ["https://www.imdb.com/name/nm1234567/"]


def test_character_page_lists_every_performer_with_years(client):
    show = ShowFactory(title="Harbor Lights")
    caleb = CharacterFactory(name="Caleb Marsh", show=show)
    first = PersonFactory(name="Gideon Ashby")
    second = PersonFactory(name="Julian Arceneaux")
    CreditFactory(person=first, show=show, character=caleb, start_year=2011, end_year=2026)
    CreditFactory(person=second, show=show, character=caleb, start_year=2026)
    html = client.get(caleb.get_absolute_url()).content.decode()
    played = html.split('id="played-heading"')[1]
    assert played.index("Gideon Ashby") < played.index("Julian Arceneaux")
    assert "2011–2026" in played and "2026" in played
    assert 'href="/shows/harbor-lights/"' in html


def test_show_page_has_cast_as_characters_and_json_ld(client):
    film = ShowFactory(title="Salt and Saffron", kind=Show.Kind.FILM, network="Lumora")
    odile = CharacterFactory(name="Odile Ferrand", show=film)
    CreditFactory(person=PersonFactory(name="Renée Castellanos"), show=film, character=odile)
    response = client.get(film.get_absolute_url())
    html = response.content.decode()
    cast = html.split('id="cast-heading"')[1].split("</table>")[0]
    assert "Renée Castellanos" in cast and "Odile Ferrand" in cast
    assert "Lumora" in html and "Film" in html
    ld = parse(response).json_ld[0]
    assert ld["@type"] == "Movie" and ld["actor"][0]["name"] == "Renée Castellanos"
    series = ShowFactory(kind=Show.Kind.SERIES)
    assert parse(client.get(series.get_absolute_url())).json_ld[0]["@type"] == "TVSeries"


def test_az_indexes_filter_by_letter(client):
    PersonFactory(name="Ruth Abernathy")
    PersonFactory(name="Zoë Marchetti")
    html = client.get("/people/", {"letter": "m"}).content.decode()
    assert "Zoë Marchetti" in html and "Ruth Abernathy" not in html
    ShowFactory(title="The Ashcombe Inheritance")
    html = client.get("/shows/", {"letter": "a"}).content.decode()
    assert "The Ashcombe Inheritance" in html
    assert client.get("/people/", {"letter": "é"}).status_code == 404
    assert client.get("/shows/", {"letter": "zz"}).status_code == 404


def test_month_archive_lists_that_month_in_the_newsroom_time_zone(client):
    tz = timezone.get_current_timezone()
    # 11:30 PM on Oct 31 in New York is Nov 1 in UTC: it belongs to October here.
    late = ArticleFactory(
        headline="Halloween night", publish_at=datetime.datetime(2025, 10, 31, 23, 30, tzinfo=tz)
    )
    november = ArticleFactory(
        headline="November story", publish_at=datetime.datetime(2025, 11, 2, 8, 0, tzinfo=tz)
    )
    october = client.get("/archive/2025/10/").content.decode()
    assert late.headline in october and november.headline not in october
    nov = client.get("/archive/2025/11/").content.decode()
    assert november.headline in nov and 'href="/archive/2025/10/"' in nov


def test_search_finds_published_headlines_and_standfirsts(client):
    ArticleFactory(headline="Harbor Lights recasts Caleb")
    ArticleFactory(headline="Other", dek="A Harbor Lights special")
    ArticleFactory(headline="Harbor Lights draft", status=Article.Status.DRAFT, publish_at=None)
    html = client.get("/search/", {"q": "harbor lights"}).content.decode()
    html = html.replace("<mark>", "").replace("</mark>", "")  # the words found are marked
    assert "Harbor Lights recasts Caleb" in html and "A Harbor Lights special" in html
    assert "Harbor Lights draft" not in html
    assert 'name="robots" content="noindex"' in html
    assert client.get("/search/").status_code == 200
    assert client.get("/search/", {"q": "x" * 5000}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2021/13/",
        "/archive/2021/00/",
        "/archive/0000/01/",
        "/archive/2021/02/",  # a real month with nothing published
        "/2021/02/30/no-such-story/",
        "/section/no-such-section/",
        "/tags/no-such-tag/",
        "/authors/nobody/",
        "/people/nobody/",
        "/characters/nobody/",
        "/shows/nothing/",
        "/people/nobody/feed/",
        "/shows/nothing/feed/json/",
        "/tags/nothing/feed/atom/",
        "/sitemap-articles-2021-13.xml",
        "/sitemap-articles-1999-01.xml",
        "/sitemap-nonsense.xml",
        "/people/%E2%98%83/",
    ],
)
def test_bad_addresses_are_404_not_500(client, url):
    ArticleFactory()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["abc", "99999", "0", "-1", "1.5"])
@pytest.mark.parametrize(
    "url", ["/section/{section}/", "/people/", "/shows/", "/search/?q=story&", "/tags/cast/"]
)
def test_bad_page_numbers_are_404_on_every_list(client, url, page):
    article = ArticleFactory()
    article.tags.add("cast")
    url = url.format(section=article.section.slug)
    joiner = "" if url.endswith("&") else "?"
    assert client.get(f"{url}{joiner}page={page}").status_code == 404


def test_entity_story_lists_are_paginated(client, settings):
    person = PersonFactory()
    for n in range(21):
        ArticleFactory(headline=f"Story {n:02d}").people.add(person)
    first = client.get(person.get_absolute_url()).content.decode()
    second = client.get(person.get_absolute_url(), {"page": 2})
    assert second.status_code == 200
    assert "Story 20" in first and "Story 00" in second.content.decode()
    assert 'rel="next"' in first
    canonical = parse(second).links
    assert any(link.get("href", "").endswith("?page=2") for link in canonical)
    assert client.get(person.get_absolute_url(), {"page": 3}).status_code == 404


HIDDEN = {
    "draft": {"status": Article.Status.DRAFT, "publish_at": None},
    "review": {"status": Article.Status.REVIEW, "publish_at": None},
    "scheduled": {"publish_at": "future"},
    "unpublished": {"status": Article.Status.UNPUBLISHED},
}


@pytest.fixture(params=list(HIDDEN))
def hidden_story(request):
    """A story the public must not see, linked to everything that could leak it."""
    section = SectionFactory(slug="tv")
    author = AuthorFactory(slug="dana")
    person, show = PersonFactory(slug="ruth"), ShowFactory(slug="harbor")
    character = CharacterFactory(slug="delphine", show=show)
    fields = dict(HIDDEN[request.param])
    if fields.get("publish_at") == "future":
        fields["publish_at"] = timezone.now() + datetime.timedelta(days=1)
    status = fields.pop("status", None)
    story = ArticleFactory(headline="SECRET-HEADLINE", section=section, authors=[author], **fields)
    if status:
        Article.objects.filter(pk=story.pk).update(status=status)
    story.people.add(person)
    story.characters.add(character)
    story.shows.add(show)
    story.tags.add("secret-tag", "visible")
    # A public story keeps the tag and author pages alive.
    visible = ArticleFactory(headline="Visible story", section=section, authors=[author])
    visible.tags.add("visible")
    visible.people.add(person)
    story.refresh_from_db()
    return story


def test_hidden_stories_never_reach_the_public(hidden_story, client):
    client = Client()
    assert client.get(hidden_story.get_absolute_url()).status_code == 404
    assert client.get("/tags/secret-tag/").status_code == 404
    assert client.get("/tags/secret-tag/feed/").status_code == 404
    pages = [
        "/",
        "/section/tv/",
        "/authors/dana/",
        "/people/ruth/",
        "/characters/delphine/",
        "/shows/harbor/",
        "/tags/visible/",
        "/search/?q=SECRET",
        "/feed/",
        "/feed/atom/",
        "/feed/json/",
        "/section/tv/feed/",
        "/authors/dana/feed/atom/",
        "/people/ruth/feed/json/",
        "/characters/delphine/feed/",
        "/shows/harbor/feed/atom/",
        "/tags/visible/feed/json/",
        "/sitemap.xml",
        "/sitemap-tags.xml",
        "/news-sitemap.xml",
    ]
    when = timezone.localtime(hidden_story.publish_at or hidden_story.created_at)
    pages.append(f"/sitemap-articles-{when:%Y-%m}.xml")
    for url in pages:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code in (200, 404), url
        assert "SECRET-HEADLINE" not in body, url
        assert hidden_story.slug not in body, url
        assert "secret-tag" not in body, url


def test_section_menu_follows_section_changes(client):
    SectionFactory(name="Television")
    client.get("/people/")
    html = client.get("/people/").content.decode()
    assert "Television" in html
    section = SectionFactory(name="Podcasts")
    assert "Podcasts" in client.get("/people/").content.decode()
    section.delete()
    assert "Podcasts" not in client.get("/people/").content.decode()


def test_error_pages_are_in_the_site_style(client, settings):
    html = client.get("/nowhere/").content.decode()
    assert "That page has left the building" in html and "site.css" in html
    from newsroom.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    body = response.content.decode()
    assert (
        "Technical difficulties" in body and "site.css" in body and settings.NEWSROOM_NAME in body
    )


def test_server_error_page_needs_no_database(client, settings, django_assert_num_queries):
    from newsroom.views import server_error

    with django_assert_num_queries(0):
        server_error(None)


def test_robots_txt_points_at_both_sitemaps(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Sitemap: http://testserver/news-sitemap.xml" in body
    assert "Disallow: /search/" in body


def test_site_url_setting_makes_every_absolute_url(client, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.com"
    article = ArticleFactory()
    page = parse(client.get(article.get_absolute_url()))
    assert page.meta["og:url"] == "https://news.example.com" + article.get_absolute_url()
    assert "https://news.example.com/sitemap.xml" in client.get("/robots.txt").content.decode()
    assert "<loc>https://news.example.com/" in client.get("/sitemap.xml").content.decode()


def test_demo_entities_exist_for_these_tests(demo):
    # Guards page_types(): the demo content the pages above rely on.
    assert Person.objects.filter(slug="ruth-abernathy").exists()
    assert Character.objects.filter(slug="caleb-marsh").exists()
    assert Correction.objects.exists()
