"""Query budgets per page, with enough linked rows (50+) that an N+1 would show.

Targets from the performance issue: story page <= 8, home <= 10, entity and list
pages <= 8, feeds <= 6 — whatever the number of items. Each page is fetched
once first so that the cached section menu is warm, as it is in production.
The page cache is off here: these are the budgets of rendering a page (a cached
page costs at most the one version query, asserted in test_page_cache.py).

Every story has a featured image and a library figure in its text, every person a
headshot and every show a poster, so a picture fetched per row would show too.
"""

import datetime

import pytest
from django.utils import timezone

from articles.models import ArticleAuthor, Correction
from people.models import Credit
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CharacterFactory,
    PersonFactory,
    SectionFactory,
    ShowFactory,
)
from tests.pictures import encode, photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    # The content version is read at most once a second per process; keep that
    # read (and so the counts) out of the timing of these tests.
    settings.NEWSROOM_CACHE_CHECK_SECONDS = 3600


@pytest.fixture
def crowd(make_image):
    """60 stories over 5 sections, each with 3 authors, 4 tags and 6 entity links,
    a featured image and a figure in its text; one story with 12 of everything; a
    person with 30 credits; headshots and posters on every person and show."""
    pictures = [
        make_image(encode(photo(480, 270, seed=n)), alt_text=f"Picture {n}") for n in range(3)
    ]
    sections = [SectionFactory(slug=f"s{n}") for n in range(5)]
    authors = [AuthorFactory(slug=f"a{n}") for n in range(6)]
    shows = [ShowFactory(slug=f"show{n}", poster=pictures[n % 3]) for n in range(12)]
    people = [PersonFactory(slug=f"p{n}", headshot=pictures[n % 3]) for n in range(30)]
    characters = [CharacterFactory(slug=f"c{n}", show=shows[n % 12]) for n in range(12)]
    now = timezone.now()
    stories = []
    for n in range(60):
        figure = pictures[(n + 1) % 3]
        story = ArticleFactory(
            section=sections[n % 5],
            publish_at=now - datetime.timedelta(hours=n + 1),
            authors=authors[n % 4 : n % 4 + 3],
            featured_image=pictures[n % 3],
            body=f'<p>Text.</p><figure><img src="/media/x.jpg" alt="" data-file="{figure.pk}">'
            "<figcaption>A figure</figcaption></figure><p>More text.</p>",
        )
        story.tags.add(*[f"tag{(n + k) % 8}" for k in range(4)])
        story.people.add(people[0], people[n % 30], people[(n + 1) % 30])
        story.characters.add(characters[0], characters[n % 12])
        story.shows.add(shows[0])
        stories.append(story)
    big = stories[0]
    for author in authors[3:]:
        ArticleAuthor.objects.get_or_create(article=big, author=author, defaults={"position": 9})
    big.people.add(*people[:12])
    big.characters.add(*characters)
    big.shows.add(*shows)
    big.tags.add(*[f"tag{k}" for k in range(8)], "extra1", "extra2", "extra3", "extra4")
    big.related.add(*stories[30:42])
    for k in range(6):
        Correction.objects.create(article=big, note=f"Fix {k}.")
    for n, show in enumerate(shows):
        Credit.objects.create(
            person=people[0], show=show, character=characters[n], start_year=2000 + n
        )
        for role in ("writer", "producer"):
            Credit.objects.create(person=people[0], show=show, role=role, start_year=2000)
        for person in people[1:6]:
            Credit.objects.create(person=person, show=show, role="guest")
    return {"big": big, "person": people[0], "character": characters[0], "show": shows[0]}


