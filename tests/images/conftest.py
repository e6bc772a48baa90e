"""Fixtures for the media library: a private MEDIA_ROOT per test, generated pictures, and
images stored the way the admin stores them (files written when the transaction commits)."""

import io
import random
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image as PILImage

from images.models import Image


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def photo(width: int = 900, height: int = 600, seed: int = 5) -> PILImage.Image:
    """A small photo-ish picture: gradients, shapes and noise (encoders do real work)."""
    rng = random.Random(seed)
    grad = PILImage.linear_gradient("L").resize((width, height))
    noise = PILImage.effect_noise((width, height), 25)
    im = PILImage.merge(
        "RGB",
        [
            PILImage.blend(grad, noise, 0.3),
            grad.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT),
            noise,
        ],
    )
    im.paste((rng.randrange(256), 40, 40), (width // 3, height // 3, width // 2, height // 2))
    return im


def encode(im: PILImage.Image, fmt: str = "JPEG", **params) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


GPS = {1: "N", 2: (40.0, 44.0, 54.36), 3: "W", 4: (73.0, 59.0, 8.5)}


def phone_jpeg(width: int = 1200, height: int = 900, orientation: int = 6) -> bytes:
    """What a phone sends: EXIF with GPS, camera make and an orientation tag."""
    exif = PILImage.Exif()
    exif[0x010F] = "Pocketphone Inc."
    exif[0x0110] = "PP-15 Pro"
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update(GPS)
    return encode(photo(width, height), "JPEG", quality=90, exif=exif.tobytes())


@pytest.fixture
def make_image(django_capture_on_commit_callbacks):
    """Store an image through the model API, with its files written as on commit."""

    def make(data: bytes | None = None, name: str = "photo.jpg", **fields) -> Image:
        fields.setdefault("alt_text", "Two actors laughing on a ferry dock")
        fields.setdefault("credit", "Pat Lens/Harbor Pictures")
        with django_capture_on_commit_callbacks(execute=True):
            return Image.objects.create_from_upload(
                data if data is not None else encode(photo()), name=name, **fields
            )

    return make


@pytest.fixture
def csrf_client(editor):
    """A browser-like client: CSRF checks on, logged in as an editor."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    return client
