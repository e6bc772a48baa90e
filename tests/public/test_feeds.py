"""Feeds, read the way feed readers read them (feedparser), and checked against
what RSS 2.0, Atom 1.0 and JSON Feed 1.1 require."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, Correction
from images import markup
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

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
FORMATS = {
    "": "application/rss+xml",
    "atom/": "application/atom+xml",
    "json/": "application/feed+json",
}


@pytest.fixture
def world(make_image):
    """Stories linked to one of everything, plus hidden ones that must never show.
    Stories 0 and 1 have a featured image, story 1 a library figure in its text too;
    story 2 has no picture at all."""
    featured = make_image(
        encode(photo(960, 540)),
        alt_text="The Harbor Lights cast on the dock",
        caption="The cast at the season launch.",
        credit="Pat Lens/Harbor Pictures",
    )
    inline = make_image(
        encode(photo(640, 480, seed=2)), alt_text="The ferry at dusk", credit="Courtesy of NBC"
    )
    section = SectionFactory(slug="tv", name="TV")
    dana, tomas = (
        AuthorFactory(slug="dana", name="Dana W"),
        AuthorFactory(slug="tomas", name="Tomás E"),
    )
    show = ShowFactory(slug="harbor", title="Harbor Lights")
    person = PersonFactory(slug="ruth", name="Ruth Abernathy")
    character = CharacterFactory(slug="delphine", name="Delphine Marsh", show=show)
    now = timezone.now()
    stories = []
    for n in range(3):
        figure = (
            f'<figure><img src="/media/editor-preview.jpg" alt="" data-file="{inline.pk}">'
            "<figcaption>The ferry, for this story</figcaption></figure>"
            if n == 1
            else ""
        )
        story = ArticleFactory(
            headline=f"Story {n} & friends",
            dek=f"Standfirst {n}.",
            body=f'<p>Body {n} <a href="/people/ruth/">Ruth</a></p><script>x()</script>{figure}',
            section=section,
            authors=[dana, tomas],
            publish_at=now - datetime.timedelta(hours=3 - n),
            featured_image=featured if n < 2 else None,
        )
        story.tags.add("soaps")
        story.people.add(person)
        story.characters.add(character)
        story.shows.add(show)
        stories.append(story)
    draft = ArticleFactory(headline="DRAFT-STORY", section=section, authors=[dana])
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(
        headline="SCHEDULED-STORY",
        section=section,
        authors=[dana],
        publish_at=now + datetime.timedelta(hours=2),
    )
    for hidden in (draft, scheduled):
        hidden.tags.add("soaps")
        hidden.people.add(person)
        hidden.characters.add(character)
        hidden.shows.add(show)
    return {"stories": stories, "scheduled": scheduled, "featured": featured, "inline": inline}


def read(response):
    """The feed as a reader sees it. RSS and Atom go through feedparser, which
    must find nothing wrong (bozo == 0). feedparser 6 does not read JSON Feed, so
    JSON feeds are checked against the JSON Feed 1.1 spec and given the same shape."""
    if response["Content-Type"].startswith("application/feed+json"):
        return json_feed(json.loads(response.content))
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def rfc3339(value):
    assert isinstance(value, str) and "T" in value
    return datetime.datetime.fromisoformat(value)


def json_feed(data):
    """Checks JSON Feed 1.1's rules (https://jsonfeed.org/version/1.1) and returns
    a feedparser-like view of it."""
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(data["title"], str) and data["title"]
    for key in ("home_page_url", "feed_url"):
        assert data[key].startswith(("http://", "https://"))
    assert isinstance(data["items"], list)
    for hub in data.get("hubs", []):
        assert set(hub) == {"type", "url"}
    entries = []
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
        assert item["url"].startswith(("http://", "https://"))
        published = rfc3339(item["date_published"])
        rfc3339(item["date_modified"])
        for author in item.get("authors", []):
            assert set(author) <= {"name", "url", "avatar"} and author["name"]
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
        for attachment in item.get("attachments", []):
            assert attachment["url"].startswith(("http://", "https://"))
            assert attachment["mime_type"].startswith("image/")
            assert isinstance(attachment["size_in_bytes"], int) and attachment["size_in_bytes"] > 0
        for key in ("image", "banner_image"):
            assert item.get(key) is None or item[key].startswith(("http://", "https://"))
        entries.append(
            feedparser.FeedParserDict(
                title=item["title"],
                link=item["url"],
                id=item["id"],
                authors=[feedparser.FeedParserDict(a) for a in item.get("authors", [])],
                summary=item.get("summary"),
                content=[feedparser.FeedParserDict(value=item["content_html"])],
                tags=[feedparser.FeedParserDict(term=t) for t in item.get("tags", [])],
                published_parsed=published.timetuple(),
                # feedparser's entry.enclosures are its rel="enclosure" links.
                links=[
                    feedparser.FeedParserDict(rel="enclosure", href=a["url"], type=a["mime_type"])
                    for a in item.get("attachments", [])
                ],
            )
        )
    return feedparser.FeedParserDict(
        bozo=0,
        feed=feedparser.FeedParserDict(title=data["title"], link=data["home_page_url"]),
        entries=entries,
    )


FEEDS = [
    "/feed/",
    "/section/tv/feed/",
    "/tags/soaps/feed/",
    "/authors/dana/feed/",
    "/people/ruth/feed/",
    "/characters/delphine/feed/",
    "/shows/harbor/feed/",
]


@pytest.mark.parametrize("suffix", list(FORMATS))
@pytest.mark.parametrize("base", FEEDS)
def test_every_feed_parses_cleanly_with_every_item_checked(world, client, base, suffix):
    url = base + suffix
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FORMATS[suffix])
    parsed = read(response)
    assert parsed.feed.title and parsed.feed.link.startswith("http://testserver/")
    entries = parsed.entries
    # Newest first, published only.
    assert [e.title for e in entries] == [
        "Story 2 & friends",
        "Story 1 & friends",
        "Story 0 & friends",
    ]
    for entry, story in zip(entries, reversed(world["stories"]), strict=True):
        assert entry.link == "http://testserver" + story.get_absolute_url()
        assert entry.id == f"tag:testserver,{story.created_at:%Y-%m-%d}:article:{story.pk}"
        assert [a.name for a in entry.authors] == ["Dana W", "Tomás E"]
        assert entry.summary == story.dek
        content = entry.content[0].value
        assert 'href="http://testserver/people/ruth/"' in content
        assert "<script" not in content and "x()" not in content
        terms = {tag.term for tag in entry.tags}
        assert {"soaps", "Ruth Abernathy", "Delphine Marsh", "Harbor Lights"} <= terms
        assert entry.published_parsed is not None
        # The featured image as the enclosure: absolute, the right type; none without one.
        enclosures = [(e.href, e.type) for e in entry.enclosures]
        if story.featured_image_id:
            enclosure = markup.enclosure(world["featured"])
            assert enclosures == [("http://testserver" + enclosure.url, "image/jpeg")]
        else:
            assert enclosures == []
        # The library figure, credited, with its caption (test below: the raw markup).
        if story is world["stories"][1]:
            assert 'src="http://testserver/media/images/' in content
            assert "The ferry, for this story" in content and "Courtesy of NBC" in content
            assert "editor-preview" not in content


def raw_content(url, response) -> list[str]:
    """Each item's story HTML exactly as the feed carries it (feedparser sanitises it)."""
    if url.endswith("json/"):
        return [item["content_html"] for item in json.loads(response.content)["items"]]
    root = ET.fromstring(response.content)
    if url.endswith("atom/"):
        return [entry.findtext(f"{ATOM}content") for entry in root.iter(f"{ATOM}entry")]
    return [item.findtext(f"{CONTENT}encoded") for item in root.iter("item")]


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_library_figures_reach_feeds_as_absolute_responsive_images(world, client, suffix):
    url = "/section/tv/feed/" + suffix
    story_1 = raw_content(url, client.get(url))[1]
    [img] = re.findall(r"<img [^>]*>", story_1)
    # The JPEG fallback with its srcset: readers sanitise <picture> and <source> away.
    assert "<picture" not in story_1 and "<source" not in story_1
    assert 'alt="The ferry at dusk"' in img and "data-file" not in img
    src = re.search(r' src="([^"]+)"', img)[1]
    srcset = re.search(r' srcset="([^"]+)"', img)[1].split(", ")
    assert len(srcset) >= 2
    for address in [src, *(candidate.split(" ")[0] for candidate in srcset)]:
        assert address.startswith("http://testserver/media/images/"), address
        assert address.endswith(".jpg")
    assert all(re.fullmatch(r"\S+ [1-9][0-9]*w", candidate) for candidate in srcset)
    assert "The ferry, for this story" in story_1
    assert "<small><span>Credit: </span>Courtesy of NBC</small>" in story_1


