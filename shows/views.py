from django.db.models import F
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from common.alphabet import AlphabetMixin
from common.views import PageMixin, StoryListView
from shows import seo
from shows.models import Show


class ShowIndexView(AlphabetMixin, PageMixin, ListView):
    template_name = "shows/show_index.html"
    context_object_name = "shows"
    model = Show
    letter_field = "sort_title"
    page_title = "Shows A–Z"

    def get_queryset(self):
        return self.filter_letter(Show.objects.order_by("sort_title", "start_year"))


class ShowDetailView(StoryListView):
    """A show: kind, network, years, cast and crew, and its stories (paginated)."""

    template_name = "shows/show_detail.html"
    feed_url_name = "articles:show_feed"

    def get_subject(self):
        return get_object_or_404(Show.objects.select_related("poster"), slug=self.kwargs["slug"])

    def get_stories(self, show):
        return show.articles.model.objects.about(show).for_cards()

    def get_feed_label(self):
        return self.subject.title

    def get_page_title(self, context):
        return self.subject.title

    def get_page_description(self, context):
        return self.subject.synopsis or f"{self.subject.title}: cast, credits and the latest news."

    def get_og_image(self, context):
        return self.subject.poster

    def get_json_ld(self, context):
        return seo.show(self.subject, context["cast"] + context["crew"], self.request)

    def get_context_data(self, **kwargs):
        credits = list(
            self.subject.credits.select_related("person", "character").order_by(
                F("billing_order").asc(nulls_last=True), "start_year", "id"
            )
        )
        on_screen = {"actor", "guest", "voice", "self", "host"}
        kwargs["cast"] = [c for c in credits if c.role in on_screen]
        kwargs["crew"] = [c for c in credits if c.role not in on_screen]
        return super().get_context_data(show=self.subject, **kwargs)
