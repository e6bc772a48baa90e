"""Every feed on the site: a feed is a list of published stories about something.

``StoryFeed`` holds everything the feeds share — formats, dates, authors,
categories, GUIDs, full content, conditional GET, cache headers, the WebSub hub
— and each feed below differs only in its object, its stories and its words.
"""

import copy
import hashlib
import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    DateTimeField,
    Max,
    OuterRef,
    Prefetch,
    StringAgg,
    Subquery,
    TextField,
    Value,
)
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.html import strip_tags
from django.utils.http import http_date
from django.utils.text import Truncator
from taggit.models import Tag

from articles.feedgenerators import FORMATS
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleBodyImage,
    ArticleCharacter,
    ArticlePerson,
    ArticleShow,
    Author,
    Section,
)
from articles.sanitize import absolute_html
from common.cache import public_page
from common.site import absolute, host, origin
from images import markup, richtext
from people.models import Character, Person
from shows.models import Show

# Joins entity names inside one SQL aggregate; never appears in a name.
_SEPARATOR = "\x1f"


def _names(link_model, field):
    """The names of the people, characters or shows a story links to, as one string."""
    names = (
        link_model.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(names=StringAgg(field, Value(_SEPARATOR)))
        .values("names")
    )
    return Subquery(names, output_field=TextField())


def _body_images_changed():
    """When a picture inside the story's text last changed (its credit, caption, crop)."""
    changed = (
        ArticleBodyImage.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(at=Max("image__updated_at"))
        .values("at")
    )
    return Subquery(changed, output_field=DateTimeField())


def story_guid(article, request=None) -> str:
    """A tag: URI that survives headline, slug and date edits (RFC 4151)."""
    return f"tag:{host(request)},{article.created_at:%Y-%m-%d}:article:{article.pk}"


class StoryFeed(Feed):
    """The shared base. Subclasses set ``url_name`` and implement ``get_object``
    (404 when missing), ``get_stories(obj)``, ``title``, ``description`` and
    ``page_url``; ``allow_empty = False`` makes a feed with nothing published a 404."""

    url_name = None
    allow_empty = True
    language = "en"

    def __init__(self, format="rss"):
        self.format = format
        self.feed_type = FORMATS[format]

    # --- the request --------------------------------------------------------------
    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every request for its URL; work on a copy so
        # per-request state (request, object, stories) never leaks between threads.
        feed = copy.copy(self)
        feed.request = request
        return feed.respond(request, *args, **kwargs)

    def respond(self, request, *args, **kwargs):
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("No such feed.") from None
        self.stories = self.get_stories(obj).published().newest_first()
        etag, last_modified = self.validators(obj)
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified and int(last_modified.timestamp())
        )
        if response is None:
            generator = self.get_feed(obj, request)
            response = HttpResponse(content_type=generator.content_type)
            generator.write(response, "utf-8")
        response.headers["ETag"] = etag
        if last_modified:
            response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        # Feed readers may keep it this long; the page cache adds what a CDN may do.
        patch_cache_control(response, public=True, max_age=settings.NEWSROOM_FEED_CACHE_SECONDS)
        links = [f'<{self.feed_url(obj)}>; rel="self"']
        if settings.NEWSROOM_WEBSUB_HUB:
            links.append(f'<{settings.NEWSROOM_WEBSUB_HUB}>; rel="hub"')
        response.headers["Link"] = ", ".join(links)
        return response

    def validators(self, obj):
        """ETag and Last-Modified from one small query: which stories the feed
        holds and when each last changed. A scheduled story coming due, an edit,
        a correction, an unpublished story, or a change to a story's pictures (a
        corrected credit, a new crop) all change it."""
        rows = list(
            self.stories.annotate(body_images_at=_body_images_changed()).values_list(
                "pk",
                "publish_at",
                "modified_at",
                "updated_at",
                "featured_image__updated_at",
                "body_images_at",
            )[: settings.NEWSROOM_FEED_ITEMS]
        )
        if not rows and not self.allow_empty:
            raise Http404("Nothing published here yet.")
        fingerprint = repr(
            (self.format, self.request.get_full_path(), settings.NEWSROOM_NAME, rows)
        )
        etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
        moments = [moment for row in rows for moment in row[1:] if moment]
        return etag, max(moments, default=None)

    # --- what every feed shares ------------------------------------------------------
    def items(self, obj):
        return (
            self.stories.select_related("section", "featured_image")
            .with_body_images()
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")),
                "tags",
            )
            .annotate(
                person_names=_names(ArticlePerson, "person__name"),
                character_names=_names(ArticleCharacter, "character__name"),
                show_names=_names(ArticleShow, "show__title"),
            )[: settings.NEWSROOM_FEED_ITEMS]
        )

    def link(self, obj):
        return absolute(self.page_url(obj), self.request)

    def feed_url(self, obj):
        return absolute(self.request.path, self.request)

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def author_name(self, obj):
        return settings.NEWSROOM_NAME

    def author_link(self, obj):
        return origin(self.request) + "/"

    def feed_extra_kwargs(self, obj):
        return {"hub": settings.NEWSROOM_WEBSUB_HUB or None}

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        if item.dek:
            return item.dek
        return Truncator(html.unescape(strip_tags(item.body))).words(50, truncate="…")

    def item_link(self, item):
        return absolute(item.get_absolute_url(), self.request)

    def item_guid(self, item):
        return story_guid(item, self.request)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(filter(None, [item.publish_at, item.updated_at]))

    def item_categories(self, item):
        names = [tag.name for tag in item.tags.all()]
        for joined in (item.person_names, item.character_names, item.show_names):
            names.extend(joined.split(_SEPARATOR) if joined else [])
        return list(dict.fromkeys(names))

    def item_enclosures(self, item):
        # The featured image: RSS <enclosure>, Atom rel="enclosure", a JSON Feed attachment.
        enclosure = markup.enclosure(item.featured_image, self.request)
        return [enclosure] if enclosure else []

    def item_extra_kwargs(self, item):
        page = self.item_link(item)
        # Library figures become credited, responsive pictures (as on the page), then
        # every link, image and srcset candidate is made absolute.
        body = richtext.expand(item.body, item.body_images) if item.body else ""
        content = absolute_html(body, page) if body else ""
        media = markup.media_content(item.featured_image, self.request)
        banner = markup.og_image(item.featured_image, self.request)
        return {
            "authors": [
                (b.author.name, absolute(b.author.get_absolute_url(), self.request))
                for b in item.bylines.all()
            ],
            # The standfirst is plain text: escaped, never trusted as HTML.
            "content_html": content or f"<p>{html.escape(self.item_description(item))}</p>",
            "media": media,
            "image": media["url"] if media else None,
            "banner_image": banner["url"] if banner else None,
        }

    # --- per feed ------------------------------------------------------------------
    def get_stories(self, obj):
        raise NotImplementedError

    def page_url(self, obj):
        return obj.get_absolute_url()

    def title(self, obj):
        return f"{settings.NEWSROOM_NAME}: {obj}"

    @classmethod
    def urls(cls, prefix, name):
        """``prefix/feed/``, ``prefix/feed/atom/`` and ``prefix/feed/json/``."""
        return [
            path(f"{prefix}feed/", public_page(cls("rss")), name=name),
            path(f"{prefix}feed/atom/", public_page(cls("atom")), name=f"{name}_atom"),
            path(f"{prefix}feed/json/", public_page(cls("json")), name=f"{name}_json"),
        ]


