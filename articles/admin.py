import datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from reversion.models import Version

from articles import diffs, editing, preview, revisions, workflow
from articles.mentions.linking import THROUGH
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleCharacter,
    ArticlePerson,
    ArticleRedirect,
    ArticleShow,
    AuditEntry,
    Author,
    Correction,
    EntityLink,
    MentionFlag,
    MentionRejection,
    Section,
    StaleEdit,
)
from articles.search import stories as story_search
from articles.search.query import parse
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


def minute_ago():
    return timezone.now() - datetime.timedelta(minutes=1)


class RedirectInline(admin.TabularInline):
    model = ArticleRedirect
    fields = ["old_path", "created_at"]
    readonly_fields = ["old_path", "created_at"]
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None):
        # Made by renames only (Article.save), never typed in.
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StateFilter(admin.SimpleListFilter):
    """The workflow state, with scheduled (published, time still ahead) apart from live."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            ("unpublished", "Unpublished"),
        ]

    def queryset(self, request, queryset):
        value, now = self.value(), timezone.now()
        published = Q(status=Article.Status.PUBLISHED)
        if value == "scheduled":
            return queryset.filter(published, publish_at__gt=now)
        if value == "live":
            return queryset.filter(published, publish_at__lte=now)
        if value in {"draft", "review", "unpublished"}:
            return queryset.filter(status=value)
        return queryset


class ArticleAdminForm(forms.ModelForm):
    """The story form, carrying the version it was built from (optimistic locking)."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale = None
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        built_from = cleaned.get("base_version")
        stored = self.instance.version
        if self.instance.pk and built_from != stored:
            self.stale = (built_from, stored)
            # Re-rendered with the stored version: saving again is a deliberate
            # choice made after seeing what changed, not an accident.
            self.data = self.data.copy()
            self.data[self.add_prefix("base_version")] = str(stored)
            raise ValidationError(
                "Someone else saved this story after you opened it, so your changes were "
                "not saved. Nothing is lost: your text is still in this form and is kept "
                "in the story's history. Compare it with the saved version below, then "
                "save again to replace theirs with yours, or reload to start from theirs.",
                code="stale",
            )
        return cleaned


