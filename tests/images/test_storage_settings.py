"""MEDIA_STORAGE switches uploads to an S3-compatible bucket, and says what is missing."""

import importlib.util
import os
import subprocess
import sys

import pytest

from tests.test_settings import ROOT, start

HAS_STORAGES = importlib.util.find_spec("storages") is not None


def show_storage(**env):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.STORAGES['default'])",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_local_files_by_default():
    result = show_storage()
    assert result.returncode == 0, result.stderr
    assert "FileSystemStorage" in result.stdout


def test_unknown_media_storage_refused():
    result = start(MEDIA_STORAGE="ftp")
    assert result.returncode != 0 and "MEDIA_STORAGE must be 'local' or 's3'" in result.stderr


@pytest.mark.skipif(HAS_STORAGES, reason="django-storages is installed here")
def test_s3_without_django_storages_says_how_to_install_it():
    result = start(MEDIA_STORAGE="s3", MEDIA_S3_BUCKET="newsroom-media")
    assert result.returncode != 0
    assert 'pip install "django-storages[s3]==1.14.6"' in result.stderr


@pytest.mark.skipif(not HAS_STORAGES, reason="needs django-storages (optional)")
def test_s3_settings_from_the_environment():
    result = show_storage(
        MEDIA_STORAGE="s3",
        MEDIA_S3_BUCKET="newsroom-media",
        MEDIA_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        MEDIA_S3_CUSTOM_DOMAIN="media.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert "storages.backends.s3.S3Storage" in result.stdout
    assert "'bucket_name': 'newsroom-media'" in result.stdout
    assert "'querystring_auth': False" in result.stdout
    assert "immutable" in result.stdout