def test_rss_carries_media_content_with_the_credit(world, client):
    root = ET.fromstring(client.get("/section/tv/feed/").content)
    items = root.findall("channel/item")
    expected = markup.media_content(world["featured"])
    for item in items[1:]:  # stories 1 and 0 have the featured image
        [media] = item.findall(f"{MEDIA}content")
        assert media.get("url") == "http://testserver" + expected["url"]
        assert media.get("medium") == "image" and media.get("type") == "image/jpeg"
        assert (media.get("width"), media.get("height")) == (expected["width"], expected["height"])
        assert media.findtext(f"{MEDIA}credit") == "Pat Lens/Harbor Pictures"
        enclosure = item.find("enclosure")
        assert enclosure.get("url") == media.get("url")
        assert enclosure.get("length") == expected["fileSize"]
    assert items[0].find(f"{MEDIA}content") is None and items[0].find("enclosure") is None
    parsed = read(client.get("/section/tv/feed/"))
    assert parsed.entries[1].media_content[0]["url"] == "http://testserver" + expected["url"]
    assert parsed.entries[1].media_credit[0]["content"] == "Pat Lens/Harbor Pictures"
    # The credit did not become the item's summary or content.
    assert parsed.entries[1].summary == "Standfirst 1."
    assert parsed.entries[1].content[0].value.startswith("<p>Body 1")


