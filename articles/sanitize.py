"""The one allowlist for story HTML.

Every way a body gets in — the admin's rich-text editor, the importers, a
script calling ``Article.save()`` — passes through :func:`clean_html`, so
whatever a browser posts, no script, style, event handler or ``javascript:``/
``data:`` URL survives.
"""

import html
from functools import cache, lru_cache
from urllib.parse import urljoin, urlsplit

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "em",
    "strong",
    "br",
    "figure",
    "figcaption",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # data-file: the media library id of a picture inserted with the editor's figure dialog
    # (images.richtext renders it as a credited, responsive <picture>).
    "img": {"src", "alt", "width", "height", "data-file"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# Tags whose *content* is dropped along with the tag (nh3 would otherwise keep
# the text of e.g. <style> as visible junk).
CLEAN_CONTENT_TAGS = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math"}


def _own_media(url: str) -> bool:
    """True for image URLs served from our own media storage."""
    media = settings.MEDIA_URL
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        # An absolute URL is ours only when MEDIA_URL itself is absolute (S3/CDN).
        return bool(urlsplit(media).netloc) and url.startswith(media)
    return url.startswith(media) and ".." not in parts.path


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _own_media(value) else None
    if tag == "img" and attribute == "data-file":
        return value if value.isdigit() and len(value) <= 18 else None
    if tag == "img" and attribute in {"width", "height"}:
        return value if value.isdigit() and 0 < int(value) <= 10000 else None
    if tag == "ol" and attribute == "start":
        return value if value.isdigit() else None
    return value


# Feeds carry story HTML after images.richtext.expand has turned library figures into
# responsive pictures. Feed readers sanitise <picture> away (feedparser does), leaving stray
# AVIF/WebP <source>s, so feeds get the <img> alone: the JPEG/PNG fallback with its srcset
# and sizes, which every reader can show; plus the caption and credit's <span>/<small>.
# Never used for what is stored.
FEED_TAGS = ALLOWED_TAGS | {"span", "small"}
FEED_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "img": ALLOWED_ATTRIBUTES["img"] | {"srcset", "sizes"}}


def _make_cleaner(attribute_filter, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES):
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=attributes,
        attribute_filter=attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@cache
def _cleaner() -> nh3.Cleaner:
    return _make_cleaner(_filter_attribute)


def _absolute_srcset(value: str, base: str) -> str | None:
    """A ``srcset`` with every candidate's URL made absolute; None (dropped) unless every
    candidate is an image from our own media with a width descriptor."""
    candidates = []
    for candidate in value.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        descriptor = descriptor.strip()
        if not _own_media(url) or not (descriptor[:-1].isdigit() and descriptor.endswith("w")):
            return None
        candidates.append(f"{urljoin(base, url)} {descriptor}")
    return ", ".join(candidates) or None


@lru_cache(maxsize=8)
def _absolute_cleaner(base: str) -> nh3.Cleaner:
    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "srcset":
            return _absolute_srcset(value, base)
        value = _filter_attribute(tag, attribute, value)
        if value is not None and attribute in {"href", "src"}:
            value = urljoin(base, value)
        return value

    return _make_cleaner(absolute, FEED_TAGS, FEED_ATTRIBUTES)


def clean_html(value: str) -> str:
    """Sanitise story HTML to the allowlist. Idempotent."""
    cleaned = _cleaner().clean(value or "").strip()
    # ProseMirror always sends at least one empty paragraph for an empty editor.
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


def absolute_html(value: str, base: str) -> str:
    """Story HTML for use off the site (feeds): the same allowlist plus the
    ``<img srcset sizes>`` that expanded figures keep (``FEED_TAGS``), with every
    link, image and ``srcset`` candidate made absolute against ``base``
    (``https://host/path/``)."""
    return _absolute_cleaner(base).clean(value or "").strip()


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs (wire copy) as escaped ``<p>`` HTML."""
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
