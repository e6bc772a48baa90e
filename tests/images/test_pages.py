"""Pictures on the public pages: featured image with caption and credit, cards, headshots,
posters, figures in story text, og:image — and no image decoding while any page renders."""

import re
import shutil
import subprocess
from pathlib import Path

import PIL.Image
import PIL.ImageFile
import pytest
from django.urls import reverse
from django.utils import timezone

from articles import preview
from articles.models import Article
from images import markup
from images.models import Image
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CharacterFactory,
    PersonFactory,
    SectionFactory,
    ShowFactory,
)
from tests.images.html_checks import pictures
from tests.pages import parse
from tests.pictures import encode, photo

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def site(make_image):
    """A story with a featured image and a figure in its text; a person; a show."""
    featured = make_image(
        encode(photo(1600, 1000)),
        alt_text="Ana Ruiz and Tom Vale on the ferry dock",
        caption="Ana Ruiz and Tom Vale in the finale.",
        credit="Pat Lens/Harbor Pictures",
    )
    inline = make_image(
        encode(photo(800, 600, seed=2)),
        alt_text="The ferry at dusk",
        caption="Library caption",
        credit="Courtesy of NBC",
    )
    headshot = make_image(encode(photo(600, 800, seed=3)), alt_text="Ana Ruiz", credit="R. Snap")
    poster = make_image(encode(photo(600, 900, seed=4)), alt_text="Harbor Lights poster")
    show = ShowFactory(title="Harbor Lights", poster=poster)
    person = PersonFactory(name="Ana Ruiz", headshot=headshot)
    section = SectionFactory(name="TV")
    author = AuthorFactory(name="Dana Writer")
    body = (
        "<p>The finale aired.</p>"
        f'<figure><img src="/media/old.jpg" alt="" data-file="{inline.pk}">'
        "<figcaption>The <em>Harbor Lights</em> ferry, for this story</figcaption></figure>"
        "<p>More text.</p>"
    )
    article = ArticleFactory(
        headline="Harbor Lights says goodbye",
        featured_image=featured,
        body=body,
        section=section,
        authors=[author],
    )
    article.people.add(person)
    article.shows.add(show)
    others = [ArticleFactory(section=section, featured_image=featured) for _ in range(8)]
    for other in others:
        other.people.add(person)
        other.shows.add(show)
    return {
        "article": article,
        "featured": featured,
        "inline": inline,
        "person": person,
        "show": show,
        "section": section,
        "author": author,
        "character": CharacterFactory(show=show),
    }


def public_urls(site) -> list[tuple[str, int]]:
    """Every public page type and every feed (each format), with pictures on them."""
    article = site["article"]
    article.tags.add("finales")
    article.characters.add(site["character"])
    when = timezone.localtime(article.publish_at)
    pages = [
        reverse("home"),
        article.get_absolute_url(),
        reverse("articles:preview", args=[preview.make_token(article)]),
        site["section"].get_absolute_url(),
        site["author"].get_absolute_url(),
        reverse("articles:tag", args=["finales"]),
        reverse("articles:archive", args=[when.year, when.month]),
        site["person"].get_absolute_url(),
        site["character"].get_absolute_url(),
        site["show"].get_absolute_url(),
        reverse("people:index"),
        reverse("shows:index"),
        reverse("search") + "?q=Harbor",
        reverse("sitemap-index"),
        reverse("sitemap-section", args=[f"articles-{when:%Y-%m}"]),
        reverse("news-sitemap"),
        reverse("robots"),
    ]
    feeds = [
        "/feed/",
        site["section"].get_absolute_url() + "feed/",
        "/tags/finales/feed/",
        site["author"].get_absolute_url() + "feed/",
        site["person"].get_absolute_url() + "feed/",
        site["character"].get_absolute_url() + "feed/",
        site["show"].get_absolute_url() + "feed/",
    ]
    return (
        [(url, 200) for url in pages]
        + [(feed + suffix, 200) for feed in feeds for suffix in ("", "atom/", "json/")]
        + [("/no-such-page/", 404)]
    )


