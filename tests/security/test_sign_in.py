"""Wrong passwords slow an account down, then lock it (and the address) out;
idle editors are signed out."""

import datetime
import uuid

import pytest
import time_machine
from django.test import Client

from tests.admin_forms import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fresh_counts(settings):
    # A cache namespace of this test's own: no counts from other tests, and
    # nothing flushed from a Redis database other runs may share.
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"sign-in-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def editor(db):
    return UserFactory(username="dana", is_staff=True, is_superuser=True)


def client_from(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def test_three_wrong_passwords_then_a_growing_wait(editor):
    client = client_from("203.0.113.5")
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            assert sign_in(client, "dana", "wrong").status_code == 200  # the form again
        refused = sign_in(client, "dana", PASSWORD)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "5"
        assert "Wait 5 seconds" in refused.content.decode()
        clock.shift(datetime.timedelta(seconds=6))
        assert sign_in(client, "dana", "wrong again").status_code == 200
        assert sign_in(client, "dana", PASSWORD)["Retry-After"] == "10"  # it doubles
        clock.shift(datetime.timedelta(seconds=11))
        assert sign_in(client, "dana", PASSWORD).status_code == 302  # right password, in time


def test_ten_failures_lock_the_account_name_from_any_address(editor):
    with time_machine.travel(START, tick=False) as clock:
        for attempt in range(10):
            client = client_from(f"198.51.100.{attempt}")  # a different address each time
            clock.shift(datetime.timedelta(minutes=2))  # patient enough for the throttle
            sign_in(client, "dana", f"guess-{attempt}")
        clock.shift(datetime.timedelta(minutes=2))
        locked = sign_in(client_from("192.0.2.1"), "dana", PASSWORD)
        assert locked.status_code == 429
        assert "Sign-in locked" in locked.content.decode()
        assert "0:30:00" in locked.content.decode()
        clock.shift(datetime.timedelta(minutes=31))
        assert sign_in(client_from("192.0.2.1"), "dana", PASSWORD).status_code == 302


def test_ten_failures_from_one_address_lock_that_address(editor):
    UserFactory(username="tom", is_staff=True)
    client = client_from("203.0.113.9")
    with time_machine.travel(START, tick=False) as clock:
        for attempt in range(10):
            clock.shift(datetime.timedelta(minutes=2))
            sign_in(client, f"nobody-{attempt}", "guess")
        clock.shift(datetime.timedelta(minutes=2))
        assert sign_in(client, "dana", PASSWORD).status_code == 429
        assert sign_in(client_from("203.0.113.10"), "dana", PASSWORD).status_code == 302


def test_idle_editors_are_signed_out_active_ones_are_not(editor):
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        assert sign_in(client, "dana", PASSWORD).status_code == 302
        for _ in range(12):  # two hours of work, a page every ten minutes
            clock.shift(datetime.timedelta(minutes=10))
            assert client.get("/admin/").status_code == 200
        clock.shift(datetime.timedelta(minutes=61))
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
