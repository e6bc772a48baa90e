from django.views.generic import DetailView, ListView

from shows.models import Show


class ShowIndexView(ListView):
    template_name = "shows/show_index.html"
    context_object_name = "shows"
    paginate_by = 100

    def get_queryset(self):
        return Show.objects.order_by("sort_title", "start_year")


class ShowDetailView(DetailView):
    template_name = "shows/show_detail.html"
    context_object_name = "show"

    def get_queryset(self):
        return Show.objects.select_related("poster").prefetch_related(
            "credits__person", "credits__character"
        )

    def get_context_data(self, **kwargs):
        stories = self.object.articles.published().newest_first().select_related("featured_image")
        stories = stories[:20]
        return super().get_context_data(stories=stories, **kwargs)
