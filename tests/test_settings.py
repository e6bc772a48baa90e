"""Production refuses to start without its secrets; development needs nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "-production-secret-key-for-tests-only-0123456789"


def start(**env):
    """Import the settings in a fresh interpreter, as gunicorn would."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DJANGO_ENV",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "DATABASE_URL",
            "NEWSROOM_TIME_ZONE",
        }
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG, settings.TIME_ZONE)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_starts_with_no_configuration():
    result = start()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True America/New_York"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "news.example.com"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "news.example.com"}, "50+ characters"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "must list this site's host names"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "news.example.com", "DEBUG": "1"}, "DEBUG"),
    ],
)
def test_production_refuses_to_start_without_its_settings(env, message):
    result = start(DJANGO_ENV="production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_starts_when_configured():
    result = start(DJANGO_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="news.example.com")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False")


def test_time_zone_is_a_setting_and_checked():
    assert start(NEWSROOM_TIME_ZONE="Europe/London").stdout.strip() == "True Europe/London"
    result = start(NEWSROOM_TIME_ZONE="Mars/Olympus")
    assert result.returncode != 0 and "not a time zone name" in result.stderr


def test_production_turns_every_https_protection_on():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_TRUSTED_ORIGINS)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "news.example.com",
            "CSRF_TRUSTED_ORIGINS": "https://news.example.com",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True True True True True ['https://news.example.com']"
