"""Media as readers get it in development (Django serves MEDIA_URL when DEBUG is on): the
right Content-Type for every rendition format, nosniff, and no camera data in any file.
Production serves media from nginx or a bucket; docs/operations.md has those headers."""

import importlib

import pytest
from django.urls import clear_url_caches

from tests.images.conftest import phone_jpeg

pytestmark = pytest.mark.django_db

TYPES = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}


@pytest.fixture
def dev_media_urls(settings):
    """The URL conf as `make run` builds it (DEBUG on), restored afterwards."""
    import newsroom.urls

    settings.DEBUG = True
    importlib.reload(newsroom.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_media_is_served_with_its_type_and_nosniff(client, make_image, dev_media_urls):
    image = make_image(phone_jpeg(800, 600), name="IMG_1.jpg")
    served = 0
    for key, (name, size, _w, _h) in image.renditions.items():
        response = client.get(f"/media/{name}")
        assert response.status_code == 200, name
        assert response["Content-Type"] == TYPES[key.rpartition(".")[2]], key
        assert response["X-Content-Type-Options"] == "nosniff"
        body = b"".join(response.streaming_content)
        assert len(body) == size
        assert b"Pocketphone" not in body and b"Exif\x00\x00" not in body
        served += 1
    assert served == len(image.renditions) >= 20