def test_json_feed_items_have_image_banner_and_attachment(world, client):
    items = json.loads(client.get("/section/tv/feed/json/").content)["items"]
    og = markup.og_image(world["featured"])
    enclosure = markup.enclosure(world["featured"])
    for item in items[1:]:
        assert item["image"] == "http://testserver" + enclosure.url
        assert item["banner_image"] == "http://testserver" + og["url"]
        assert item["attachments"] == [
            {
                "url": "http://testserver" + enclosure.url,
                "mime_type": "image/jpeg",
                "size_in_bytes": int(enclosure.length),
            }
        ]
    assert not {"image", "banner_image", "attachments"} & set(items[0])


def test_picture_urls_use_the_public_origin(world, client, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.com"
    item = json.loads(client.get("/section/tv/feed/json/").content)["items"][1]
    assert item["image"].startswith("https://news.example.com/media/images/")
    assert item["banner_image"].startswith("https://news.example.com/media/images/")
    assert 'src="https://news.example.com/media/images/' in item["content_html"]


def test_a_changed_picture_changes_the_feed(world, client):
    url = "/section/tv/feed/"
    etag = client.get(url)["ETag"]
    featured = world["featured"]
    featured.credit = "Corrected Credit/Agency"
    featured.save()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and b"Corrected Credit/Agency" in response.content
    inline = world["inline"]
    inline.credit = "Corrected inline credit"
    inline.save()
    again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 200 and b"Corrected inline credit" in again.content


def test_rss_has_what_the_spec_requires(world, client):
    root = ET.fromstring(client.get("/section/tv/feed/").content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required)
    assert (
        channel.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/section/tv/feed/"
    )
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("link") and item.findtext("pubDate")
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false" and guid.text.startswith("tag:")
        assert [c.text for c in item.findall(f"{DC}creator")] == ["Dana W", "Tomás E"]
        assert item.findtext(f"{CONTENT}encoded").startswith("<p>")
    assert channel.find(f"{ATOM}link[@rel='hub']") is None


def test_atom_has_what_the_spec_requires(world, client):
    root = ET.fromstring(client.get("/people/ruth/feed/atom/").content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}")
    assert root.find(f"{ATOM}author/{ATOM}name").text
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "published"):
            assert entry.findtext(f"{ATOM}{required}"), required
        authors = entry.findall(f"{ATOM}author")
        assert [a.findtext(f"{ATOM}name") for a in authors] == ["Dana W", "Tomás E"]
        assert authors[0].findtext(f"{ATOM}uri") == "http://testserver/authors/dana/"
        assert entry.find(f"{ATOM}content").get("type") == "html"
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None