class SiteFeed(StoryFeed):
    def get_stories(self, obj):
        return Article.objects.all()

    def page_url(self, obj):
        return "/"

    def title(self, obj):
        return settings.NEWSROOM_NAME

    def description(self, obj):
        return f"The latest stories from {settings.NEWSROOM_NAME}."


class SectionFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def get_stories(self, section):
        return section.articles.all()

    def description(self, section):
        return section.description or f"The latest {section.name} stories."


class TagFeed(StoryFeed):
    allow_empty = False

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def get_stories(self, tag):
        return Article.objects.about(tag)

    def page_url(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def title(self, tag):
        return f"{settings.NEWSROOM_NAME}: stories tagged “{tag.name}”"

    def description(self, tag):
        return f"Stories tagged “{tag.name}”."


class AuthorFeed(StoryFeed):
    allow_empty = False

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def get_stories(self, author):
        return Article.objects.about(author)

    def title(self, author):
        return f"{settings.NEWSROOM_NAME}: stories by {author.name}"

    def description(self, author):
        return f"Stories by {author.name}."


class PersonFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Person, slug=slug)

    def get_stories(self, person):
        return Article.objects.about(person)

    def title(self, person):
        return f"{settings.NEWSROOM_NAME}: {person.name}"

    def description(self, person):
        return f"Everything about {person.name}."


class CharacterFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Character.objects.select_related("show"), slug=slug)

    def get_stories(self, character):
        return Article.objects.about(character)

    def title(self, character):
        return f"{settings.NEWSROOM_NAME}: {character.name} ({character.show.title})"

    def description(self, character):
        return f"Everything about {character.name} in {character.show.title}."


class ShowFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Show, slug=slug)

    def get_stories(self, show):
        return Article.objects.about(show)

    def title(self, show):
        return f"{settings.NEWSROOM_NAME}: {show.title}"

    def description(self, show):
        return f"Everything about {show.title}."
