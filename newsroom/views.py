"""Site-wide pages: home, robots.txt and the error pages (search: newsroom.search)."""

import logging
import sys

from django.conf import settings
from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from articles.models import Article
from articles.navigation import nav_sections
from common.seo import CONTEXT, publisher
from common.site import absolute
from common.views import PageMixin
from people.models import Person
from shows.models import Show

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
LATEST = 8
RAIL = 4
IN_THE_NEWS = 8
# "In the news" counts mentions in this many of the newest stories, so the home
# page costs the same with a thousand stories or a million.
NEWS_WINDOW = 100


def rail_ids(sections, shown) -> RawSQL:
    """The ids of each section's newest RAIL stories not already ``shown``, as one
    subquery: a ``LIMIT`` per section (article_section_published_idx), joined with
    UNION ALL. Each part is compiled by the ORM from ``published()``; the union is
    written out because SQLite takes a LIMIT in a union only inside a subquery,
    and because the obvious ``pk IN (…) OR pk IN (…)`` makes PostgreSQL filter
    every published story instead of looking up twenty."""
    newest = Article.objects.published().exclude(pk__in=shown).newest_first()
    parts, params = [], []
    for section in sections:
        sql, part_params = (
            newest.filter(section_id=section["id"]).values("pk")[:RAIL].query.sql_with_params()
        )
        parts.append(f"SELECT * FROM ({sql}) AS rail_{len(parts)}")
        params.extend(part_params)
    return RawSQL(" UNION ALL ".join(parts), params)


def rail_sizes(rails: int) -> str:
    """``sizes`` for the picture on each rail's first card. site.css lays the rails out as
    ``repeat(auto-fit, minmax(16rem, 1fr))`` with 2.5rem gaps in a 75rem-wide page, so on
    a wide screen there are min(rails, 4) columns, wider when there are fewer rails."""
    columns = max(1, min(rails, 4))
    wide = (75 - (columns - 1) * 2.5) / columns
    return (
        f"(min-width: 80rem) {wide:g}rem, "
        f"(min-width: 62em) calc((100vw - {5 + (columns - 1) * 2.5:g}rem) / {columns}), "
        "(min-width: 40em) 45vw, calc(100vw - 2rem)"
    )


class HomeView(PageMixin, TemplateView):
    """Lead story, the latest, one rail per section, and who is in the news."""

    template_name = "home.html"

    def get_json_ld(self, context):
        return {
            "@context": CONTEXT,
            "@type": "WebSite",
            "name": settings.NEWSROOM_NAME,
            "url": absolute("/", self.request),
            "publisher": publisher(self.request),
            "potentialAction": {
                "@type": "SearchAction",
                "target": absolute(reverse("search"), self.request) + "?q={query}",
                "query-input": "required name=query",
            },
        }

    def get_context_data(self, **kwargs):
        top = list(Article.objects.for_cards()[: LATEST + 1])
        shown = [story.pk for story in top]
        sections = nav_sections()
        rails = {section["id"]: {"stories": []} for section in sections}
        if sections:
            for story in Article.objects.for_cards().filter(pk__in=rail_ids(sections, shown)):
                rails[story.section_id]["section"] = story.section
                rails[story.section_id]["stories"].append(story)
        recent = Article.objects.published().newest_first().values("pk")[:NEWS_WINDOW]
        people = (
            Person.objects.filter(articles__in=recent)
            .select_related("headshot")
            .annotate(mentions=Count("articles"))
            .order_by("-mentions", "sort_name")[:IN_THE_NEWS]
        )
        shows = (
            Show.objects.filter(articles__in=recent)
            .select_related("poster")
            .annotate(mentions=Count("articles"))
            .order_by("-mentions", "sort_title")[:IN_THE_NEWS]
        )
        return super().get_context_data(
            lead=top[0] if top else None,
            latest=top[1:],
            # In menu order (position, then name), as nav_sections() lists them.
            rails=[rail for rail in rails.values() if rail["stories"]],
            rail_sizes=rail_sizes(sum(1 for rail in rails.values() if rail["stories"])),
            people_in_news=people,
            shows_in_news=shows,
            **kwargs,
        )


@require_safe
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('search')}",
        "",
        f"Sitemap: {absolute(reverse('sitemap-index'), request)}",
        f"Sitemap: {absolute(reverse('news-sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def trivial(request):
    """The load benchmarks' yardstick: the whole middleware stack, no template, no
    query. Mounted only when NEWSROOM_BENCH_TRIVIAL_VIEW is set, never in production."""
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request, template_name="500.html"):
    """The 500 page in the site's style, rendered without touching the database
    (no context processors: whatever broke may be the database).

    When what broke IS the database (down, restarting, unreachable, locked), the
    answer is 503 with Retry-After: the outage is temporary, readers get a
    friendly page, crawlers and caches come back later, and the next request
    reconnects on its own (CONN_HEALTH_CHECKS) once the database is back.
    """
    error = sys.exc_info()[1]
    context = {"SITE_NAME": settings.NEWSROOM_NAME, "error_page": True}
    if isinstance(error, (OperationalError, InterfaceError)):
        logger.error("Database unavailable, answering 503: %s", error)
        body = loader.get_template("503.html").render(context)
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    body = loader.get_template(template_name).render(context)
    return HttpResponseServerError(body)
