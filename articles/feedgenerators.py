"""Feed writers: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

Django's generators are extended rather than replaced, for what a news feed
needs and they lack: every author (one ``dc:creator`` or ``<author>`` each),
the full story HTML (``content:encoded``, Atom ``<content>``, ``content_html``),
an ``updated`` time on every Atom entry, and a WebSub hub link. Items carry
these extra keys from ``StoryFeed.item_extra_kwargs``:

``authors``       list of ``(name, absolute url)``
``content_html``  the sanitised body with absolute URLs (figures expanded)
``media``         the featured image for Media RSS ``<media:content>`` (RSS), or None
``image``, ``banner_image``  its URL and its 1200×630 crop's, for JSON Feed

The featured image also arrives as the item's enclosure (``item_enclosures``).

and feeds carry ``hub`` (a URL or None) from ``StoryFeed.feed_extra_kwargs``.
"""

import json
from html import escape

from django.utils import feedgenerator
from django.utils.feedgenerator import rfc2822_date, rfc3339_date

from common.text import strip_controls

DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
_MEDIA_ATTRIBUTES = ("url", "type", "medium", "width", "height", "fileSize")


def _xml_safe(value):
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_xml_safe(v) for v in value)
    return value


class XmlSafeMixin:
    """Strip characters XML 1.0 forbids from everything a feed writes (JSON Feed too,
    for the same output everywhere), so text
    stored before it was cleaned (or a reader's search query) cannot turn a
    feed into an error page."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *(_xml_safe(a) for a in args), **{k: _xml_safe(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *(_xml_safe(a) for a in args), **{k: _xml_safe(v) for k, v in kwargs.items()}
        )


class RssFeed(XmlSafeMixin, feedgenerator.Rss201rev2Feed):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The channel description is HTML to readers too; ours is plain text.
        self.feed["description"] = escape(self.feed["description"])

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:dc": DC,
            "xmlns:content": CONTENT,
            "xmlns:media": MEDIA,
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub"]})

    def add_item_elements(self, handler, item):
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", item["link"])
        if item["description"] is not None:
            # RSS readers render <description> as HTML; ours is plain text (the
            # standfirst), so it goes in escaped and shows exactly as written.
            handler.addQuickElement("description", escape(item["description"]))
        # RSS's own <author> must be an e-mail address; bylines are names.
        for name, _url in item.get("authors", ()):
            handler.addQuickElement("dc:creator", name)
        if item["pubdate"] is not None:
            handler.addQuickElement("pubDate", rfc2822_date(item["pubdate"]))
        handler.addQuickElement(
            "guid", item["unique_id"], {"isPermaLink": str(item["unique_id_is_permalink"]).lower()}
        )
        for enclosure in item["enclosures"][:1]:
            handler.addQuickElement(
                "enclosure",
                "",
                {"url": enclosure.url, "length": enclosure.length, "type": enclosure.mime_type},
            )
        if media := item.get("media"):
            # Only the credit inside: feedparser (and readers built on it) takes a
            # media:description or media:title for the item's own summary or content.
            handler.startElement("media:content", {k: media[k] for k in _MEDIA_ATTRIBUTES})
            if media["credit"]:
                handler.addQuickElement("media:credit", media["credit"])
            handler.endElement("media:content")
        for category in item["categories"]:
            handler.addQuickElement("category", category)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomFeed(XmlSafeMixin, feedgenerator.Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub"]})

    def add_item_elements(self, handler, item):
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", "", {"href": item["link"], "rel": "alternate"})
        handler.addQuickElement("id", item["unique_id"])
        if item["pubdate"] is not None:
            handler.addQuickElement("published", rfc3339_date(item["pubdate"]))
        # <updated> is required on every entry (RFC 4287 4.1.2).
        handler.addQuickElement("updated", rfc3339_date(item["updateddate"] or item["pubdate"]))
        for name, url in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item["description"]:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        for enclosure in item["enclosures"]:
            handler.addQuickElement(
                "link",
                "",
                {
                    "rel": "enclosure",
                    "href": enclosure.url,
                    "length": enclosure.length,
                    "type": enclosure.mime_type,
                },
            )
        for category in item["categories"]:
            handler.addQuickElement("category", "", {"term": category})


class JsonFeed(XmlSafeMixin, feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""

    content_type = "application/feed+json; charset=utf-8"
    version = "https://jsonfeed.org/version/1.1"

    def as_dict(self) -> dict:
        feed = self.feed
        data = {
            "version": self.version,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
        }
        if feed["author_name"]:
            data["authors"] = [{"name": feed["author_name"], "url": feed["author_link"]}]
        if feed.get("hub"):
            data["hubs"] = [{"type": "WebSub", "url": feed["hub"]}]
        data["items"] = [self.item_dict(item) for item in self.items]
        return {key: value for key, value in data.items() if value is not None}

    def item_dict(self, item) -> dict:
        data = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item.get("content_html") or "",
            "summary": item["description"],
            "date_published": item["pubdate"] and rfc3339_date(item["pubdate"]),
            "date_modified": item["updateddate"] and rfc3339_date(item["updateddate"]),
            "authors": [{"name": name, "url": url} for name, url in item.get("authors", ())],
            "tags": list(item["categories"]),
            "image": item.get("image"),
            "banner_image": item.get("banner_image"),
        }
        if item["enclosures"]:
            data["attachments"] = [
                {"url": e.url, "mime_type": e.mime_type, "size_in_bytes": int(e.length or 0)}
                for e in item["enclosures"]
            ]
        return {key: value for key, value in data.items() if value not in (None, [], "")}

    def write(self, outfile, encoding):
        json.dump(self.as_dict(), outfile, ensure_ascii=False, indent=None)


FORMATS = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}
