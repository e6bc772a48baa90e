"""Admin pieces every app's admin uses: time zone aware date/time inputs and a
tag field with autocomplete that can also create new tags."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from taggit.managers import TaggableManager
from taggit.models import Tag

NEW_TAG_PREFIX = "new:"


def zone_label(value=None) -> str:
    """The newsroom's zone as editors read it: "America/New_York (EST)"."""
    now = timezone.localtime(value) if value else timezone.localtime()
    return f"{timezone.get_current_timezone_name()} ({now:%Z})"


class ZonedSplitDateTime(AdminSplitDateTime):
    """The admin's date + time inputs, with the newsroom's time zone printed beside them."""

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        zone = zone_label(value if hasattr(value, "tzinfo") else None)
        return format_html('{}<p class="help timezone-note">Time zone: {}</p>', html, zone)


def local_time(value) -> str:
    """A stored time as a list column: newsroom-local, with the zone abbreviation."""
    if not value:
        return "—"
    return f"{timezone.localtime(value):%b %d, %Y %H:%M %Z}"


class TagWidget(AutocompleteSelectMultiple):
    """Django's select2 autocomplete, initialised by our own script so typed words
    that match no tag become new tags (sent as ``new:<name>``)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["class"] = attrs["class"].replace("admin-autocomplete", "admin-tag-autocomplete")
        return attrs

    def optgroups(self, name, value, attr=None):
        value = [str(v) for v in value or []]
        existing = [v for v in value if not v.startswith(NEW_TAG_PREFIX)]
        groups = super().optgroups(name, existing, attr)
        options = groups[0][1]
        for new in (v for v in value if v.startswith(NEW_TAG_PREFIX)):
            options.append(
                self.create_option(name, new, new[len(NEW_TAG_PREFIX) :], True, len(options))
            )
        return groups

    @property
    def media(self):
        return super().media + forms.Media(js=["admin/js/tag-autocomplete.js"])


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Existing tags by id, new ones by name; cleans to a list taggit's ``set()`` takes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Tag.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Start typing to pick a tag; press Enter to add a new one.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return [v.pk if isinstance(v, Tag) else v for v in value]
        return super().prepare_value(value)

    def clean(self, value):
        value = [str(v) for v in (value or [])]
        names = [v[len(NEW_TAG_PREFIX) :].strip() for v in value if v.startswith(NEW_TAG_PREFIX)]
        ids = [v for v in value if not v.startswith(NEW_TAG_PREFIX)]
        for name in names:
            if not name or len(name) > 100:
                raise ValidationError("A tag must be 1 to 100 characters long.")
        tags = list(super().clean(ids)) if ids else []
        known = {t.name.casefold(): t for t in tags}
        known.update(
            {t.name.casefold(): t for t in Tag.objects.filter(name__in=names)} if names else {}
        )
        # A typed name that already exists (any case) reuses that tag instead of a near-twin.
        result = {t.pk: t for t in tags}
        for name in names:
            tag = known.get(name.casefold()) or Tag.objects.filter(name__iexact=name).first()
            if tag:
                result[tag.pk] = tag
            else:
                result.setdefault(f"new:{name.casefold()}", name)
        if self.required and not result:
            raise ValidationError(self.error_messages["required"], code="required")
        return list(result.values())


class NewsroomAdminMixin:
    """Shared by every ModelAdmin and inline: zone-labelled datetimes, tag autocomplete."""

    formfield_overrides = {models.DateTimeField: {"widget": ZonedSplitDateTime}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, TaggableManager):
            return TagChoiceField(
                label="Tags",
                widget=TagWidget(db_field, self.admin_site),
                required=not db_field.blank,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class NewsroomModelAdmin(NewsroomAdminMixin, admin.ModelAdmin):
    save_on_top = True
    list_per_page = 50
