"""Uploads through the admin form and the model API: hostile files are refused with a message
an editor can act on and nothing is stored; good ones are stored re-encoded, upright and
without camera data."""

import io
import struct
import zipfile
import zlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image as PILImage

from images.models import Image
from tests.admin_forms import post_admin_form
from tests.images.conftest import phone_jpeg, stored_files
from tests.pictures import encode, photo

pytestmark = pytest.mark.django_db

ADD_URL = "admin:images_image_add"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """57 bytes that claim 900 megapixels: decoding would need 2.7 GB."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    data = encode(photo(400, 300), "JPEG", quality=90)
    return data[: len(data) // 2]


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">'
    b'<script>fetch("/admin/").then(r => r.text()).then(steal)</script>'
    b'<rect width="200" height="200" fill="red"/></svg>'
)


def png_zip_polyglot() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("payload.html", "<script>alert(document.domain)</script>")
    return encode(photo(200, 150), "PNG") + archive.getvalue()


HOSTILE = [
    pytest.param(
        "bomb.png",
        bomb_png,
        "This image is 30,000 × 30,000 pixels (900 megapixels); the limit is 40 megapixels.",
        id="decompression-bomb",
    ),
    pytest.param(
        "truncated.jpg",
        truncated_jpeg,
        "The file is damaged or incomplete (it ends early); please export it again.",
        id="truncated-jpeg",
    ),
    pytest.param(
        "logo.svg",
        lambda: SVG_WITH_SCRIPT,
        "This file is an SVG drawing; upload a JPEG, PNG, WebP, AVIF or GIF photo.",
        id="svg-with-script",
    ),
    pytest.param(
        "holiday.jpg",
        lambda: encode(photo(300, 200), "PNG"),
        "This file is a PNG image, but its name ends in “.jpg”. Rename it to end in .png "
        "(or save it as a JPEG in your photo editor) and upload it again.",
        id="png-renamed-jpg",
    ),
    pytest.param(
        "innocent.png",
        png_zip_polyglot,
        "This file has a ZIP archive hidden in it besides the picture",
        id="polyglot-png-zip",
    ),
    pytest.param(
        "strip.png",
        lambda: encode(PILImage.new("L", (1, 60_000)), "PNG"),
        "This image is 1 × 60,000 pixels; images must be at least 16 pixels on each side.",
        id="1x60000-strip",
    ),
    pytest.param(
        "empty.jpg",
        lambda: b"",
        "The submitted file is empty.",
        id="zero-bytes",
    ),
]


def image_fields(upload, **overrides):
    fields = {
        "file": upload,
        "title": "",
        "alt_text": "Ana Ruiz laughing on the red carpet",
        "caption": "Ana Ruiz at the premiere in Los Angeles.",
        "credit": "Pat Lens/Harbor Pictures",
        "source": "Agency feed, editorial use only",
        "focal_x": "",
        "focal_y": "",
    }
    fields.update(overrides)
    return fields


@pytest.mark.parametrize(("name", "make", "message"), HOSTILE)
def test_hostile_file_refused_through_admin_form(csrf_client, media_root, name, make, message):
    upload = SimpleUploadedFile(name, make(), content_type="image/jpeg")  # the browser lies too
    response = post_admin_form(csrf_client, reverse(ADD_URL), image_fields(upload))

    assert response.status_code == 200  # the form again, not a 500 and not a redirect
    errors = response.context["adminform"].form.errors["file"]
    assert len(errors) == 1 and errors[0].startswith(message), errors
    html = response.content.decode()
    assert "Please correct the error below." in html
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(("name", "make", "message"), [p for p in HOSTILE if p.id != "zero-bytes"])
def test_hostile_file_refused_through_the_model_api(make_image, media_root, name, make, message):
    with pytest.raises(ValidationError) as exc_info:
        make_image(make(), name=name)
    assert exc_info.value.message_dict["file"][0].startswith(message)
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_empty_bytes_refused_through_the_model_api(make_image, media_root):
    with pytest.raises(ValidationError) as exc_info:
        make_image(b"", name="empty.jpg")
    assert exc_info.value.message_dict["file"] == [
        "The file is empty (0 bytes); please choose the image file again."
    ]
    assert stored_files(media_root) == []


def test_phone_photo_through_admin_is_stored_upright_and_without_camera_data(
    csrf_client, editor, media_root, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("IMG_2041.jpg", phone_jpeg(1200, 900, orientation=6))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_admin_form(
            csrf_client, reverse(ADD_URL), image_fields(upload, focal_x="0.5", focal_y="0.2")
        )
    assert response.status_code == 302, response.context["adminform"].form.errors

    image = Image.objects.get()
    assert (image.width, image.height) == (900, 1200)  # Orientation 6: displayed portrait
    assert image.title == "IMG 2041" and image.original_name == "IMG_2041.jpg"
    assert image.uploaded_by == editor
    assert image.focal_point == (0.5, 0.2)
    files = stored_files(media_root)
    assert len(files) == 1 + len(image.renditions)
    for path in files:
        data = path.read_bytes()
        assert b"Pocketphone" not in data and b"PP-15" not in data
        with PILImage.open(path) as im:
            assert not im.getexif(), path.name  # no EXIF at all, so no GPS
            assert "exif" not in im.info and "icc_profile" not in im.info
    with PILImage.open(media_root / image.file.name) as master:
        assert master.size == (900, 1200)


def test_upload_form_says_what_is_accepted(editor_client):
    html = editor_client.get(reverse(ADD_URL)).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp,image/avif,image/gif"' in html
    assert "up to 20 MB and 40 megapixels" in html


def test_missing_alt_text_and_credit_refused_and_nothing_stored(csrf_client, media_root):
    upload = SimpleUploadedFile("ok.jpg", encode(photo(300, 200)))
    response = post_admin_form(
        csrf_client, reverse(ADD_URL), image_fields(upload, alt_text="", credit="")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["alt_text"] == ["This field is required."]
    assert errors["credit"] == ["This field is required."]
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_half_a_focal_point_is_refused(csrf_client, media_root):
    upload = SimpleUploadedFile("ok.jpg", encode(photo(300, 200)))
    response = post_admin_form(csrf_client, reverse(ADD_URL), image_fields(upload, focal_x="0.3"))
    assert response.status_code == 200
    assert "Set both parts of the focal point" in response.content.decode()
    assert stored_files(media_root) == []


def test_focal_point_outside_the_picture_is_refused(csrf_client):
    upload = SimpleUploadedFile("ok.jpg", encode(photo(300, 200)))
    response = post_admin_form(
        csrf_client, reverse(ADD_URL), image_fields(upload, focal_x="1.5", focal_y="0.5")
    )
    assert response.context["adminform"].form.errors["focal_x"] == [
        "The focal point must be between 0 and 1."
    ]


# --- the model is the guard, not the form ------------------------------------------------------


def test_assigning_a_raw_file_and_saving_still_checks_it(
    media_root, django_capture_on_commit_callbacks
):
    image = Image(alt_text="x", credit="y", file=ContentFile(SVG_WITH_SCRIPT, name="a.svg"))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        image.save()  # no full_clean(): save() checks anyway
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_fieldfile_save_goes_through_the_checks(
    make_image, media_root, django_capture_on_commit_callbacks
):
    image = make_image()
    before = set(stored_files(media_root))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        image.file.save("evil.png", ContentFile(png_zip_polyglot()))
    image.refresh_from_db()
    assert set(stored_files(media_root)) == before


def test_bulk_create_cannot_store_raw_uploads(media_root):
    image = Image(alt_text="x", credit="y", file=ContentFile(encode(photo(64, 64)), name="a.jpg"))
    with pytest.raises(RuntimeError, match=r"Image\.save"):
        Image.objects.bulk_create([image])
    assert stored_files(media_root) == []


def test_nothing_is_stored_when_the_transaction_fails(
    media_root, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Image.objects.create_from_upload(encode(photo()), name="a.jpg", alt_text="x", credit="y")
        raise RuntimeError("something later in the same transaction fails")
    assert callbacks == []  # the write was never due
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_a_storage_failure_leaves_no_row_and_no_files(
    media_root, django_capture_on_commit_callbacks
):
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage.save
    calls = []

    def flaky(self, name, content, *args, **kwargs):
        calls.append(name)
        if len(calls) == 5:
            raise OSError("disk full")
        return real_save(self, name, content, *args, **kwargs)

    with (
        mock.patch.object(FileSystemStorage, "save", flaky),
        pytest.raises(OSError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        Image.objects.create_from_upload(encode(photo()), name="a.jpg", alt_text="x", credit="y")
    assert len(calls) == 5
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_replacing_the_picture_stores_new_files_and_removes_the_old(
    csrf_client, make_image, media_root, django_capture_on_commit_callbacks
):
    image = make_image(encode(photo(800, 600)), name="first.jpg")
    old = set(stored_files(media_root))
    upload = SimpleUploadedFile("second.png", encode(photo(640, 640, seed=9), "PNG"))
    url = reverse("admin:images_image_change", args=[image.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_admin_form(csrf_client, url, image_fields(upload, title=image.title))
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.width, image.height, image.format) == (640, 640, "PNG")
    new = set(stored_files(media_root))
    assert not (old & new)
    assert len(new) == 1 + len(image.renditions)


def test_editing_words_only_touches_no_files(csrf_client, make_image, media_root):
    image = make_image()
    before = {p: p.stat().st_mtime_ns for p in stored_files(media_root)}
    url = reverse("admin:images_image_change", args=[image.pk])
    response = post_admin_form(
        csrf_client, url, image_fields("", title="Renamed", caption="New caption")
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption == "New caption"
    assert {p: p.stat().st_mtime_ns for p in stored_files(media_root)} == before


def test_a_gif_is_stored_as_its_first_frame(make_image):
    frames = [photo(120, 90, seed=s).convert("P") for s in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100)
    image = make_image(buf.getvalue(), name="loop.gif")
    assert image.animated and image.format == "PNG"
    assert image.file.name.endswith(".png")
