from django.contrib import admin
from django.db.models import Count

from common.admin import NewsroomAdminMixin, NewsroomModelAdmin
from images.admin import ImageFieldsMixin, thumbnail_column
from people.models import Character, Credit, Person


class PersonCreditInline(NewsroomAdminMixin, admin.TabularInline):
    model = Credit
    fields = [
        "show",
        "character",
        "role",
        "start_year",
        "end_year",
        "episode_count",
        "billing_order",
    ]
    autocomplete_fields = ["show", "character"]
    extra = 0
    verbose_name_plural = "credits"


class CharacterCreditInline(NewsroomAdminMixin, admin.TabularInline):
    model = Credit
    fields = ["person", "show", "role", "start_year", "end_year", "episode_count"]
    autocomplete_fields = ["person", "show"]
    extra = 0
    verbose_name = "performer"
    verbose_name_plural = "played by"


@admin.register(Person)
class PersonAdmin(ImageFieldsMixin, NewsroomModelAdmin):
    list_display = ["picture", "name", "birth_date", "imdb_id", "story_count", "updated_at"]
    list_display_links = ["picture", "name"]
    list_select_related = ["headshot"]
    list_filter = ["tags"]
    search_fields = ["name", "search_names", "imdb_id", "tmdb_id", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["headshot"]
    inlines = [PersonCreditInline]
    picture = thumbnail_column("headshot", "headshot")
    fieldsets = [
        (None, {"fields": ["name", "slug", "birth_date", "headshot", "bio", "aliases", "tags"]}),
        (
            "Sorting and external ids",
            {
                "fields": ["sort_name", ("imdb_id", "tmdb_id", "wikidata_id")],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_total=Count("story_links"))

    @admin.display(description="stories", ordering="story_total")
    def story_count(self, obj):
        return obj.story_total


@admin.register(Character)
class CharacterAdmin(NewsroomModelAdmin):
    list_display = ["name", "show", "updated_at"]
    list_select_related = ["show"]
    list_filter = ["show__kind"]
    search_fields = ["name", "search_names", "show__title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["show"]
    inlines = [CharacterCreditInline]
    fields = ["name", "slug", "show", "description", "aliases"]


@admin.register(Credit)
class CreditAdmin(NewsroomModelAdmin):
    list_display = ["person", "role", "character", "show", "start_year", "end_year"]
    list_select_related = ["person", "show", "character"]
    list_filter = ["role"]
    search_fields = ["person__name", "show__title", "character__name"]
    autocomplete_fields = ["person", "show", "character"]
