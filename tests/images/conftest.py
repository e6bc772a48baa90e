"""Fixtures for the media library: a private MEDIA_ROOT for every test here, generated
pictures, phone photos with camera data. ``make_image`` is in tests/conftest.py."""

from pathlib import Path

import pytest
from django.test import Client
from PIL import Image as PILImage

from tests.pictures import encode, photo


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


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
def csrf_client(editor):
    """A browser-like client: CSRF checks on, logged in as an editor."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    return client