def budget_cases(crowd):
    big = crowd["big"]
    return [
        ("story", big.get_absolute_url(), 8),
        ("home", "/", 10),
        ("section", "/section/s0/", 8),
        ("tag", "/tags/tag1/", 8),
        ("author", "/authors/a1/", 8),
        ("archive", f"/archive/{timezone.localtime(big.publish_at):%Y/%m}/", 8),
        ("person", crowd["person"].get_absolute_url(), 8),
        ("character", crowd["character"].get_absolute_url(), 8),
        ("show", crowd["show"].get_absolute_url(), 8),
        ("people index", "/people/", 8),
        ("shows index", "/shows/", 8),
        ("search", "/search/?q=story", 8),
        ("site feed", "/feed/", 6),
        ("section feed", "/section/s0/feed/atom/", 6),
        ("tag feed", "/tags/tag1/feed/json/", 6),
        ("author feed", "/authors/a1/feed/", 6),
        ("person feed", "/people/p0/feed/", 6),
        ("character feed", "/characters/c0/feed/atom/", 6),
        ("show feed", "/shows/show0/feed/json/", 6),
    ]


def test_pages_and_feeds_stay_within_their_query_budgets(
    crowd, client, django_assert_max_num_queries
):
    for name, url, budget in budget_cases(crowd):
        assert client.get(url).status_code == 200, name
        with django_assert_max_num_queries(budget, info=name):
            response = client.get(url)
        assert response.status_code == 200
        # The pictures are there (so the budget covers them), except on the A–Z indexes.
        if "index" not in name:
            assert b"/media/images/" in response.content, name


def test_feed_budget_does_not_grow_with_items(
    crowd, client, settings, django_assert_max_num_queries
):
    settings.NEWSROOM_FEED_ITEMS = 60
    client.get("/people/p0/feed/")  # the content version is read once a second, not here
    with django_assert_max_num_queries(6):
        response = client.get("/people/p0/feed/")
    assert response.content.count(b"<item>") == 60


def grow(crowd, n=60):
    """n more stories, each as linked as the crowd's: twice the items on every page."""
    big = crowd["big"]
    sections = {story.section for story in [big]}
    people = list(big.people.all())
    characters = list(big.characters.all())
    shows = list(big.shows.all())
    authors = list(big.authors.all())
    now = timezone.now()
    for k in range(n):
        story = ArticleFactory(
            section=next(iter(sections)),
            publish_at=now - datetime.timedelta(minutes=k + 1),
            authors=authors[k % 3 : k % 3 + 3],
        )
        story.tags.add(*[f"tag{(k + j) % 8}" for j in range(4)])
        story.people.add(*people[:4])
        story.characters.add(*characters[:2])
        story.shows.add(*shows[:2])


def query_counts(client, crowd):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, url, _budget in budget_cases(crowd):
        assert client.get(url).status_code == 200, name
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, name
        counts[name] = len(queries)
        if name in {"section", "tag", "author", "person", "character", "show", "archive"}:
            # Story lists page without counting every story (common.paging).
            assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries), name
    return counts


def test_query_counts_do_not_grow_with_the_number_of_items(crowd, client, settings):
    settings.NEWSROOM_FEED_ITEMS = 40
    before = query_counts(client, crowd)
    grow(crowd)
    after = query_counts(client, crowd)
    assert after == before


@pytest.mark.parametrize(
    "url",
    [
        "/tags/tag1/",
        "/tags/tag1/feed/",
        "/authors/a1/",
        "/authors/a1/feed/atom/",
        "/people/p0/",
        "/people/p0/feed/json/",
        "/characters/c0/",
        "/shows/show0/?page=2",
        "/shows/show0/feed/",
    ],
)
def test_popular_and_rare_subjects_list_the_same_stories(crowd, client, monkeypatch, url):
    """``Article.objects.about`` walks newest-first for popular subjects and goes
    through the link rows for rare ones: both give the same page."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import articles.models

    pages = {}
    for shape, threshold in (("rare", 10**6), ("popular", 3)):
        monkeypatch.setattr(articles.models, "POPULAR_LINKS", threshold)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        walked = any("EXISTS" in q["sql"] for q in queries.captured_queries)
        assert walked is (shape == "popular")
        pages[shape] = re.findall(
            rb'href="(/\d{4}/\d{2}/\d{2}/[^"/]+/)"|<(?:guid|id)[^>]*>([^<]+)<|"id": "([^"]+)"',
            response.content,
        )
    assert len(pages["rare"]) >= 5
    assert pages["popular"] == pages["rare"]