@admin.register(Article)
class ArticleAdmin(ImageFieldsMixin, NewsroomModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/history.html"
    list_display = ["picture", "headline", "state", "publish_time", "section", "byline", "owner"]
    list_display_links = ["picture", "headline"]
    list_filter = [StateFilter, "section", "publish_at", "tags"]
    list_select_related = ["section", "owner", "featured_image"]
    # The body is searched through the search index (see get_search_results).
    search_fields = ["headline", "dek", "bylines__author__name"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "related", "featured_image"]
    inlines = [
        BylineInline,
        PersonLinkInline,
        CharacterLinkInline,
        ShowLinkInline,
        CorrectionInline,
        RedirectInline,
    ]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "featured_image", "body", "base_version"]}),
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
        (
            "Publishing",
            {"fields": ["status", "publish_at", "updated_at", "section", "tags", "owner"]},
        ),
        (
            "Search engines and related stories",
            {"fields": ["seo_title", "seo_description", "related"], "classes": ["collapse"]},
        ),
    ]
    actions = ["publish", "unpublish"]
    picture = thumbnail_column("featured_image")

    # --- who sees and changes what (articles.workflow decides) ---------------

    def get_search_results(self, request, queryset, search_term):
        """Headline, standfirst and author as usual (``icontains``), plus the body:
        published stories through the search index (accents, stems and all, in
        milliseconds at 100,000 stories), the rest — drafts, stories in review,
        withdrawn ones, never more than a small share — by a plain ``icontains``."""
        unfiltered = queryset
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        query = parse(term)
        if not query:
            return queryset, may_have_duplicates
        found = Article.objects.filter(pk__in=story_search.indexed_ids(query))
        unpublished = Article.objects.exclude(status=Article.Status.PUBLISHED).filter(
            body__icontains=term
        )
        # ``queryset`` already carries the list's filters; keep them.
        in_body = unfiltered.filter(
            Q(pk__in=found.values("pk")) | Q(pk__in=unpublished.values("pk"))
        )
        return queryset | in_body, may_have_duplicates

    def get_queryset(self, request):
        qs = (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
            )
        )
        if workflow.can_edit_any(request.user):
            return qs
        return qs.filter(owner=request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or workflow.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_delete(request.user, obj))

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        if workflow.can_publish(request.user):
            return ["mention_report"]
        # Times readers see and who owns the story are editors' business.
        return ["mention_report", "publish_at", "updated_at", "owner"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            allowed = workflow.allowed_statuses(request.user)
            kwargs["choices"] = [c for c in db_field.choices if c[0] in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST" and object_id:
            # Lock the row for the rest of this request's transaction, so the version
            # the form is checked against is still the stored one when it saves.
            try:
                Article.objects.select_for_update().filter(pk=object_id).exists()
            except (ValueError, ValidationError):
                return None
        return super().get_object(request, object_id, from_field)

    # --- saving: revisions, optimistic locking, workflow ---------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        deleted_id = self.deleted_story_id(request, object_id)
        if deleted_id is not None:
            return self.deleted_while_editing(request, deleted_id)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def deleted_story_id(self, request, object_id):
        """The id of a story deleted since this POST's form was opened, else None."""
        if request.method != "POST" or not object_id or not self.has_change_permission(request):
            return None
        try:
            pk = int(unquote(object_id))
        except ValueError:
            return None
        gone = not Article.objects.filter(pk=pk).exists()
        deleted = AuditEntry.objects.filter(action=AuditEntry.Action.DELETED, article_pk=pk)
        return pk if gone and deleted.exists() else None

    def deleted_while_editing(self, request, object_id):
        """The story went while someone was editing it: give their text back to copy
        instead of the admin's bare "doesn't exist" redirect, which would lose it."""
        deleted = AuditEntry.objects.filter(
            action=AuditEntry.Action.DELETED, article_pk=object_id
        ).first()
        if not workflow.can_edit_any(request.user):
            deleted = None  # whose story it was is not a contributor's business
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "This story was deleted while you were editing it",
            "deleted": deleted,
            "submitted": [
                ("Headline", request.POST.get("headline", "")),
                ("Standfirst", request.POST.get("dek", "")),
                ("Body (HTML)", request.POST.get("body", "")),
            ],
        }
        return TemplateResponse(
            request, "admin/articles/article/deleted_while_editing.html", context, status=410
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "Created.")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "Saved with no changes.")
        return entry

    def save_model(self, request, obj, form, change):
        if change:
            # The version this form was built from; Article.save() refuses any other.
            obj.version = form.cleaned_data.get("base_version") or obj.version
        action = workflow.save_story(obj, request.user)
        if action == AuditEntry.Action.SCHEDULED:
            when = local_time(obj.publish_at)
            self.message_user(request, f"Scheduled: readers will see it from {when}.")

    def delete_model(self, request, obj):
        workflow.delete_story(obj, request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            workflow.delete_story(article, request.user)

    def response_change(self, request, obj):
        if any(action in request.POST for action in MENTION_ACTIONS):
            # A mention button saved the form too; come back to the same story.
            return HttpResponseRedirect(request.path)
        if "_continue" not in request.POST:
            editing.closed(obj, request.user)
        return super().response_change(request, obj)

    # --- the change form: who else is here, preview link, stale-save diff ----

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if obj is not None and obj.pk:
            if self.has_change_permission(request, obj):
                context["others_editing"] = [
                    {
                        "name": s.user.get_full_name() or s.user.get_username(),
                        "ago": timesince(s.opened_at) if s.opened_at < minute_ago() else "",
                        "at": s.opened_at,
                    }
                    for s in editing.opened(obj, request.user)
                ]
            token = preview.make_token(obj)
            context["preview_url"] = request.build_absolute_uri(
                reverse("articles:preview", args=[token])
            )
            context["preview_expires_at"] = preview.expires_at(token)
            context["editing_notice_minutes"] = editing.window().seconds // 60
        if form.stale:
            built_from, stored = form.stale
            # Keep the refused text as a revision of its own: nothing typed is lost,
            # even if this page is closed without saving again.
            revisions.keep_refused_edit(form.instance, request.user, built_from, stored)
            current = Article.objects.get(pk=obj.pk)
            latest = revisions.latest_saved(current)
            context["stale"] = {
                "built_from": built_from,
                "stored": stored,
                "by": latest.revision.user if latest else None,
                "at": latest.revision.date_created if latest else current.modified_at,
                "diff": diffs.diff_story(
                    revisions.text_of(current), revisions.text_of(form.instance)
                ),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- history and restore -------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None and self.has_view_or_change_permission(request, obj):
            context["entries"] = revisions.history(obj)
            context["can_restore"] = self.has_change_permission(request, obj)
        return super().history_view(request, object_id, context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision__user"), pk=version_id
        )
        try:
            article, skipped = revisions.restore(obj, version, request.user)
        except StaleEdit:
            self.message_user(
                request, "The story changed while restoring; try again.", messages.ERROR
            )
        else:
            note = f" Could not bring back: {', '.join(skipped)}." if skipped else ""
            self.message_user(
                request,
                f"Restored the version of {local_time(version.revision.date_created)} "
                f"as version {article.version}.{note}",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    # --- list columns and bulk actions ---------------------------------------

    @admin.display(description="state", ordering="status")
    def state(self, obj):
        value = workflow.state(obj)
        if value == "scheduled":
            return format_html('<strong class="state-scheduled">{}</strong>', "Scheduled")
        return obj.get_status_display()

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

    @admin.action(
        description="Publish the selected stories now (or at their scheduled time)",
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        done = [a for a in queryset if workflow.publish(a, request.user)]
        self.message_user(request, f"Published {len(done)} stories.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        done = [a for a in queryset if workflow.unpublish(a, request.user)]
        self.message_user(request, f"Unpublished {len(done)} stories.", messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are written by articles.workflow and never edited."""

    list_display = ["at_local", "action", "headline_link", "username", "publish_time", "note"]
    list_filter = ["action", "at"]
    search_fields = ["headline", "username"]
    date_hierarchy = "at"
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="when", ordering="at")
    def at_local(self, obj):
        return local_time(obj.at)

    @admin.display(description="publish time", ordering="publish_at")
    def publish_time(self, obj):
        return local_time(obj.publish_at)

    @admin.display(description="story", ordering="headline")
    def headline_link(self, obj):
        if obj.article_id:
            url = reverse("admin:articles_article_change", args=[obj.article_id])
            return format_html('<a href="{}">{}</a>', url, obj.headline)
        return format_html("{} <small>(deleted, id {})</small>", obj.headline, obj.article_pk)
