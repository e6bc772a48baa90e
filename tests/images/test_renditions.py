"""Renditions are made once, stored under content-addressed names, have the sizes and formats
their names promise, follow the focal point, and work on any storage backend."""

import io
import re

import pytest
from django.core.files.storage import storages
from PIL import Image as PILImage

from images.models import Image
from tests.images.conftest import stored_files
from tests.pictures import encode, photo

pytestmark = pytest.mark.django_db

NAME = re.compile(
    r"^images/\d{4}/\d{2}/[0-9a-f]{12}/[a-z0-9-]+\.[0-9a-f]{10}\.(avif|webp|jpg|png)$"
)
PILLOW_FORMAT = {"avif": "AVIF", "webp": "WEBP", "jpg": "JPEG", "png": "PNG"}


def open_stored(image, key):
    name = image.renditions[key][0]
    with image.file.storage.open(name) as fh:
        data = fh.read()
    im = PILImage.open(io.BytesIO(data))
    im.load()
    return im, data


def test_every_rendition_has_the_size_and_format_its_manifest_says(make_image):
    image = make_image(encode(photo(1400, 1000)))
    assert image.renditions, "renditions are made on upload"
    for key, (name, size, width, height) in image.renditions.items():
        assert NAME.match(name), name
        im, data = open_stored(image, key)
        assert len(data) == size
        assert im.size == (width, height), key
        assert im.format == PILLOW_FORMAT[key.rpartition(".")[2]], key
        assert not im.getexif() and "icc_profile" not in im.info


def test_the_width_ladder_never_upscales(make_image):
    image = make_image(encode(photo(1400, 1000)))
    widths = sorted({w for key, (_n, _s, w, _h) in image.renditions.items() if key.startswith("w")})
    assert widths == [320, 640, 960, 1280, 1400]
    assert image.renditions["w1400.jpg"][2:] == [1400, 1000]
    assert "w1920.jpg" not in image.renditions


def test_crops_have_their_ratios_and_og_is_exactly_1200x630_jpeg(make_image):
    image = make_image(encode(photo(1400, 1000)))
    sizes = {key: tuple(entry[2:]) for key, entry in image.renditions.items()}
    assert sizes["card-w960.avif"] == (960, 540)
    assert sizes["square-w640.webp"] == (640, 640)
    assert sizes["poster-w640.jpg"] == (640, 960)
    assert sizes["og.jpg"] == (1200, 630)
    assert not [k for k in sizes if k.startswith("og.") and k != "og.jpg"]  # JPEG only
    for fmt in ("avif", "webp", "jpg"):
        assert f"card-w640.{fmt}" in sizes


def test_transparent_png_gets_a_png_fallback(make_image):
    im = photo(400, 300).convert("RGBA")
    im.putalpha(PILImage.linear_gradient("L").resize((400, 300)))
    image = make_image(encode(im, "PNG"), name="logo.png")
    assert image.has_alpha
    assert "w320.png" in image.renditions and "w320.jpg" not in image.renditions
    assert "og.jpg" in image.renditions  # flattened for crawlers


def test_moving_the_focal_point_redoes_only_the_crops(
    make_image, media_root, django_capture_on_commit_callbacks
):
    image = make_image(encode(photo(1600, 900)))
    before = dict(image.renditions)
    image.focal_x, image.focal_y = 0.05, 0.5
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    after = image.renditions
    assert set(after) == set(before)
    for key in before:
        if key.startswith("w"):
            assert after[key] == before[key], "plain widths do not depend on the focal point"
    assert after["square-w640.jpg"][0] != before["square-w640.jpg"][0]
    # The new crop really sits at the left: its left column matches the master's.
    square, _ = open_stored(image, "square-w640.jpg")
    with image.file.storage.open(image.file.name) as fh:
        master = PILImage.open(fh)
        master.load()
    left_strip = master.crop((0, 0, 900, 900)).resize((640, 640))
    assert _mean_abs_diff(square, left_strip) < 12
    # Old crop files are gone, new ones are there: one file per manifest entry, plus the master.
    on_disk = {str(p.relative_to(media_root)) for p in stored_files(media_root)}
    assert on_disk == {image.file.name, *(entry[0] for entry in after.values())}


def _mean_abs_diff(a, b) -> float:
    a, b = a.convert("L"), b.convert("L")
    pa, pb = a.tobytes(), b.tobytes()
    return sum(abs(x - y) for x, y in zip(pa, pb, strict=True)) / len(pa)


def test_saving_without_changes_makes_nothing_again(make_image, monkeypatch):
    image = make_image()
    from images import processing

    def forbidden(*args, **kwargs):
        raise AssertionError("renditions were made again")

    monkeypatch.setattr(processing, "iter_renditions", forbidden)
    image.caption = "A new caption"
    image.save()
    Image.objects.get(pk=image.pk).save()


def test_focal_change_on_a_deferred_load_is_noticed(make_image, django_capture_on_commit_callbacks):
    image = make_image(encode(photo(1600, 900)))
    loaded = Image.objects.defer("focal_x", "focal_y").get(pk=image.pk)
    loaded.focal_x, loaded.focal_y = 0.9, 0.1
    with django_capture_on_commit_callbacks(execute=True):
        loaded.save()
    assert loaded.renditions["square-w640.jpg"] != image.renditions["square-w640.jpg"]
    assert Image.objects.get(pk=image.pk).renditions == loaded.renditions


def test_regenerate_renditions_replaces_the_set(
    make_image, media_root, django_capture_on_commit_callbacks
):
    image = make_image()
    with django_capture_on_commit_callbacks(execute=True):
        image.regenerate_renditions()
    image.refresh_from_db()
    on_disk = {str(p.relative_to(media_root)) for p in stored_files(media_root)}
    assert on_disk == image.stored_names()


def test_works_with_a_storage_that_is_not_the_file_system(
    settings, media_root, make_image, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    storage = storages["default"]
    image = make_image()
    names = image.stored_names()
    assert len(names) == 1 + len(image.renditions)
    assert all(storage.exists(name) for name in names)
    assert stored_files(media_root) == []
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not any(storage.exists(name) for name in names)
