from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView
from taggit.models import Tag

from articles.models import Article, Author, Section
from common.views import StoryListView


def story_cards(queryset):
    """Published stories with what a story card prints, newest first."""
    return (
        queryset.published()
        .newest_first()
        .select_related("section", "featured_image")
        .prefetch_related("bylines__author")
    )


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Article.objects.published()
            .select_related("section", "featured_image")
            .prefetch_related(
                "bylines__author", "tags", "people", "characters", "shows", "corrections"
            ),
            slug=self.kwargs["slug"],
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        day = timezone.localdate(self.object.publish_at)
        if (day.year, day.month, day.day) != (kwargs["year"], kwargs["month"], kwargs["day"]):
            # Right story, wrong date in the address: send readers to the real one.
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))


class SectionView(StoryListView):
    template_name = "articles/section.html"

    def get_subject(self):
        return get_object_or_404(Section, slug=self.kwargs["slug"])

    def get_stories(self, section):
        return story_cards(section.articles.all())


class AuthorView(StoryListView):
    template_name = "articles/author.html"

    def get_subject(self):
        return get_object_or_404(Author, slug=self.kwargs["slug"])

    def get_stories(self, author):
        return story_cards(author.articles.all())


class TagView(StoryListView):
    template_name = "articles/tag.html"

    def get_subject(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def get_stories(self, tag):
        return story_cards(Article.objects.filter(tags=tag))
