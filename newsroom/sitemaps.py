"""``/sitemap.xml`` (an index), its sections, and ``/news-sitemap.xml``.

Sections: stories by month (``articles-2026-11``), sections, tags, authors,
people, characters and shows. Every story list goes through ``published()``,
so a draft or a scheduled story is never listed before its time.
"""

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap, x_robots_tag
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles.models import Article, Author, Section
from common.site import absolute, origin
from people.models import Character, Person
from shows.models import Show

NEWS_WINDOW = datetime.timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per news sitemap.


class SiteSitemap(Sitemap):
    """Absolute URLs by the site's one rule (common.site), not Django's sites framework."""

    request = None

    def get_protocol(self, protocol=None):
        return origin(self.request).split("://", 1)[0]

    def get_domain(self, site=None):
        return origin(self.request).split("://", 1)[1]


class MonthSitemap(SiteSitemap):
    def __init__(self, year, month):
        zone = timezone.get_current_timezone()
        self.start = datetime.datetime(year, month, 1, tzinfo=zone)
        following = self.start + datetime.timedelta(days=32)
        self.end = datetime.datetime(following.year, following.month, 1, tzinfo=zone)

    def items(self):
        return (
            Article.objects.published()
            .filter(publish_at__gte=self.start, publish_at__lt=self.end)
            .order_by("publish_at", "id")
            .only("slug", "publish_at", "updated_at", "created_at")
        )

    def lastmod(self, article):
        return max(filter(None, [article.publish_at, article.updated_at]))


class SectionSitemap(SiteSitemap):
    def items(self):
        return Section.objects.order_by("position", "name")


class TagSitemap(SiteSitemap):
    def items(self):
        return (
            Tag.objects.filter(tagged_articles__in=Article.objects.published())
            .distinct()
            .order_by("slug")
        )

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(SiteSitemap):
    def items(self):
        return (
            Author.objects.filter(articles__in=Article.objects.published())
            .distinct()
            .order_by("slug")
        )


class EntitySitemap(SiteSitemap):
    model = None

    def items(self):
        return self.model.objects.order_by("slug")

    def lastmod(self, record):
        return record.updated_at


class PersonSitemap(EntitySitemap):
    model = Person


class CharacterSitemap(EntitySitemap):
    model = Character


class ShowSitemap(EntitySitemap):
    model = Show


STATIC_SECTIONS = {
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "people": PersonSitemap,
    "characters": CharacterSitemap,
    "shows": ShowSitemap,
}


def story_months():
    """Months with published stories, newest first, in the newsroom's time zone."""
    return Article.objects.published().datetimes("publish_at", "month", order="DESC")


class SitemapRegistry(Mapping):
    """The sections Django's sitemap view looks up; the month keys
    (``articles-2026-11``) are worked out from the published stories."""

    def __init__(self, request):
        self.request = request

    def _build(self, cls, *args):
        sitemap = cls(*args)
        sitemap.request = self.request
        return sitemap

    def __getitem__(self, key):
        if key in STATIC_SECTIONS:
            return self._build(STATIC_SECTIONS[key])
        prefix, _, rest = key.partition("-")
        year, _, month = rest.partition("-")
        if prefix != "articles" or not (year.isdigit() and month.isdigit()):
            raise KeyError(key)
        year, month = int(year), int(month)
        if not 1 <= month <= 12 or not 1900 <= year <= 2200:
            raise KeyError(key)
        sitemap = self._build(MonthSitemap, year, month)
        if not sitemap.items().exists():
            raise KeyError(key)
        return sitemap

    def __contains__(self, key):
        try:
            self[key]
        except KeyError:
            return False
        return True

    def keys_(self):
        months = [f"articles-{m:%Y-%m}" for m in story_months()]
        return [*months, *STATIC_SECTIONS]

    def __iter__(self):
        return iter(self.keys_())

    def __len__(self):
        return len(self.keys_())


@require_safe
@x_robots_tag
@cache_control(public=True, max_age=3600)
def index(request):
    sitemaps = []
    for month in story_months():
        last = (
            Article.objects.published()
            .filter(publish_at__gte=month, publish_at__lt=_next_month(month))
            .aggregate(latest=Max("publish_at"), updated=Max("updated_at"))
        )
        sitemaps.append(
            {
                "location": absolute(
                    reverse("sitemap-section", kwargs={"section": f"articles-{month:%Y-%m}"}),
                    request,
                ),
                "last_mod": max(filter(None, [last["latest"], last["updated"]])),
            }
        )
    for section in STATIC_SECTIONS:
        sitemaps.append(
            {
                "location": absolute(
                    reverse("sitemap-section", kwargs={"section": section}), request
                ),
                "last_mod": None,
            }
        )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": sitemaps}, content_type="application/xml"
    )


def _next_month(moment):
    following = moment + datetime.timedelta(days=32)
    return following.replace(day=1)


@require_safe
@cache_control(public=True, max_age=3600)
def section(request, section):
    return sitemap(request, sitemaps=SitemapRegistry(request), section=section)


@require_safe
@x_robots_tag
@cache_control(public=True, max_age=300)
def news(request):
    """Google News sitemap: stories first published in the last 48 hours."""
    now = timezone.now()
    stories = (
        Article.objects.published(now)
        .filter(publish_at__gte=now - NEWS_WINDOW)
        .newest_first()
        .only("headline", "slug", "publish_at", "created_at")[:NEWS_LIMIT]
    )
    return TemplateResponse(
        request,
        "news_sitemap.xml",
        {
            "stories": [
                {"url": absolute(s.get_absolute_url(), request), "article": s} for s in stories
            ],
            "publication": settings.NEWSROOM_NAME,
            "language": settings.LANGUAGE_CODE.split("-")[0],
        },
        content_type="application/xml",
    )
