from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView
from taggit.models import Tag

from articles import preview
from articles.models import Article, Author, Section
from common.views import StoryListView


def story_cards(queryset):
    """Published stories with what a story card prints, newest first."""
    return (
        queryset.published()
        .newest_first()
        .select_related("section")
        .prefetch_related("bylines__author")
    )


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Article.objects.published()
            .select_related("section")
            .prefetch_related(
                "bylines__author",
                "tags",
                "articleperson_set__person",
                "articlecharacter_set__character__show",
                "articleshow_set__show",
                "corrections",
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


def private_noindex(response):
    """Preview pages: never stored by a cache or indexed by a search engine, and the
    token in the address never sent on to other sites."""
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """A story of any status, shown exactly as the public page shows it, to whoever
    holds a signed link (``articles.preview``). Renders the public article
    template through ``articles/article_preview.html``, which only adds ``noindex``
    and a note saying this is a preview."""

    template_name = "articles/article_preview.html"

    def get_object(self, queryset=None):
        return (
            Article.objects.select_related("section")
            .prefetch_related(
                "bylines__author", "tags", "people", "characters", "shows", "corrections"
            )
            .filter(pk=self.story_id)
            .first()
        )

    def get(self, request, *args, **kwargs):
        token = kwargs["token"]
        try:
            self.story_id = preview.read_token(token)
        except preview.PreviewUnavailable as why:
            return self.unavailable(why)
        self.object = self.get_object()
        if self.object is None:
            return self.unavailable(
                preview.PreviewUnavailable(
                    410,
                    "This story no longer exists",
                    "The story this link previewed has been deleted.",
                )
            )
        context = self.get_context_data(
            object=self.object, preview_expires_at=preview.expires_at(token)
        )
        return private_noindex(self.render_to_response(context))

    def unavailable(self, why):
        response = render(
            self.request,
            "articles/preview_unavailable.html",
            {"title": why.title, "message": why.message},
            status=why.status,
        )
        return private_noindex(response)


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
