"""Production static files: collected with hashed, compressed copies, and every
page refers to them only by their hashed names, which whitenoise serves with
far-future cache headers."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.models import Article
from people.models import Character, Person
from shows.models import Show

pytestmark = pytest.mark.django_db

STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')
# name.0123456789ab.ext: the manifest storage's hashed name.
HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--no-input", verbosity=0)
    # A new client builds a new handler, so whitenoise reads the collected files.
    return Client()


def page_urls():
    story = Article.objects.published().first()
    person = Person.objects.filter(articles__isnull=False).first()
    return [
        "/",
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        f"/tags/{story.tags.first().slug}/",
        story.authors.first().get_absolute_url(),
        f"/archive/{timezone.localtime(story.publish_at):%Y/%m}/",
        person.get_absolute_url(),
        Character.objects.first().get_absolute_url(),
        Show.objects.first().get_absolute_url(),
        "/people/",
        "/shows/",
        "/search/?q=harbor",
        "/admin/login/",
    ]


def test_every_page_refers_to_hashed_static_files_only(demo, production_static):
    client = production_static
    seen = set()
    for url in page_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        found = STATIC_URL.findall(response.content.decode())
        assert found, url
        for static in found:
            assert HASHED.search(static), (url, static)
        seen.update(found)
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert all(HASHED.search(s) for s in STATIC_URL.findall(not_found.content.decode()))

    for static in seen:
        response = client.get(static, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200, static
        control = response["Cache-Control"]
        assert "max-age=315360000" in control and "immutable" in control, static
    css = next(s for s in seen if s.endswith(".css"))
    assert client.get(css, headers={"accept-encoding": "gzip"})["Content-Encoding"] == "gzip"
