"""The media library: one ``Image`` per picture, with its credit, its master and renditions.

Every way a picture gets in — the admin form, an importer, a script — ends in ``Image.save()``,
and that is where the upload is checked (``images.processing``): by content, with
decompression bombs refused before decoding. What is stored is never the upload itself but a
re-encoded master (orientation applied, all metadata gone) and the renditions readers get, made
once, here, and again only when the focal point or the picture changes. ``clean()`` runs the
same check first so that a form shows the refusal as an error on the file field.
"""

import json
import math
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.db.models import Q, StringAgg, TextField, Value
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast, JSONObject
from django.urls import NoReverseMatch, reverse

from images import files, processing
from images.processing import ImageInfo, ImageRejected

ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,image/avif,image/gif"


@dataclass(frozen=True)
class Usage:
    """One place an image is used: the object that shows it and in what role."""

    obj: models.Model
    role: str

    def __str__(self) -> str:
        return f"{self.obj._meta.verbose_name} “{self.obj}” ({self.role})"

    @property
    def admin_url(self) -> str | None:
        opts = self.obj._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.obj.pk])
        except NoReverseMatch:
            return None


class ImageInUse(models.ProtectedError):
    """Deleting an image that something still shows. ``usages`` says where."""

    def __init__(self, usages: list[Usage]):
        self.usages = usages
        where = "; ".join(str(u) for u in usages[:10])
        more = f" and {len(usages) - 10} more" if len(usages) > 10 else ""
        self.message = (
            f"This picture is still used, so it cannot be deleted: {where}{more}. "
            "Replace or remove it there first."
        )
        super().__init__(self.message, {u.obj for u in usages})

    def __str__(self):
        return self.message


class ImageQuerySet(models.QuerySet):
    def create_from_upload(
        self,
        upload,
        *,
        alt_text: str,
        credit: str,
        name: str | None = None,
        **fields,
    ) -> "Image":
        """Check, store and render an upload; raise ``ValidationError`` if it is refused.

        ``upload`` is a Django ``File``/``UploadedFile``, any binary file object, or ``bytes``
        (then pass ``name``). Importers and scripts use this; it runs exactly the checks the
        admin form runs, and stores nothing when they fail.
        """
        if isinstance(upload, (bytes, bytearray, memoryview)):
            upload = ContentFile(bytes(upload), name=name or "upload")
        elif not isinstance(upload, File):
            upload = File(upload, name=name or getattr(upload, "name", None) or "upload")
        elif name:
            upload.name = name
        image = self.model(file=upload, alt_text=alt_text, credit=credit, **fields)
        image.full_clean()
        image.save()
        return image

    def delete(self):
        usages = [u for image in self for u in image.usages()]
        if usages:
            raise ImageInUse(usages)
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class MasterFieldFile(FieldFile):
    """The stored master. Assigning or saving a file here never stores it as it is."""

    def save(self, name, content, save=True):
        if not save:
            # FileField.pre_save would store the raw upload; Image.save() replaces it with a
            # checked, re-encoded master before that can happen. Reaching this means something
            # bypassed Image.save() (bulk_create, for one): refuse rather than store raw bytes.
            raise RuntimeError(
                "Images must be stored through Image.save() or Image.objects.create_from_upload()."
            )
        self.instance.file = File(content, name=name)
        self.instance.save()

    save.alters_data = True


class MasterFileField(models.FileField):
    attr_class = MasterFieldFile


def _fraction(label: str):
    return [
        MinValueValidator(0.0, f"The {label} must be between 0 and 1."),
        MaxValueValidator(1.0, f"The {label} must be between 0 and 1."),
    ]


