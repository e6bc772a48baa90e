import calendar
import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView
from taggit.models import Tag

from articles import preview
from articles.models import Article, Author, Section
from articles.related import related_stories
from articles.seo import news_article
from common.seo import CONTEXT
from common.site import absolute
from common.views import PageMixin, StoryListView, feed_links


def story_cards(queryset):
    """Published stories with what a story card prints, newest first."""
    return queryset.for_cards()


class ArticleDetailView(PageMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
    og_type = "article"

    def get_page_title(self, context):
        return self.object.seo_title or self.object.headline

    def get_page_description(self, context):
        return self.object.seo_description or self.object.dek

    def get_object(self, queryset=None):
        return get_object_or_404(Article.objects.published().for_page(), slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        day = timezone.localdate(self.object.publish_at)
        if (day.year, day.month, day.day) != (kwargs["year"], kwargs["month"], kwargs["day"]):
            # Right story, wrong date in the address: send readers to the real one.
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_feeds(self):
        section = self.object.section
        if section is None:
            return []
        return feed_links("articles:section_feed", section.name, slug=section.slug)

    def get_json_ld(self, context):
        return news_article(self.object, self.request)

    def get_og_image(self, context):
        return self.object.featured_image

    def get_context_data(self, **kwargs):
        article = self.object
        updated = article.updated_at
        return super().get_context_data(
            related=related_stories(article),
            show_updated=bool(updated and updated > article.publish_at),
            **kwargs,
        )


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
        article = Article.objects.for_page().filter(pk=self.story_id).first()
        if article is not None and article.publish_at is None:
            # Not scheduled yet: show it as it would read if published now (not saved).
            article.publish_at = timezone.now()
        return article

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
    feed_url_name = "articles:section_feed"

    def get_subject(self):
        return get_object_or_404(Section, slug=self.kwargs["slug"])

    def get_stories(self, section):
        return section.articles.for_cards()

    def get_page_description(self, context):
        return self.subject.description


class AuthorView(StoryListView):
    template_name = "articles/author.html"
    feed_url_name = "articles:author_feed"
    # A byline with nothing published yet is not public.
    allow_empty = False

    def get_subject(self):
        return get_object_or_404(Author, slug=self.kwargs["slug"])

    def get_stories(self, author):
        return Article.objects.about(author).for_cards()

    def get_page_description(self, context):
        return self.subject.bio

    def get_json_ld(self, context):
        author = self.subject
        data = {
            "@context": CONTEXT,
            "@type": "ProfilePage",
            "mainEntity": {
                "@type": "Person",
                "name": author.name,
                "url": absolute(author.get_absolute_url(), self.request),
            },
        }
        if author.job_title:
            data["mainEntity"]["jobTitle"] = author.job_title
        if author.bio:
            data["mainEntity"]["description"] = author.bio
        return data


class TagView(StoryListView):
    template_name = "articles/tag.html"
    feed_url_name = "articles:tag_feed"
    # A tag on nothing published (only drafts, or only people) has no public page.
    allow_empty = False

    def get_subject(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def get_stories(self, tag):
        return Article.objects.about(tag).for_cards()

    def get_feed_label(self):
        return f"Tagged “{self.subject.name}”"


class MonthArchiveView(StoryListView):
    """``/archive/2026/11/``: a month's stories in the newsroom's time zone."""

    template_name = "articles/archive_month.html"
    allow_empty = False

    def get_subject(self):
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not 1 <= month <= 12 or not 1900 <= year <= 2200:
            raise Http404("No such month.")
        zone = timezone.get_current_timezone()
        start = datetime.datetime(year, month, 1, tzinfo=zone)
        days = calendar.monthrange(year, month)[1]
        # Wall-clock arithmetic: midnight on the 1st to midnight on the next 1st.
        self.start, self.end = start, start + datetime.timedelta(days=days)
        return datetime.date(year, month, 1)

    def get_page_title(self, context):
        return f"{self.subject:%B %Y} archive"

    def get_stories(self, month):
        return Article.objects.filter(
            publish_at__gte=self.start, publish_at__lt=self.end
        ).for_cards()

    def get_context_data(self, **kwargs):
        published = Article.objects.published().order_by()
        before = (
            published.filter(publish_at__lt=self.start)
            .order_by("-publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )
        after = (
            published.filter(publish_at__gte=self.end)
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )
        return super().get_context_data(
            month=self.subject,
            previous_month=timezone.localdate(before) if before else None,
            next_month=timezone.localdate(after) if after else None,
            **kwargs,
        )
