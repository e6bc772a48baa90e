from django.contrib import admin
from django.db.models import Count

from common.admin import NewsroomAdminMixin, NewsroomModelAdmin
from images.admin import ImageFieldsMixin, thumbnail_column
from people.models import Character, Credit
from shows.models import Show


class CharacterInline(NewsroomAdminMixin, admin.TabularInline):
    model = Character
    fields = ["name", "slug", "aliases"]
    extra = 0
    show_change_link = True


class ShowCreditInline(NewsroomAdminMixin, admin.TabularInline):
    model = Credit
    fields = [
        "person",
        "character",
        "role",
        "start_year",
        "end_year",
        "episode_count",
        "billing_order",
    ]
    autocomplete_fields = ["person", "character"]
    extra = 0
    verbose_name = "credit"
    verbose_name_plural = "cast and crew"


@admin.register(Show)
class ShowAdmin(ImageFieldsMixin, NewsroomModelAdmin):
    list_display = ["picture", "title", "kind", "network", "years", "story_count", "updated_at"]
    list_display_links = ["picture", "title"]
    list_select_related = ["poster"]
    list_filter = ["kind", "network", "tags"]
    search_fields = ["title", "search_names", "network", "imdb_id", "tmdb_id", "wikidata_id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["poster"]
    inlines = [CharacterInline, ShowCreditInline]
    picture = thumbnail_column("poster", "poster")
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "network", ("start_year", "end_year")]}),
        ("About", {"fields": ["poster", "synopsis", "aliases", "tags"]}),
        (
            "Sorting and external ids",
            {
                "fields": ["sort_title", ("imdb_id", "tmdb_id", "wikidata_id")],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_total=Count("story_links"))

    @admin.display(description="stories", ordering="story_total")
    def story_count(self, obj):
        return obj.story_total

    @admin.display(description="years", ordering="start_year")
    def years(self, obj):
        return obj.years or "—"