def test_article_shows_featured_image_with_caption_and_credit(client, site):
    html = client.get(site["article"].get_absolute_url()).content.decode()
    start = html.index('<figure class="image-figure featured-image">')
    figure = html[start : html.index("</figure>", start)]
    [pic] = pictures(figure)
    assert pic.img["alt"] == "Ana Ruiz and Tom Vale on the ferry dock"
    assert pic.img["loading"] == "eager" and pic.img["fetchpriority"] == "high"
    assert "Ana Ruiz and Tom Vale in the finale." in figure
    assert "Pat Lens/Harbor Pictures" in figure


def test_figure_in_story_text_is_expanded_with_its_own_caption_and_library_credit(client, site):
    html = client.get(site["article"].get_absolute_url()).content.decode()
    body = html[html.index('<div class="body">') :]
    start = body.index('<figure class="image-figure body-figure">')
    figure = body[start : body.index("</figure>", start)]
    [pic] = pictures(figure)
    assert pic.img["alt"] == "The ferry at dusk"  # the body left alt empty: the library's
    assert pic.img["loading"] == "lazy"
    # The story's own caption, markup kept (the show's first mention is linked in it).
    caption = figure[figure.index('<span class="caption">') :]
    assert "<em>" in caption and "ferry, for this story" in caption
    assert re.sub(r"<[^>]+>", "", caption).startswith("The Harbor Lights ferry, for this story")
    assert "Library caption" not in figure
    assert "Courtesy of NBC" in figure
    assert "/media/old.jpg" not in html  # the editor's preview src never reaches readers


def test_og_and_twitter_images_on_article_person_character_and_show(client, site):
    pages = {
        "article": (site["article"], site["featured"]),
        "person": (site["person"], site["person"].headshot),
        "character": (site["character"], site["show"].poster),  # the show's poster
        "show": (site["show"], site["show"].poster),
    }
    for name, (obj, image) in pages.items():
        meta = parse(client.get(obj.get_absolute_url())).meta
        og = markup.og_image(image)
        assert meta["og:image"] == "http://testserver" + og["url"], name
        assert meta["og:image"].endswith(".jpg")
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630"), name
        assert meta["og:image:type"] == "image/jpeg"
        assert meta["og:image:alt"] == image.alt_text
        assert meta["twitter:card"] == "summary_large_image", name
        assert meta["twitter:image"] == meta["og:image"]
        assert meta["twitter:image:alt"] == image.alt_text


def test_json_ld_images_for_story_person_and_show(client, site):
    [ld] = parse(client.get(site["article"].get_absolute_url())).json_ld
    images = ld["image"]
    # 16:9, 1:1 and the picture as taken (1600×1000), each at its largest, in JPEG.
    assert [(i["width"], i["height"]) for i in images] == [(960, 540), (640, 640), (1600, 1000)]
    for image in images:
        assert image["@type"] == "ImageObject"
        assert image["url"].startswith("http://testserver/media/images/")
        assert image["url"].endswith(".jpg")
        assert image["creditText"] == "Pat Lens/Harbor Pictures"
        assert image["caption"] == "Ana Ruiz and Tom Vale in the finale."

    [ld] = parse(client.get(site["person"].get_absolute_url())).json_ld
    headshot = ld["mainEntity"]["image"]
    assert (headshot["width"], headshot["height"]) == (600, 600)
    assert headshot["creditText"] == "R. Snap" and "caption" not in headshot

    [ld] = parse(client.get(site["show"].get_absolute_url())).json_ld
    assert (ld["image"]["width"], ld["image"]["height"]) == (600, 900)


def test_pages_without_pictures_claim_none(client, site):
    article = ArticleFactory(featured_image=None)
    person, show = PersonFactory(headshot=None), ShowFactory(poster=None)
    for obj in (article, person, show, CharacterFactory(show=show)):
        response = client.get(obj.get_absolute_url())
        head = parse(response)
        assert head.meta["twitter:card"] == "summary"
        assert not {"og:image", "twitter:image"} & set(head.meta)
        [ld] = head.json_ld
        assert "image" not in ld and "image" not in ld.get("mainEntity", {})
        assert 'class="image-figure' not in response.content.decode()  # no figure at the top


