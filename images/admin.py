"""The media library in the admin, and the pieces other admins use to pick pictures."""

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from common.admin import NewsroomModelAdmin
from images import markup, processing
from images.models import ACCEPTED_TYPES, Image

_FUNC_NUM = re.compile(r"^-?\d{1,9}$")
PICKER_PAGE_SIZE = 24


def thumbnail_column(field: str, description: str = "picture"):
    """A changelist column showing ``obj.<field>`` as a small square.

    Add the field to the admin's ``list_select_related`` so the list stays one query.
    """

    @admin.display(description=description)
    def column(self, obj):
        return markup.admin_thumbnail(getattr(obj, field))

    return column


class ImageAutocomplete(AutocompleteSelect):
    """The admin's autocomplete for an image field, with the chosen picture beside it."""

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        image = Image.objects.filter(pk=value).first() if value not in (None, "") else None
        if image is None:
            return html
        return format_html(
            '{}<div class="image-choice" data-image-choice>{}'
            '<span class="help">{}<br><a href="{}">Edit picture, credit and focal point</a>'
            "</span></div>",
            html,
            markup.admin_thumbnail(image, 96),
            image.credit,
            reverse("admin:images_image_change", args=[image.pk]),
        )

    @property
    def media(self):
        return super().media + forms.Media(
            js=["admin/js/image-autocomplete.js"], css={"all": ["admin/css/images.css"]}
        )


