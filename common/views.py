"""View helpers shared by the apps."""

from django.http import QueryDict
from django.urls import reverse
from django.views.generic import ListView

from common.paging import CountlessPaginator
from common.site import absolute
from images import markup

FEED_FORMATS = (
    ("", "application/rss+xml", "RSS"),
    ("_atom", "application/atom+xml", "Atom"),
    ("_json", "application/feed+json", "JSON Feed"),
)


def feed_links(url_name: str, label: str, **kwargs) -> list[dict]:
    """The RSS, Atom and JSON Feed links for one feed, for ``<link rel="alternate">``."""
    return [
        {
            "url": reverse(f"{url_name}{suffix}", kwargs=kwargs),
            "type": mime,
            "title": f"{label} ({name})",
            "format": name,
        }
        for suffix, mime, name in FEED_FORMATS
    ]


class PageMixin:
    """What every public page tells the base template: canonical URL, feeds, JSON-LD.

    ``feed_url_name``/``get_feed_kwargs``/``get_feed_label`` name the page's own
    feed; the site feed is added by the base template for every page.
    """

    feed_url_name = None
    # Query parameters that make a different page (kept in the canonical URL).
    canonical_params = ()

    def get_feed_kwargs(self):
        return {"slug": self.kwargs["slug"]}

    def get_feed_label(self):
        return str(self.subject)

    def get_feeds(self):
        if not self.feed_url_name:
            return []
        return feed_links(self.feed_url_name, self.get_feed_label(), **self.get_feed_kwargs())

    def get_canonical_url(self, context):
        query = QueryDict(mutable=True)
        for name in self.canonical_params:
            if self.request.GET.get(name):
                query[name] = self.request.GET[name]
        page = context.get("page_obj")
        if page is not None and page.number > 1:
            query["page"] = page.number
        path = self.request.path + (f"?{query.urlencode()}" if query else "")
        return absolute(path, self.request)

    def get_json_ld(self, context):
        return None

    def get_og_image(self, context):
        """The library image that stands for this page when shared, or None."""
        return None

    page_title = ""
    page_description = ""
    og_type = "website"

    def get_page_title(self, context):
        return self.page_title or (str(self.subject) if hasattr(self, "subject") else "")

    def get_page_description(self, context):
        return self.page_description

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("feeds", self.get_feeds())
        context.setdefault("canonical_url", self.get_canonical_url(context))
        context.setdefault("json_ld", self.get_json_ld(context))
        context.setdefault("page_title", self.get_page_title(context))
        context.setdefault("page_description", self.get_page_description(context))
        context.setdefault("og_type", self.og_type)
        # The 1200×630 crop for og:image and twitter:image (base.html), when there is one.
        context.setdefault("og_image", markup.og_image(self.get_og_image(context), self.request))
        return context


class StoryListView(PageMixin, ListView):
    """A paginated list of published stories about one thing (section, tag, person…).

    Subclasses set ``template_name`` and implement ``get_subject`` (the object,
    404 when missing) and ``get_stories(subject)`` (a queryset of stories
    that already went through ``published()``). ``?page=abc`` and a page past
    the end are 404 (ListView's paginator does that).
    """

    paginate_by = 20
    context_object_name = "stories"
    # "Page 3", not "Page 3 of 1,204": no count of every story (common.paging).
    paginator_class = CountlessPaginator

    def get_subject(self):
        raise NotImplementedError

    def get_stories(self, subject):
        raise NotImplementedError

    def get_queryset(self):
        self.subject = self.get_subject()
        return self.get_stories(self.subject)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)
