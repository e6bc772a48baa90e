from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html_join

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleCharacter,
    ArticlePerson,
    ArticleShow,
    Author,
    Correction,
    Section,
)
from common.admin import NewsroomAdminMixin, NewsroomModelAdmin, local_time
from images.admin import ImageFieldsMixin, thumbnail_column


@admin.register(Section)
class SectionAdmin(NewsroomModelAdmin):
    list_display = ["name", "slug", "position", "story_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_total=Count("articles"))

    @admin.display(description="stories", ordering="story_total")
    def story_count(self, obj):
        return obj.story_total


@admin.register(Author)
class AuthorAdmin(NewsroomModelAdmin):
    list_display = ["name", "job_title", "email", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


class BylineInline(NewsroomAdminMixin, admin.TabularInline):
    model = ArticleAuthor
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 0
    verbose_name = "author"
    verbose_name_plural = "byline (in order)"


class EntityLinkInline(NewsroomAdminMixin, admin.TabularInline):
    readonly_fields = ["source", "matched_text"]
    extra = 0


class PersonLinkInline(EntityLinkInline):
    model = ArticlePerson
    fields = ["person", "source", "matched_text"]
    autocomplete_fields = ["person"]


class CharacterLinkInline(EntityLinkInline):
    model = ArticleCharacter
    fields = ["character", "source", "matched_text"]
    autocomplete_fields = ["character"]


class ShowLinkInline(EntityLinkInline):
    model = ArticleShow
    fields = ["show", "source", "matched_text"]
    autocomplete_fields = ["show"]


class CorrectionInline(NewsroomAdminMixin, admin.StackedInline):
    model = Correction
    fields = [("kind", "significant"), "note", "published_at"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(ImageFieldsMixin, NewsroomModelAdmin):
    list_display = ["picture", "headline", "status", "publish_time", "section", "byline"]
    list_display_links = ["picture", "headline"]
    list_filter = ["status", "section", "publish_at", "tags"]
    list_select_related = ["section", "featured_image"]
    search_fields = ["headline", "dek", "body", "bylines__author__name"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "related", "featured_image"]
    inlines = [
        BylineInline,
        PersonLinkInline,
        CharacterLinkInline,
        ShowLinkInline,
        CorrectionInline,
    ]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "featured_image", "body"]}),
        ("Publishing", {"fields": ["status", "publish_at", "updated_at", "section", "tags"]}),
        (
            "Search engines and related stories",
            {"fields": ["seo_title", "seo_description", "related"], "classes": ["collapse"]},
        ),
    ]
    actions = ["publish", "unpublish"]
    picture = thumbnail_column("featured_image")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    @admin.display(description="publish time", ordering="publish_at")
    def publish_time(self, obj):
        return local_time(obj.publish_at)

    @admin.display(description="authors")
    def byline(self, obj):
        return format_html_join(", ", "{}", ((b.author.name,) for b in obj.bylines.all())) or "—"

    @admin.action(description="Publish the selected stories now (or at their scheduled time)")
    def publish(self, request, queryset):
        count = 0
        with transaction.atomic():
            # A fresh queryset: the changelist's joins (nullable section) cannot be locked.
            chosen = Article.objects.filter(pk__in=queryset.values("pk")).select_for_update()
            for article in chosen.exclude(status=Article.Status.PUBLISHED):
                article.status = Article.Status.PUBLISHED
                article.save(update_fields=["status", "modified_at"])
                count += 1
        self.message_user(request, f"Published {count} stories.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected stories")
    def unpublish(self, request, queryset):
        count = queryset.filter(status=Article.Status.PUBLISHED).update(
            status=Article.Status.UNPUBLISHED, modified_at=timezone.now()
        )
        self.message_user(request, f"Unpublished {count} stories.", messages.SUCCESS)
