from django.views.generic import TemplateView

from articles.models import Article, Section
from articles.views import story_cards


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        latest = list(story_cards(Article.objects.all())[:13])
        return super().get_context_data(
            lead=latest[0] if latest else None,
            latest=latest[1:],
            sections=Section.objects.all(),
            **kwargs,
        )
