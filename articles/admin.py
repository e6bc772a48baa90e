from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.mentions.linking import THROUGH
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleCharacter,
    ArticlePerson,
    ArticleShow,
    Author,
    Correction,
    EntityLink,
    MentionFlag,
    MentionRejection,
    Section,
)
from common.admin import NewsroomAdminMixin, NewsroomModelAdmin, local_time


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
    """Links to people, characters and shows. Deleting a detected row rejects it:
    detection will not link that entity to this story again."""

    readonly_fields = ["source", "matched_text", "misspelled"]
    extra = 0

    def get_fields(self, request, obj=None):
        return [self.entity_field, "source", "matched_text", "misspelled"]

    def get_autocomplete_fields(self, request):
        return [self.entity_field]


class PersonLinkInline(EntityLinkInline):
    model = ArticlePerson
    entity_field = "person"


class CharacterLinkInline(EntityLinkInline):
    model = ArticleCharacter
    entity_field = "character"


class ShowLinkInline(EntityLinkInline):
    model = ArticleShow
    entity_field = "show"


LINK_KINDS = {through: kind for kind, (through, _, _) in THROUGH.items()}
MENTION_ACTIONS = ("_mention_link", "_mention_keep", "_mention_reject", "_mention_allow")


def _parse_ref(value: str):
    kind, _, pk = (value or "").partition(":")
    if kind in THROUGH and pk.isdigit():
        return kind, int(pk)
    return None


def apply_mention_action(article, action: str, value: str, user) -> str | None:
    """Carry out one button of the mention panel; returns a message for the editor."""
    ref = _parse_ref(value)
    if ref is None:
        return None
    kind, pk = ref
    through, fk, entity_model = THROUGH[kind]
    entity = entity_model.objects.filter(pk=pk).first()
    if entity is None:
        return "That entity no longer exists."
    link = through.objects.filter(article=article, **{f"{fk}_id": pk}).first()
    if action == "_mention_link":
        MentionRejection.objects.filter(article=article, kind=kind, entity_id=pk).delete()
        if link is None:
            through.objects.create(article=article, source=EntityLink.Source.MANUAL, **{fk: entity})
        else:
            through.objects.filter(pk=link.pk).update(source=EntityLink.Source.MANUAL)
        return f"Linked {entity}."
    if action == "_mention_keep" and link is not None:
        through.objects.filter(pk=link.pk).update(source=EntityLink.Source.MANUAL)
        return f"Kept {entity}: detection will not remove it."
    if action == "_mention_reject":
        if link is not None:
            link.delete()
        reject(article, kind, entity, user)
        return f"Rejected {entity}: detection will not link it to this story again."
    if action == "_mention_allow":
        MentionRejection.objects.filter(article=article, kind=kind, entity_id=pk).delete()
        return f"{entity} may be detected again."
    return None


def reject(article, kind, entity, user) -> None:
    MentionRejection.objects.get_or_create(
        article=article,
        kind=kind,
        entity_id=entity.pk,
        defaults={"name": str(entity)[:250], "rejected_by": user},
    )


class CorrectionInline(NewsroomAdminMixin, admin.StackedInline):
    model = Correction
    fields = [("kind", "significant"), "note", "published_at"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(NewsroomModelAdmin):
    list_display = ["headline", "status", "publish_time", "section", "byline"]
    list_filter = ["status", "section", "publish_at", "tags"]
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "body", "bylines__author__name"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "related"]
    inlines = [
        BylineInline,
        PersonLinkInline,
        CharacterLinkInline,
        ShowLinkInline,
        CorrectionInline,
    ]
    readonly_fields = ["mention_report"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "body"]}),
        (
            "People, characters and shows in this story",
            {
                "fields": ["mention_report"],
                "description": "Detection links every name it recognises when the story is "
                "saved; the tables below list the links. Delete a detected row (or press "
                "Reject) and detection leaves it out for good; links you add by hand are "
                "never removed by detection.",
            },
        ),
        ("Publishing", {"fields": ["status", "publish_at", "updated_at", "section", "tags"]}),
        (
            "Search engines and related stories",
            {"fields": ["seo_title", "seo_description", "related"], "classes": ["collapse"]},
        ),
    ]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # Deleting a detected link is a rejection that must survive later saves.
        for obj in getattr(formset, "deleted_objects", []):
            if isinstance(obj, EntityLink) and obj.source == EntityLink.Source.DETECTED:
                kind = LINK_KINDS[type(obj)]
                reject(form.instance, kind, getattr(obj, THROUGH[kind][1]), request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for action in MENTION_ACTIONS:
            if action in request.POST:
                message = apply_mention_action(
                    form.instance, action, request.POST[action], request.user
                )
                if message:
                    self.message_user(request, message, messages.SUCCESS)

    def response_change(self, request, obj):
        if any(action in request.POST for action in MENTION_ACTIONS):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.display(description="Detected mentions")
    def mention_report(self, obj):
        if obj is None or obj.pk is None:
            return "Names are detected when the story is first saved."
        rows = []
        detected = [
            (kind, link)
            for kind, (through, fk, _) in THROUGH.items()
            for link in through.objects.filter(
                article=obj, source=EntityLink.Source.DETECTED
            ).select_related(fk)
        ]
        for kind, link in detected:
            entity = getattr(link, THROUGH[kind][1])
            note = (
                format_html(" — probable misspelling “{}”", link.misspelled)
                if link.misspelled
                else ""
            )
            rows.append(
                format_html(
                    '<li>{} <span class="help">({}, matched {}){}</span> '
                    '<button type="submit" class="button" name="_mention_keep" value="{}:{}">'
                    "Accept</button> "
                    '<button type="submit" class="button" name="_mention_reject" value="{}:{}">'
                    "Reject</button></li>",
                    entity,
                    kind,
                    link.matched_text or "—",
                    note,
                    kind,
                    entity.pk,
                    kind,
                    entity.pk,
                )
            )
        for flag in obj.mention_flags.all():
            if flag.kind == MentionFlag.Kind.MISSPELLING:
                rows.append(
                    format_html(
                        "<li><strong>Check spelling:</strong> “{}” looks like {}{}.</li>",
                        flag.text,
                        flag.suggestion,
                        " (linked)" if flag.linked else " (not linked until you choose)",
                    )
                    if flag.linked
                    else format_html(
                        "<li><strong>Check spelling:</strong> “{}” looks like {} "
                        '<button type="submit" class="button" name="_mention_link" '
                        'value="{}:{}">Link {}</button></li>',
                        flag.text,
                        flag.suggestion,
                        flag.candidates[0]["kind"],
                        flag.candidates[0]["id"],
                        flag.suggestion,
                    )
                )
            else:
                buttons = format_html_join(
                    " ",
                    '<button type="submit" class="button" name="_mention_link" value="{}:{}">'
                    "{}</button>",
                    ((c["kind"], c["id"], c["name"]) for c in flag.candidates),
                )
                rows.append(
                    format_html(
                        "<li><strong>Which one?</strong> “{}” could be: {}</li>", flag.text, buttons
                    )
                )
        for rejection in obj.mention_rejections.all():
            rows.append(
                format_html(
                    '<li>Rejected: {} <button type="submit" class="button" name="_mention_allow" '
                    'value="{}:{}">Allow again</button></li>',
                    rejection.name,
                    rejection.kind,
                    rejection.entity_id,
                )
            )
        if not rows:
            return "No names from the talent database were found in this story."
        return format_html(
            '<ul class="mention-report">{}</ul>', format_html_join("", "{}", ((r,) for r in rows))
        )

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
