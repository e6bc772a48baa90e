"""Site-wide pages: home, search, robots.txt and the error pages."""

from django.conf import settings
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import ListView, TemplateView

from articles.models import Article
from common.seo import CONTEXT, publisher
from common.site import absolute
from common.views import PageMixin
from people.models import Person
from shows.models import Show

LATEST = 8
RAIL = 4
IN_THE_NEWS = 8


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
        ranked = (
            Article.objects.for_cards()
            .filter(section__isnull=False)
            .exclude(pk__in=shown)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("section_id"),
                    order_by=[F("publish_at").desc(), F("id").desc()],
                )
            )
            .filter(rank__lte=RAIL)
        )
        rails = {}
        for story in ranked:
            rails.setdefault(story.section_id, {"section": story.section, "stories": []})
            rails[story.section_id]["stories"].append(story)
        published = Article.objects.published()
        people = (
            Person.objects.filter(articles__in=published)
            .select_related("headshot")
            .annotate(mentions=Count("articles"))
            .order_by("-mentions", "sort_name")[:IN_THE_NEWS]
        )
        shows = (
            Show.objects.filter(articles__in=published)
            .select_related("poster")
            .annotate(mentions=Count("articles"))
            .order_by("-mentions", "sort_title")[:IN_THE_NEWS]
        )
        return super().get_context_data(
            lead=top[0] if top else None,
            latest=top[1:],
            rails=sorted(rails.values(), key=lambda r: (r["section"].position, r["section"].name)),
            rail_sizes=rail_sizes(len(rails)),
            people_in_news=people,
            shows_in_news=shows,
            **kwargs,
        )


class SearchView(PageMixin, ListView):
    """A plain headline and standfirst search until full-text search lands."""

    template_name = "search.html"
    page_title = "Search"
    context_object_name = "stories"
    paginate_by = 20
    canonical_params = ("q",)
    max_query = 200

    def get_query(self) -> str:
        return " ".join(self.request.GET.get("q", "").split())[: self.max_query]

    def get_queryset(self):
        query = self.get_query()
        if not query:
            return Article.objects.none()
        return Article.objects.filter(
            Q(headline__icontains=query) | Q(dek__icontains=query)
        ).for_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.get_query(), **kwargs)


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


def server_error(request, template_name="500.html"):
    """The 500 page in the site's style, rendered without touching the database
    (no context processors: whatever broke may be the database)."""
    template = loader.get_template(template_name)
    body = template.render({"SITE_NAME": settings.NEWSROOM_NAME, "error_page": True})
    return HttpResponseServerError(body)
