from django.db.models import F
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from common.alphabet import AlphabetMixin
from common.views import PageMixin, StoryListView
from people import seo
from people.models import Character, Credit, Person


class PersonIndexView(AlphabetMixin, PageMixin, ListView):
    template_name = "people/person_index.html"
    context_object_name = "people"
    model = Person
    letter_field = "sort_name"
    page_title = "People A–Z"

    def get_queryset(self):
        return self.filter_letter(Person.objects.order_by("sort_name", "name"))


class PersonDetailView(StoryListView):
    """A person: bio, roles, filmography and their stories (paginated)."""

    template_name = "people/person_detail.html"
    feed_url_name = "articles:person_feed"

    def get_subject(self):
        return get_object_or_404(
            Person.objects.select_related("headshot"), slug=self.kwargs["slug"]
        )

    def get_stories(self, person):
        # Article's own manager, reached through the relation (this app imports
        # no articles code): ``about`` picks the cheap query for this person.
        return person.articles.model.objects.about(person).for_cards()

    og_type = "profile"

    def get_json_ld(self, context):
        return seo.person(self.subject, self.request)

    def get_og_image(self, context):
        return self.subject.headshot

    def get_page_description(self, context):
        return self.subject.bio or f"News about {self.subject.name}: roles, credits and stories."

    def get_context_data(self, **kwargs):
        credits = list(
            self.subject.credits.select_related("show", "character").order_by(
                F("start_year").desc(nulls_last=True),
                "show__sort_title",
                F("billing_order").asc(nulls_last=True),
                "id",
            )
        )
        roles = [c for c in credits if c.character_id]
        filmography = {}
        for credit in credits:
            entry = filmography.setdefault(credit.show_id, {"show": credit.show, "credits": []})
            entry["credits"].append(credit)
        return super().get_context_data(
            person=self.subject,
            roles=roles,
            filmography=list(filmography.values()),
            **kwargs,
        )


class CharacterDetailView(StoryListView):
    template_name = "people/character_detail.html"
    feed_url_name = "articles:character_feed"

    def get_subject(self):
        return get_object_or_404(
            Character.objects.select_related("show__poster"), slug=self.kwargs["slug"]
        )

    def get_stories(self, character):
        return character.articles.model.objects.about(character).for_cards()

    def get_json_ld(self, context):
        return seo.character(self.subject, self.request)

    def get_og_image(self, context):
        # Characters have no picture of their own; their show's poster stands in.
        return self.subject.show.poster

    def get_feed_label(self):
        return self.subject.name

    def get_page_title(self, context):
        return f"{self.subject.name} ({self.subject.show.title})"

    def get_page_description(self, context):
        return self.subject.description or (
            f"{self.subject.name}, a character in {self.subject.show.title}: "
            "who plays them and the latest stories."
        )

    def get_context_data(self, **kwargs):
        performers = (
            Credit.objects.filter(character=self.subject)
            .select_related("person__headshot")
            .order_by("start_year", F("billing_order").asc(nulls_last=True), "id")
        )
        return super().get_context_data(
            character=self.subject, performers=list(performers), **kwargs
        )
