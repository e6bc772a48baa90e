"""Pictures inside story text: the sanitiser keeps the library reference and nothing else,
the article records which pictures its text uses, and rendering expands them."""

import pytest

from articles.models import ArticleBodyImage
from articles.sanitize import clean_html
from images.richtext import expand, image_ids
from tests.factories import ArticleFactory
from tests.images.html_checks import pictures

pytestmark = pytest.mark.django_db

EDITOR_FIGURE = (
    '<figure class="figure"><img src="/media/images/2026/11/abc/w960.0123456789.jpg" '
    'alt="Ferry" title="t" data-file="{pk}" onerror="x()">'
    '<figcaption class="figure-caption">Our <em>own</em> caption</figcaption></figure>'
)


def test_sanitiser_keeps_the_library_reference_and_drops_the_rest():
    html = clean_html(EDITOR_FIGURE.format(pk=42))
    assert html == (
        '<figure><img src="/media/images/2026/11/abc/w960.0123456789.jpg" alt="Ferry" title="t" '
        'data-file="42"><figcaption>Our <em>own</em> caption</figcaption></figure>'
    )


@pytest.mark.parametrize("value", ["42abc", "-1", "1e3", "javascript:1", "", "1" * 19])
def test_sanitiser_drops_a_data_file_that_is_not_an_id(value):
    html = clean_html(f'<img src="/media/a.jpg" data-file="{value}">')
    assert "data-file" not in html


def test_external_image_in_a_figure_loses_its_src():
    html = clean_html('<figure><img src="https://evil.example/x.png" data-file="3"></figure>')
    assert "evil.example" not in html


def test_image_ids_in_order_without_repeats():
    html = '<img data-file="3"><p>x</p><img data-file="1"><img data-file="3">'
    assert image_ids(html) == [3, 1]


def test_article_records_the_pictures_its_text_uses(make_image):
    first, second = make_image(), make_image()
    article = ArticleFactory(body=EDITOR_FIGURE.format(pk=first.pk))
    assert list(article.body_image_links.values_list("image", flat=True)) == [first.pk]
    article.body = (
        EDITOR_FIGURE.format(pk=second.pk) + '<p><img src="/media/a" data-file="999"></p>'
    )
    article.save()
    assert list(article.body_image_links.values_list("image", flat=True)) == [second.pk]
    article.body = "<p>None.</p>"
    article.save(update_fields=["body"])
    assert not ArticleBodyImage.objects.exists()


def test_expand_uses_the_story_caption_the_library_credit_and_every_rendition(make_image):
    image = make_image(caption="Library caption", credit="Courtesy of NBC")
    html = expand(clean_html(EDITOR_FIGURE.format(pk=image.pk)))
    [pic] = pictures(html)
    assert pic.img["alt"] == "Ferry"
    assert len(pic.sources) == 2
    assert '<span class="caption">Our <em>own</em> caption</span>' in html
    assert "Library caption" not in html and "Courtesy of NBC" in html
    assert "w960.0123456789.jpg" not in html


def test_expand_without_a_story_caption_uses_the_library_one(make_image):
    image = make_image(caption="Library caption")
    html = expand(f'<figure><img src="/media/a.jpg" alt="" data-file="{image.pk}"></figure>')
    assert "Library caption" in html
    assert pictures(html)[0].img["alt"] == image.alt_text


def test_bare_library_image_becomes_a_figure_or_inline_picture(make_image):
    image = make_image(credit="R. Snap")
    block = expand(f'<img src="/media/a.jpg" alt="" data-file="{image.pk}">')
    assert block.startswith('<figure class="image-figure body-figure">') and "R. Snap" in block
    inline = expand(f'<p>See <img src="/media/a.jpg" alt="" data-file="{image.pk}"> here</p>')
    assert inline.startswith("<p>See <picture>") and "<figure" not in inline
    assert "R. Snap" in inline and inline.endswith(" here</p>")


def test_other_markup_passes_through_unchanged():
    html = (
        '<p>Tom &amp; Ana&#39;s <a href="https://example.com/?a=1&amp;b=2">show</a></p>'
        '<figure><img src="/media/plain.jpg" alt="Plain"><figcaption>Hi</figcaption></figure>'
        "<ul><li>one</li></ul><br>"
    )
    assert expand(html) == html


def test_expand_queries_once_for_all_figures(make_image, django_assert_num_queries):
    images = [make_image() for _ in range(3)]
    html = "".join(
        f'<figure><img src="/media/a.jpg" alt="" data-file="{i.pk}"></figure>' for i in images
    )
    with django_assert_num_queries(1):
        out = expand(html)
    assert len(pictures(out)) == 3