class Image(models.Model):
    class Format(models.TextChoices):
        JPEG = "JPEG", "JPEG"
        PNG = "PNG", "PNG"
        WEBP = "WEBP", "WebP"
        AVIF = "AVIF", "AVIF"

    file = MasterFileField(
        "picture",
        max_length=255,
        help_text="JPEG, PNG, WebP, AVIF or GIF, up to 20 MB and 40 megapixels. It is checked, "
        "turned the right way up and stripped of camera data (such as GPS) before it is stored.",
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="For finding it in the library; not shown to readers. "
        "Leave blank to use the file name.",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=250,
        help_text="What the picture shows, for readers who cannot see it: “Ana Ruiz laughing "
        "on the red carpet at the Emmys”. Not the caption, and not “photo of”.",
    )
    caption = models.TextField(
        blank=True,
        max_length=600,
        help_text="Shown under the picture: who, what, where, when.",
    )
    credit = models.CharField(
        max_length=200,
        help_text="As it must be printed: “Jane Doe/Getty Images”, “Courtesy of NBC”.",
    )
    source = models.TextField(
        "source and licence",
        blank=True,
        help_text="Where it came from and the terms of use, for editors only: "
        "“NBC press site, editorial use only, until 2027”.",
    )
    focal_x = models.FloatField(
        "focal point (across)",
        null=True,
        blank=True,
        validators=_fraction("focal point"),
        help_text="0 is the left edge, 1 the right. Click the picture to set it.",
    )
    focal_y = models.FloatField(
        "focal point (down)",
        null=True,
        blank=True,
        validators=_fraction("focal point"),
        help_text="0 is the top edge, 1 the bottom. Blank for both means the centre.",
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    format = models.CharField(max_length=4, choices=Format.choices, editable=False)
    has_alpha = models.BooleanField("transparent", default=False, editable=False)
    animated = models.BooleanField(
        default=False,
        editable=False,
        help_text="The upload was animated; only its first frame is used.",
    )
    file_size = models.PositiveIntegerField("master size (bytes)", editable=False)
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    # Every rendition, made once: {"card-w640.avif": [storage name, bytes, width, height]}.
    # A JSON manifest on the row (not a table) so that a page of cards renders its <picture>
    # elements from the rows it already selected: no extra queries, no storage calls.
    renditions = models.JSONField(default=dict, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "image"
        indexes = [models.Index(fields=["-uploaded_at"], name="image_uploaded_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(focal_x__isnull=True) & Q(focal_y__isnull=True))
                | (Q(focal_x__range=(0, 1)) & Q(focal_y__range=(0, 1))),
                name="image_focal_point_valid",
                violation_error_message="Set both parts of the focal point (0 to 1), or neither.",
            ),
            models.CheckConstraint(
                condition=Q(width__gt=0) & Q(height__gt=0), name="image_size_positive"
            ),
        ]

    def __str__(self):
        return self.title or self.original_name or f"Image {self.pk}"

    # --- saving -----------------------------------------------------------------------------
    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            if self._pending_upload() is not None:
                writes, undo = self._store_new_picture()
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, *_DERIVED_FIELDS, "renditions"}
            elif self.pk and self._focal_changed():
                writes, undo = self._rerender_crops()
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "renditions", "updated_at"}
            else:
                writes = None
            super().save(*args, **kwargs)
            if writes is not None:
                writes.on_commit(undo or self._undo_new, using)
        self._loaded_focal = (self.focal_x, self.focal_y)

    save.alters_data = True

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        if "focal_x" in instance.__dict__ and "focal_y" in instance.__dict__:
            instance._loaded_focal = (instance.focal_x, instance.focal_y)
        return instance

    # --- what it is -------------------------------------------------------------------------
    @property
    def focal_point(self) -> tuple[float, float]:
        if self.focal_x is None or self.focal_y is None:
            return (0.5, 0.5)
        return (self.focal_x, self.focal_y)

    @property
    def info(self) -> ImageInfo:
        return ImageInfo(
            format=self.format,
            mime=processing.MIME_TYPES[self.format],
            width=self.width,
            height=self.height,
            has_alpha=self.has_alpha,
            animated=self.animated,
        )

    @property
    def megapixels(self) -> float:
        return math.ceil(self.width * self.height / 100_000) / 10

    # --- checks -----------------------------------------------------------------------------
    def clean(self):
        if (self.focal_x is None) != (self.focal_y is None):
            raise ValidationError(
                "Set both parts of the focal point, or clear both to use the centre."
            )
        if self._pending_upload() is not None:
            self._check_upload()

    def _pending_upload(self):
        """The file assigned since the last save, if it has not been stored yet."""
        if self.file and not self.file._committed:
            return self.file.file
        return None

    def _check_upload(self) -> tuple[bytes, ImageInfo]:
        """Check the pending upload and make its master (cached: clean() then save())."""
        upload = self._pending_upload()
        cached = getattr(self, "_prepared", None)
        if cached is not None and cached[0] is upload:
            return cached[1]
        name = PurePath(self.file.name or "").name
        try:
            result = processing.make_master(upload, name=name)
        except ImageRejected as exc:
            error = ValidationError(str(exc), code="image_rejected")
            raise ValidationError({"file": error}) from None
        self._prepared = (upload, result)
        return result

    def _focal_changed(self) -> bool:
        loaded = getattr(self, "_loaded_focal", None)
        if loaded is None:  # loaded with the focal point deferred: ask the database
            loaded = (
                type(self)._base_manager.filter(pk=self.pk).values_list("focal_x", "focal_y").get()
            )
        return loaded != (self.focal_x, self.focal_y)

    def _store_new_picture(self):
        upload_name = PurePath(self.file.name or "").name
        master, info = self._check_upload()
        storage = self.file.storage
        writes = files.PendingWrites(storage)
        if self.pk:
            # What the row names now, from the database: self.file is already the upload.
            old = type(self)._base_manager.filter(pk=self.pk).values().get()
            writes.obsolete = {old["file"], *(entry[0] for entry in old["renditions"].values())}
            undo = self._undo_change(old)
        else:
            undo = None  # a new row: _undo_new, bound once the row has its pk
        folder = files.new_folder()
        master_name = files.content_name(folder, "master", master, info.extension)
        writes.add(master_name, master, info.mime)
        self.renditions = self._render(writes, folder, master, info, widths=True)
        self.file = master_name  # a stored name: FileField.pre_save leaves it alone
        self.width, self.height = info.width, info.height
        self.format = info.format
        self.has_alpha, self.animated = info.has_alpha, info.animated
        self.file_size = len(master)
        self.original_name = upload_name[:255]
        if not self.title:
            self.title = PurePath(upload_name).stem.replace("_", " ").strip()[:200]
        self._master = master  # a focal change before commit must not read storage
        del self._prepared
        return writes, undo

    def _rerender_crops(self):
        storage = self.file.storage
        writes = files.PendingWrites(storage)
        master = self._read_master()
        folder = str(PurePath(self.file.name).parent)
        crops = self._render(writes, folder, master, self.info, widths=False)
        old = {key: entry for key, entry in self.renditions.items() if _crop_of(key) is not None}
        writes.obsolete = {entry[0] for entry in old.values()}
        undo = self._undo_change({"renditions": dict(self.renditions)})
        self.renditions = {
            **{k: v for k, v in self.renditions.items() if k not in old},
            **crops,
        }
        return writes, undo

    def _render(self, writes, folder, master, info, *, widths) -> dict:
        manifest = {}
        for spec, data in processing.iter_renditions(master, info, self.focal_point, widths=widths):
            name = files.content_name(folder, spec.name, data, spec.extension)
            writes.add(name, data, spec.mime)
            manifest[spec.key] = [name, len(data), spec.width, spec.height]
        return manifest

    def regenerate_renditions(self) -> None:
        """Make every rendition again from the master (after the rendition rules change)."""
        storage = self.file.storage
        writes = files.PendingWrites(storage)
        master = self._read_master()
        folder = str(PurePath(self.file.name).parent)
        undo = self._undo_change({"renditions": dict(self.renditions)})
        writes.obsolete = {entry[0] for entry in self.renditions.values()}
        using = router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            self.renditions = self._render(writes, folder, master, self.info, widths=True)
            type(self)._base_manager.filter(pk=self.pk).update(renditions=self.renditions)
            writes.on_commit(undo, using)

    def _read_master(self) -> bytes:
        if getattr(self, "_master", None) is not None:
            return self._master
        with self.file.open("rb") as fh:
            return fh.read()

    def stored_names(self) -> set[str]:
        """Every file this image has in storage: the master and each rendition."""
        names = {entry[0] for entry in (self.renditions or {}).values()}
        if self.file.name and self.file._committed:
            names.add(self.file.name)
        return names

    def _undo_new(self) -> None:
        """After a failed write: the new row must not point at files that are not there."""
        try:
            type(self)._base_manager.filter(pk=self.pk).delete()
        except models.ProtectedError:
            files.logger.error("Image %s names files that could not be written", self.pk)

    def _undo_change(self, old: dict):
        pk = self.pk
        old = {k: v for k, v in old.items() if k != "id"}

        def undo():
            type(self)._base_manager.filter(pk=pk).update(**old)

        return undo

    # --- deleting ---------------------------------------------------------------------------
    def usages(self) -> list[Usage]:
        """Everything that shows this image, found through the models that point at it.

        ``images`` imports none of the apps that use it: the relations are discovered from
        the model registry. A relation whose model defines ``image_usage()`` (the link table
        for pictures in story text does) names its owner and role itself.
        """
        if self.pk is None:
            return []
        found = []
        for relation in self._meta.get_fields(include_hidden=True):
            if not (relation.auto_created and relation.one_to_many):
                continue
            if relation.on_delete is not models.PROTECT:
                continue
            model = relation.related_model
            for obj in model._base_manager.filter(**{relation.field.name: self}):
                if hasattr(obj, "image_usage"):
                    found.append(Usage(*obj.image_usage()))
                else:
                    found.append(Usage(obj, str(relation.field.verbose_name)))
        return found

    def delete(self, *args, **kwargs):
        usages = self.usages()
        if usages:
            raise ImageInUse(usages)
        return super().delete(*args, **kwargs)

    delete.alters_data = True