class ImageFieldsMixin:
    """For admins of models that point at images: listed image fields get ImageAutocomplete.

    Put the fields in ``autocomplete_fields`` as usual; this only swaps the widget.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if (
            db_field.related_model is Image
            and "widget" not in kwargs
            and db_field.name in self.get_autocomplete_fields(request)
        ):
            kwargs["widget"] = ImageAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = [
            "file",
            "title",
            "alt_text",
            "caption",
            "credit",
            "source",
            "focal_x",
            "focal_y",
        ]
        widgets = {
            "file": forms.ClearableFileInput(attrs={"accept": ACCEPTED_TYPES}),
            "caption": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
            "focal_x": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
        }


@admin.register(Image)
class ImageAdmin(NewsroomModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "title", "credit", "dimensions", "uploaded_at", "uploaded_by"]
    list_display_links = ["thumbnail", "title"]
    list_select_related = ["uploaded_by"]
    list_filter = ["format", "uploaded_at"]
    search_fields = ["title", "alt_text", "caption", "credit", "source", "original_name"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["focal_point_picker", "details", "where_used"]

    class Media:
        css = {"all": ["admin/css/images.css"]}
        js = ["admin/js/focal-point.js"]

    def get_fieldsets(self, request, obj=None):
        words = (
            "Describe it",
            {"fields": ["title", "alt_text", "caption"]},
        )
        rights = ("Credit and rights", {"fields": ["credit", "source"]})
        if obj is None:
            return [
                (None, {"fields": ["file"]}),
                words,
                rights,
                (
                    "Focal point",
                    {
                        "fields": [("focal_x", "focal_y")],
                        "classes": ["collapse"],
                        "description": "You can click the picture to set it after uploading.",
                    },
                ),
            ]
        return [
            (
                "Focal point",
                {
                    "fields": ["focal_point_picker", ("focal_x", "focal_y")],
                    "description": "Click the face or subject: crops for cards, headshots, "
                    "posters and sharing keep it in view.",
                },
            ),
            words,
            rights,
            ("The file", {"fields": ["details", "file"]}),
            ("Where it is used", {"fields": ["where_used"]}),
        ]

    @admin.display(description="")
    def thumbnail(self, obj):
        return markup.admin_thumbnail(obj)

    @admin.display(description="size")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}"

    @admin.display(description="picture")
    def focal_point_picker(self, obj):
        stage = markup.feed_rendition(obj)
        if stage is None:
            return "—"
        fx, fy = obj.focal_point
        previews = [
            (*_object_position(obj, crop), markup.url(obj, stage), label)
            for crop, label in (
                ("card", "Card"),
                ("square", "Headshot"),
                ("poster", "Poster"),
                ("og", "Sharing"),
            )
        ]
        return format_html(
            '<div class="focal-picker" data-focal-picker data-width="{}" data-height="{}">'
            '<div class="focal-stage"><img src="{}" width="{}" height="{}" alt="{}">'
            '<span class="focal-marker" style="left: {}%; top: {}%" aria-hidden="true"></span>'
            "</div>"
            '<div class="focal-previews">{}</div></div>',
            obj.width,
            obj.height,
            markup.url(obj, stage),
            stage.width,
            stage.height,
            f"Set the focal point of: {obj.alt_text}",
            f"{fx * 100:.2f}",
            f"{fy * 100:.2f}",
            format_html_join(
                "",
                '<figure class="focal-preview" data-ratio="{}" style="aspect-ratio: {}">'
                '<img src="{}" alt="" style="object-position: {}">'
                "<figcaption>{}</figcaption></figure>",
                ((ratio, ratio, src, pos, label) for ratio, pos, src, label in previews),
            ),
        )

    @admin.display(description="details")
    def details(self, obj):
        size = obj.file_size / (1024 * 1024)
        parts = [
            f"{obj.width:,} × {obj.height:,} pixels ({obj.megapixels:g} megapixels)",
            f"{obj.get_format_display()}{', transparent' if obj.has_alpha else ''}",
            f"stored copy {size:.1f} MB, without camera data",
        ]
        if obj.animated:
            parts.append("the upload was animated: only its first frame is used")
        who = obj.uploaded_by or "someone"
        line = "; ".join(parts)
        return format_html(
            "{}.<br>Uploaded as “{}” by {} on {}. {} renditions.",
            line,
            obj.original_name or "—",
            who,
            f"{obj.uploaded_at:%b %d, %Y}",
            len(obj.renditions),
        )

    @admin.display(description="used in")
    def where_used(self, obj):
        usages = obj.usages()
        if not usages:
            return "Not used anywhere yet."
        return format_html(
            "<ul class='image-usages'>{}</ul>",
            format_html_join("", "<li>{}</li>", ((_usage_link(u),) for u in usages)),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        usages = [usage for image in objs for usage in image.usages()]
        if usages:
            protected = [
                format_html("{}: {}", image, _usage_link(usage))
                for image in objs
                for usage in image.usages()
            ]
        return deleted, counts, perms_needed, protected

    # --- the picker the story editor's figure dialog opens -----------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view(self.picker_view)
        return [path("picker/", view, name="images_image_picker"), *super().get_urls()]

    def picker_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()
        func_num = request.GET.get("CKEditorFuncNum", "")
        if not _FUNC_NUM.match(func_num):
            func_num = ""
        queryset, _dupes = self.get_search_results(request, self.get_queryset(request), term)
        page = Paginator(queryset, PICKER_PAGE_SIZE).get_page(request.GET.get("page"))
        choices = []
        for image in page:
            insert = markup.feed_rendition(image)
            if insert is None:
                continue
            choices.append(
                {
                    "image": image,
                    "thumbnail": markup.admin_thumbnail(image, 120),
                    "url": markup.url(image, insert),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Choose a picture",
            "term": term,
            "func_num": func_num,
            "page": page,
            "choices": choices,
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/images/image/picker.html", context)


def _object_position(image, crop: str) -> tuple[str, str]:
    """CSS aspect-ratio and object-position that show exactly ``crop_box``'s crop.

    With ``object-fit: cover`` the browser places the hidden overflow by percentage:
    p% means "left edge at p% of the overflow". static/admin/js/focal-point.js does the same
    sums when the editor clicks, so the previews move before anything is saved.
    """
    ratio = processing.CROPS[crop].ratio
    left, top, right, bottom = processing.crop_box(
        image.width, image.height, ratio, image.focal_point
    )
    spare_x, spare_y = image.width - (right - left), image.height - (bottom - top)
    x = 100 * left / spare_x if spare_x else 50
    y = 100 * top / spare_y if spare_y else 50
    return f"{ratio.numerator}/{ratio.denominator}", f"{x:.2f}% {y:.2f}%"


def _usage_link(usage):
    if usage.admin_url:
        return format_html('<a href="{}">{}</a>', usage.admin_url, usage)
    return str(usage)
