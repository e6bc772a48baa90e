"""Outages, for real: a database that goes away and comes back under a running
gunicorn, and a Redis that dies while the site is serving."""

import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import caches

from tests.factories import ArticleFactory
from tests.security.services import TempPostgres, TempRedis, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def private_postgres():
    server = TempPostgres()
    server.start()
    yield server
    server.destroy()


def test_database_outage_gives_503_and_the_site_recovers_without_restart(private_postgres):
    env = {
        **os.environ,
        "DATABASE_URL": private_postgres.url,
        "DJANGO_ENV": "development",
        "DEBUG": "0",  # what readers see, not Django's debug page
        "CACHE_URL": "",
        "REDIS_URL": "",
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "newsroom.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--timeout", "30"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for_port(port)
        home = f"http://127.0.0.1:{port}/"
        assert fetch(home)[0] == 200

        private_postgres.stop()
        # The page cache re-reads the content version at most once a second;
        # past that, every page needs the database.
        time.sleep(1.1)
        status, headers, body = fetch(home)
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert "Back in a moment" in body
        assert "Traceback" not in body and "OperationalError" not in body
        assert fetch(f"http://127.0.0.1:{port}/people/?never=cached")[0] == 503

        private_postgres.start()
        deadline = time.monotonic() + 15
        while (status := fetch(home)[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status == 200, "the same gunicorn must reconnect on its own"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def private_redis(settings):
    server = TempRedis()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield server
    server.stop()


@pytest.mark.django_db
def test_redis_outage_keeps_the_site_serving_and_is_logged(private_redis, client, caplog):
    article = ArticleFactory()
    cache = caches["default"]
    cache.set("probe", "up")
    assert cache.get("probe") == "up"
    pages = ["/", article.get_absolute_url(), "/feed/", article.section.get_absolute_url()]
    assert [client.get(url).status_code for url in pages] == [200] * len(pages)

    private_redis.stop()
    with caplog.at_level(logging.ERROR, logger="newsroom.cache"):
        started = time.monotonic()
        assert [client.get(url).status_code for url in pages] == [200] * len(pages)
        assert time.monotonic() - started < 10  # short timeouts: no request hangs
        assert cache.get("probe") is None
    assert any("Cache unavailable" in record.message for record in caplog.records)

    private_redis.start()
    cache.set("probe", "back")
    assert cache.get("probe") == "back"