# What a page needs of an image to print it (images.markup): enough to carry images inside
# another query as JSON (``images_json``) when a separate query would cost too much.
PAGE_FIELDS = ("id", "file", "renditions", "alt_text", "caption", "credit", "width", "height")
_JSON_SEPARATOR = "\x1e"  # JSON escapes control characters, so this never occurs inside


def images_json(path: str) -> StringAgg:
    """An aggregate of the images at ``path`` (e.g. "image" from a link table) as text:
    for a subquery that brings a row's pictures along with the row. Read it back with
    :func:`images_from_json`."""
    fields = JSONObject(**{name: f"{path}__{name}" for name in PAGE_FIELDS})
    return StringAgg(Cast(fields, TextField()), Value(_JSON_SEPARATOR))


def images_from_json(text: str | None, using: str = "default") -> dict[int, "Image"]:
    """id → Image, from what :func:`images_json` aggregated. The instances are loaded with
    only ``PAGE_FIELDS`` (the others deferred, as with ``.only()``), so saving one cannot
    blank what was not loaded."""
    names = [f.attname for f in Image._meta.concrete_fields if f.attname in PAGE_FIELDS]
    found = {}
    for chunk in (text or "").split(_JSON_SEPARATOR):
        if not chunk:
            continue
        data = json.loads(chunk)
        if isinstance(data["renditions"], str):  # SQLite nests the JSON column as a string
            data["renditions"] = json.loads(data["renditions"])
        image = Image.from_db(using, names, [data[name] for name in names])
        found[image.pk] = image
    return found


# What storing a new picture sets besides the file itself.
_DERIVED_FIELDS = (
    "file",
    "width",
    "height",
    "format",
    "has_alpha",
    "animated",
    "file_size",
    "original_name",
    "title",
    "updated_at",
)


def _crop_of(key: str) -> str | None:
    """The crop a manifest key belongs to: "card-w640.avif" → "card", "w640.jpg" → None."""
    stem = key.partition(".")[0]
    if stem.startswith("w") and stem[1:].isdigit():
        return None
    return stem.partition("-w")[0]
