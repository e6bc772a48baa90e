import pytest

from articles.sanitize import absolute_html, clean_html, paragraphs_to_html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src=x onerror="alert(1)">',
        '<p onmouseover="alert(1)">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="  javascript:alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        "<style>@import 'evil.css'</style>",
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><script>alert(1)</script></mtext></math>",
        '<iframe src="javascript:alert(1)"></iframe>',
        '<object data="evil.swf"></object>',
        '<form action="https://evil.example"><input name=x></form>',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<base href="https://evil.example/">',
        "<!--<script>alert(1)</script>-->",
        '<p title="x" onclick="alert(1)" id="y" class="z">x</p>',
        '<img src="/media/x.jpg" onload="alert(1)">',
        "<scr<script>ipt>alert(1)</script>",
        '<a href="https://example.com" onclick="alert(1)" target="_blank">x</a>',
    ],
)
def test_nothing_executable_survives(hostile):
    cleaned = clean_html(hostile).lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "onmouseover",
        "javascript:",
        "vbscript:",
        "data:",
        "<style",
        "style=",
        "<svg",
        "<math",
        "<iframe",
        "<object",
        "<form",
        "<meta",
        "<base",
        "target=",
        "<!--",
        "alert(1)</",
    ):
        assert needle not in cleaned, (hostile, cleaned)


def test_allowed_structure_is_kept():
    html = (
        "<h2>Sub</h2><h3>Subsub</h3><h4>Minor</h4><p><em>e</em> <strong>s</strong><br>x</p>"
        '<ul><li>a</li></ul><ol start="3"><li>b</li></ol><blockquote><p>q</p></blockquote>'
        '<p><a href="https://example.com/a" title="t">link</a> '
        '<a href="mailto:desk@example.com">m</a></p>'
    )
    cleaned = clean_html(html)
    for kept in (
        "<h2>Sub</h2>",
        "<h4>Minor</h4>",
        "<em>e</em>",
        "<strong>s</strong>",
        "<br>",
        '<ol start="3">',
        "<blockquote>",
        'title="t"',
        "mailto:desk@example.com",
    ):
        assert kept in cleaned


def test_headings_outside_h2_to_h4_lose_their_tag_but_keep_text():
    assert clean_html("<h1>Big</h1><h5>Small</h5>") == "BigSmall"


def test_images_only_from_our_own_media():
    assert (
        clean_html('<img src="/media/images/a.jpg" alt="A">')
        == '<img src="/media/images/a.jpg" alt="A">'
    )
    assert "src" not in clean_html('<img src="https://elsewhere.example/a.jpg" alt="A">')
    assert "src" not in clean_html('<img src="/media/../etc/passwd" alt="A">')
    assert "src" not in clean_html('<img src="/static/x.png">')


def test_clean_is_idempotent_and_empty_editor_is_empty():
    html = '<p>A &amp; B “quoted” — <a href="https://x.example">x</a></p>'
    once = clean_html(html)
    assert clean_html(once) == once
    assert clean_html("<p></p>") == ""
    assert clean_html(None) == ""


def test_plain_text_paragraphs_are_escaped():
    assert paragraphs_to_html(["a < b & c", "<script>"]) == (
        "<p>a &lt; b &amp; c</p><p>&lt;script&gt;</p>"
    )


def test_feed_html_keeps_expanded_pictures_as_img_with_absolute_srcset():
    expanded = (
        '<figure class="image-figure"><picture>'
        '<source type="image/avif" srcset="/media/a-320.avif 320w, /media/a-640.avif 640w">'
        '<img src="/media/a-640.jpg" srcset="/media/a-320.jpg 320w, /media/a-640.jpg 640w" '
        'sizes="100vw" width="640" height="360" alt="A dock" loading="lazy"></picture>'
        '<figcaption><span class="caption">Cap</span> <small class="credit">NBC</small>'
        "</figcaption></figure>"
    )
    assert absolute_html(expanded, "https://news.example.com/2026/11/26/story/") == (
        '<figure><img src="https://news.example.com/media/a-640.jpg" '
        'srcset="https://news.example.com/media/a-320.jpg 320w, '
        'https://news.example.com/media/a-640.jpg 640w" '
        'sizes="100vw" width="640" height="360" alt="A dock">'
        "<figcaption><span>Cap</span> <small>NBC</small></figcaption></figure>"
    )


@pytest.mark.parametrize(
    "srcset",
    [
        "https://evil.example/x.jpg 640w",  # not our media
        "/media/a.jpg 640w, javascript:alert(1) 2w",  # one bad candidate spoils it
        "/media/a.jpg 2x",  # only width descriptors are made
        "/media/../secret.jpg 640w",
    ],
)
def test_feed_html_drops_a_srcset_that_is_not_all_our_media(srcset):
    html = f'<img src="/media/a.jpg" srcset="{srcset}" alt="">'
    assert absolute_html(html, "https://news.example.com/") == (
        '<img src="https://news.example.com/media/a.jpg" alt="">'
    )


def test_stored_html_never_keeps_srcset_or_picture():
    html = (
        '<picture><source srcset="/media/a.avif 1w">'
        '<img src="/media/a.jpg" srcset="/media/a.jpg 1w" alt=""></picture>'
    )
    assert clean_html(html) == '<img src="/media/a.jpg" alt="">'
