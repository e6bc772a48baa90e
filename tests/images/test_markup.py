"""The template API: {% picture %}, {% image_figure %}, og:image and feed enclosures."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

from images import markup
from tests.images.html_checks import parse_srcset, pictures
from tests.pictures import encode, photo

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load images %}" + source).render(Context(context))


@pytest.fixture
def image(make_image):
    return make_image(encode(photo(1400, 1000)), caption="Cast and crew on the dock.")


def test_picture_tag_emits_sources_srcset_sizes_and_dimensions(image):
    html = render(
        '{% picture image "card" sizes="(min-width: 60rem) 20rem, 100vw" loading="lazy" %}',
        image=image,
    )
    [pic] = pictures(html)
    assert [s["type"] for s in pic.sources] == ["image/avif", "image/webp"]
    for source in pic.sources:
        assert source["sizes"] == "(min-width: 60rem) 20rem, 100vw"
        assert [w for _u, w in parse_srcset(source["srcset"])] == [320, 640, 960]
    img = pic.img
    assert [w for _u, w in parse_srcset(img["srcset"])] == [320, 640, 960]
    assert all(u.endswith(".jpg") for u, _w in parse_srcset(img["srcset"]))
    assert (img["width"], img["height"]) == ("960", "540")  # the crop's shape: no layout shift
    assert img["alt"] == "Two actors laughing on a ferry dock"
    assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert img["src"].endswith(".jpg") and "card-w640." in img["src"]


def test_every_srcset_url_is_a_stored_file(image, media_root):
    [pic] = pictures(render("{% picture image %}", image=image))
    urls = [u for s in pic.sources for u, _ in parse_srcset(s["srcset"])]
    urls += [u for u, _ in parse_srcset(pic.img["srcset"])] + [pic.img["src"]]
    for url in urls:
        assert url.startswith("/media/images/")
        assert (media_root / url.removeprefix("/media/")).is_file(), url


def test_picture_options(image):
    html = render(
        '{% picture image "original" loading="eager" fetchpriority="high" alt="" class="hero" %}',
        image=image,
    )
    [pic] = pictures(html)
    assert pic.img["loading"] == "eager" and pic.img["fetchpriority"] == "high"
    assert pic.img["alt"] == "" and pic.img["class"] == "hero"
    assert (pic.img["width"], pic.img["height"]) == ("1400", "1000")


def test_alt_text_is_escaped(make_image):
    image = make_image(alt_text='She said "yes" <script>')
    html = render("{% picture image %}", image=image)
    assert 'alt="She said &quot;yes&quot; &lt;script&gt;"' in html


def test_nothing_for_no_image():
    assert render('{% picture None "card" %}{% image_figure None %}{% og_image_meta None %}') == ""


def test_unknown_option_or_crop_is_a_developer_error(image):
    with pytest.raises(TemplateSyntaxError, match="Unknown picture option 'style'"):
        render('{% picture image style="x" %}', image=image)
    with pytest.raises(ImproperlyConfigured, match="Unknown image crop 'banner'"):
        render('{% picture image "banner" %}', image=image)


def test_figure_has_caption_and_always_the_credit(image):
    html = render('{% image_figure image loading="eager" %}', image=image)
    assert html.startswith('<figure class="image-figure"><picture>')
    assert '<span class="caption">Cast and crew on the dock.</span>' in html
    assert (
        '<small class="credit"><span class="visually-hidden">Credit: </span>'
        "Pat Lens/Harbor Pictures</small>"
    ) in html
    without = render('{% image_figure image "square" caption="" %}', image=image)
    assert "caption" not in without.replace("figcaption", "") and "Pat Lens" in without


@pytest.fixture
def news_host(settings):
    settings.ALLOWED_HOSTS = ["news.example.com"]


def test_og_image_meta_is_absolute_and_1200x630(image, news_host):
    request = RequestFactory().get("/", HTTP_HOST="news.example.com", secure=True)
    html = render("{% og_image_meta image %}", image=image, request=request)
    assert '<meta property="og:image" content="https://news.example.com/media/images/' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert '<meta property="og:image:type" content="image/jpeg">' in html
    url = render("{% og_image_url image %}", image=image, request=request)
    assert url.startswith("https://news.example.com/media/images/") and "/og." in url


def test_enclosure_and_media_content_for_feeds(image, news_host):
    request = RequestFactory().get("/feed/", HTTP_HOST="news.example.com")
    enclosure = markup.enclosure(image, request)
    key = next(k for k, v in image.renditions.items() if enclosure.url.endswith(v[0]))
    assert key == "w960.jpg"
    assert enclosure.url.startswith("http://news.example.com/media/images/")
    assert enclosure.length == str(image.renditions["w960.jpg"][1])
    assert enclosure.mime_type == "image/jpeg"
    media = markup.media_content(image, request)
    assert media["url"] == enclosure.url and media["medium"] == "image"
    assert (media["width"], media["height"]) == ("960", "686")
    assert media["credit"] == "Pat Lens/Harbor Pictures"
    assert markup.enclosure(None) is None and markup.media_content(None) is None


def test_small_image_enclosure_is_its_own_size(make_image):
    image = make_image(encode(photo(500, 400)))
    assert markup.enclosure(image).length == str(image.renditions["w500.jpg"][1])