def test_json_feed_has_what_the_spec_requires(world, client):
    data = json.loads(client.get("/shows/harbor/feed/json/").content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] and data["home_page_url"] == "http://testserver/shows/harbor/"
    assert data["feed_url"] == "http://testserver/shows/harbor/feed/json/"
    assert "hubs" not in data
    for item in data["items"]:
        assert item["id"].startswith("tag:") and item["url"].startswith("http://testserver/")
        assert item["content_html"] and item["summary"]
        assert item["date_published"] and item["date_modified"]
        assert [a["name"] for a in item["authors"]] == ["Dana W", "Tomás E"]
        assert "Harbor Lights" in item["tags"]


def test_guid_survives_headline_slug_and_date_edits(world, client):
    story = world["stories"][0]
    before = read(client.get("/feed/"))
    story.headline = "A completely new headline"
    story.slug = "new-slug"
    story.publish_at -= datetime.timedelta(days=3)
    story.save()
    after = read(client.get("/feed/"))
    old = {e.id for e in before.entries}
    new = {e.id for e in after.entries}
    assert old == new
    assert "A completely new headline" in {e.title for e in after.entries}


def test_item_count_follows_the_setting(client, settings):
    settings.NEWSROOM_FEED_ITEMS = 5
    for _ in range(7):
        ArticleFactory()
    for suffix in FORMATS:
        assert len(read(client.get("/feed/" + suffix)).entries) == 5


def test_default_is_twenty_items(client):
    for _ in range(22):
        ArticleFactory()
    assert len(read(client.get("/feed/")).entries) == 20


def test_scheduled_story_enters_feeds_at_its_time(world, client):
    scheduled = world["scheduled"]
    assert "SCHEDULED-STORY" not in client.get("/people/ruth/feed/").content.decode()
    with time_machine.travel(scheduled.publish_at + datetime.timedelta(minutes=1)):
        assert "SCHEDULED-STORY" in client.get("/people/ruth/feed/").content.decode()


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_conditional_get_gives_304_with_no_body(world, client, suffix):
    url = "/section/tv/feed/" + suffix
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_an_edit_or_correction_changes_the_etag(world, client):
    url = "/tags/soaps/feed/atom/"
    etag = client.get(url)["ETag"]
    story = world["stories"][1]
    story.headline = "Edited"
    story.save()
    edited = client.get(url, headers={"If-None-Match": etag})
    assert edited.status_code == 200 and edited["ETag"] != etag
    Correction.objects.create(
        article=world["stories"][2], note="Fixed.", published_at=timezone.now()
    )
    assert client.get(url, headers={"If-None-Match": edited["ETag"]}).status_code == 200


def test_a_304_costs_no_feed_building(world, client, django_assert_max_num_queries):
    url = "/characters/delphine/feed/"
    etag = client.get(url)["ETag"]
    with django_assert_max_num_queries(2):  # the character, then the validator query
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_hub_is_advertised_when_configured(world, client, settings):
    settings.NEWSROOM_WEBSUB_HUB = "https://hub.example.com/"
    settings.NEWSROOM_SITE_URL = "https://news.example.com"
    rss = ET.fromstring(client.get("/feed/").content)
    assert rss.find(f"channel/{ATOM}link[@rel='hub']").get("href") == "https://hub.example.com/"
    atom = client.get("/feed/atom/")
    assert ET.fromstring(atom.content).find(f"{ATOM}link[@rel='hub']") is not None
    assert '<https://hub.example.com/>; rel="hub"' in atom["Link"]
    assert '<https://news.example.com/feed/atom/>; rel="self"' in atom["Link"]
    data = json.loads(client.get("/feed/json/").content)
    assert data["hubs"] == [{"type": "WebSub", "url": "https://hub.example.com/"}]
    read(atom)


def test_empty_feeds_are_valid(client, db):
    SectionFactory(slug="empty")
    for suffix in FORMATS:
        response = client.get("/section/empty/feed/" + suffix)
        assert response.status_code == 200
        assert read(response).entries == []


def test_story_without_standfirst_gets_a_plain_text_summary(client):
    ArticleFactory(dek="", body="<p>First <em>words</em> &amp; more.</p>")
    entry = read(client.get("/feed/json/")).entries[0]
    assert entry.summary == "First words & more."
