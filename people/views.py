from django.views.generic import DetailView, ListView

from people.models import Character, Person


class PersonIndexView(ListView):
    template_name = "people/person_index.html"
    context_object_name = "people"
    paginate_by = 100

    def get_queryset(self):
        return Person.objects.order_by("sort_name", "name")


class PersonDetailView(DetailView):
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.select_related("headshot").prefetch_related(
            "credits__show", "credits__character"
        )

    def get_context_data(self, **kwargs):
        stories = self.object.articles.published().newest_first().select_related("featured_image")
        stories = stories[:20]
        return super().get_context_data(stories=stories, **kwargs)


class CharacterDetailView(DetailView):
    template_name = "people/character_detail.html"
    context_object_name = "character"

    def get_queryset(self):
        return Character.objects.select_related("show").prefetch_related("credits__person")

    def get_context_data(self, **kwargs):
        stories = self.object.articles.published().newest_first().select_related("featured_image")
        stories = stories[:20]
        return super().get_context_data(stories=stories, **kwargs)
