"""The public page types the tests visit, found in the demo content, and a reader
of what a page's <head> tells crawlers."""

import json
from html.parser import HTMLParser


def page_types():
    """One URL for every public page type, from the demo content."""
    from articles.models import Article, Author, Section
    from people.models import Character, Person
    from shows.models import Show

    article = Article.objects.published().filter(corrections__isnull=False).first()
    when = article.publish_at
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": Section.objects.get(slug="tv").get_absolute_url(),
        "tag": "/tags/soaps/",
        "author": Author.objects.get(slug="dana-whitcombe").get_absolute_url(),
        "archive": f"/archive/{when:%Y}/{when:%m}/",
        "person": Person.objects.get(slug="ruth-abernathy").get_absolute_url(),
        "character": Character.objects.get(slug="caleb-marsh").get_absolute_url(),
        "show": Show.objects.get(slug="harbor-lights").get_absolute_url(),
        "people-index": "/people/",
        "shows-index": "/shows/",
        "search": "/search/?q=harbor",
        "not-found": "/no-such-page/",
    }


class Head(HTMLParser):
    """Collects <link>, <meta> and JSON-LD blocks from a page."""

    def __init__(self):
        super().__init__()
        self.links, self.meta, self.json_ld, self._in_ld = [], {}, [], False
        self.h1 = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, attrs.get("content"))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
        elif tag == "h1":
            self.h1 += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))


def parse(response) -> Head:
    head = Head()
    head.feed(response.content.decode())
    return head