def test_cards_headshot_and_poster(client, site):
    html = client.get(site["section"].get_absolute_url()).content.decode()
    cards = pictures(html)
    assert len(cards) == 9
    assert all(p.img["width"] == "960" and p.img["height"] == "540" for p in cards)
    # The first screen's pictures load at once, the rest as the reader scrolls to them.
    assert [p.img["loading"] for p in cards] == ["eager"] * 3 + ["lazy"] * 6
    assert {p.img["sizes"] for p in cards} == {"(min-width: 40em) 14rem, 8rem"}

    html = client.get(site["person"].get_absolute_url()).content.decode()
    start = html.index('<header class="page-header')
    header = html[start : html.index("</header>", start)]
    headshot = pictures(header)
    assert [(p.img["width"], p.img["height"]) for p in headshot] == [("600", "600")]
    assert "R. Snap" in html

    html = client.get(site["show"].get_absolute_url()).content.decode()
    start = html.index('<header class="page-header')
    header = html[start : html.index("</header>", start)]
    poster = pictures(header)
    assert [(p.img["width"], p.img["height"]) for p in poster] == [("600", "900")]


def test_rendering_public_pages_decodes_no_image(client, site, monkeypatch):
    """Pages read the rendition manifest; opening or decoding a picture here is a bug."""
    calls = []

    def counting(name, original):
        def wrapper(*args, **kwargs):
            calls.append(name)
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(PIL.Image, "open", counting("Image.open", PIL.Image.open))
    monkeypatch.setattr(
        PIL.ImageFile.ImageFile, "load", counting("load", PIL.ImageFile.ImageFile.load)
    )
    monkeypatch.setattr(
        PIL.ImageFile.Parser, "feed", counting("Parser.feed", PIL.ImageFile.Parser.feed)
    )
    # Everything but these shows pictures, so the test covers pages with pictures on them.
    text_only = {"/people/", "/shows/", "/robots.txt", "/no-such-page/"}
    for url, status in public_urls(site):
        response = client.get(url)
        assert response.status_code == status, url
        if url not in text_only and "sitemap" not in url:
            assert b"/media/images/" in response.content, url
    assert calls == [], f"image decoding during page requests: {calls}"
    # The counter works: the same patched Pillow counts a real open.
    with site["featured"].file.open("rb") as fh:
        PIL.Image.open(fh).load()
    assert calls == ["Image.open", "load"]


def test_card_lists_stay_a_fixed_number_of_queries(client, site, django_assert_max_num_queries):
    url = site["section"].get_absolute_url()
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_story_page_brings_the_pictures_in_its_text_along(site, django_assert_num_queries):
    article, inline = site["article"], site["inline"]
    with django_assert_num_queries(1):
        story = Article.objects.published().with_body_images().get(pk=article.pk)
    with django_assert_num_queries(0):
        [(pk, image)] = story.body_images.items()
        html = markup.figure(image)
    stored = Image.objects.get(pk=inline.pk)
    assert pk == inline.pk and image.renditions == stored.renditions
    assert (image.alt_text, image.credit, image.caption) == (
        stored.alt_text,
        stored.credit,
        stored.caption,
    )
    assert html == markup.figure(stored)
    # Loaded like .only(): a save cannot blank the fields that were not brought along.
    assert image.get_deferred_fields() >= {"title", "source", "format", "file_size"}
    # Without the annotation (or with a text the link table does not match) the page
    # fetches the pictures itself.
    assert Article.objects.get(pk=article.pk).body_images is None


def test_an_article_without_pictures_still_renders(client):
    article = ArticleFactory(featured_image=None)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<picture" not in html and "og:image" not in html


def test_a_figure_whose_image_is_gone_is_left_out(client, site):
    # Only possible through raw SQL (the link table protects it), e.g. an old revision.
    article = site["article"]
    Article.objects.filter(pk=article.pk).update(
        body='<p>Text.</p><figure><img src="/media/x.jpg" alt="" data-file="999999"></figure>'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "999999" not in html and "<p>Text.</p>" in html


@pytest.mark.skipif(
    not VNU.exists() or shutil.which("java") is None,
    reason="Nu Html Checker not installed (npm ci installs vnu-jar); markup rules are still "
    "checked by html_checks",
)
def test_article_page_is_valid_html(client, site, tmp_path):
    page = tmp_path / "article.html"
    page.write_bytes(client.get(site["article"].get_absolute_url()).content)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
