import hashlib

import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Hashing strength is not under test; MD5 keeps hundreds of logins quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def own_page_cache(settings):
    """Each test gets its own page-cache keys and reads the content version afresh.

    A test's database changes roll back (and its setting changes are undone), so
    pages another test cached could otherwise match this test's version."""
    import uuid

    from articles import freshness

    settings.CACHE_MIDDLEWARE_KEY_PREFIX = f"test-{uuid.uuid4().hex}"
    freshness.forget()
    yield
    freshness.forget()


# What rendering made of the demo's pictures, kept for the whole test session (see load_demo).
_DEMO_RENDERS: dict = {}


def _remembered(function, key):
    def wrapper(*args, **kwargs):
        k = key(*args, **kwargs)
        if k not in _DEMO_RENDERS:
            _DEMO_RENDERS[k] = list(function(*args, **kwargs))
        return iter(_DEMO_RENDERS[k]) if k[0] == "renditions" else tuple(_DEMO_RENDERS[k])

    return wrapper


def _upload_key(upload, *, name=""):
    data = upload.read()
    upload.seek(0)
    return ("master", hashlib.sha256(data).hexdigest(), name)


def _renditions_key(master, info, focal, **kwargs):
    return ("renditions", hashlib.sha256(master).hexdigest(), info, focal, tuple(kwargs.items()))


@pytest.fixture
def load_demo(media_root, monkeypatch):
    """``manage.py load_demo``, as ``make run`` runs it, pictures and all.

    The demo's ~20 pictures go through the real checks and rendering, but rendering the
    same bytes always gives the same files, so within a test session each is made once
    and remembered (only while load_demo runs): otherwise every test that loads the demo
    would spend ~12 s of CPU redrawing them.
    """
    import io

    from django.core.management import call_command

    from images import processing

    def load():
        with monkeypatch.context() as patch:
            patch.setattr(
                processing, "make_master", _remembered(processing.make_master, _upload_key)
            )
            patch.setattr(
                processing,
                "iter_renditions",
                _remembered(processing.iter_renditions, _renditions_key),
            )
            out = io.StringIO()
            call_command("load_demo", stdout=out)
        return out.getvalue()

    return load


@pytest.fixture
def demo(db, load_demo):
    """The demo site (manage.py load_demo)."""
    load_demo()


@pytest.fixture
def media_root(settings, tmp_path):
    """A private MEDIA_ROOT for the test (tests/images makes this automatic)."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def make_image(media_root, django_capture_on_commit_callbacks):
    """Store an image through the model API, with its files written as on commit."""
    from images.models import Image
    from tests.pictures import encode, photo

    def make(data: bytes | None = None, name: str = "photo.jpg", **fields):
        fields.setdefault("alt_text", "Two actors laughing on a ferry dock")
        fields.setdefault("credit", "Pat Lens/Harbor Pictures")
        with django_capture_on_commit_callbacks(execute=True):
            return Image.objects.create_from_upload(
                data if data is not None else encode(photo()), name=name, **fields
            )

    return make


@pytest.fixture
def editor(db):
    from tests.factories import UserFactory

    return UserFactory(username="chief", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def staff_in(group_name, username, **extra):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    user = UserFactory(username=username, is_staff=True, **extra)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def contributor(db):
    return staff_in("Contributor", "casey", first_name="Casey", last_name="Contributor")


@pytest.fixture
def other_contributor(db):
    return staff_in("Contributor", "otto", first_name="Otto", last_name="Other")


@pytest.fixture
def desk_editor(db):
    """An editor by role (the Editor group), not a superuser."""
    return staff_in("Editor", "edie", first_name="Edie", last_name="Desk")


@pytest.fixture
def site_admin(db):
    return staff_in("Admin", "ada", first_name="Ada", last_name="Admin")


@pytest.fixture
def browser():
    """Make browser-like clients: CSRF checks on, logged in as ``user``."""
    from django.test import Client

    def make(user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    return make


def pytest_terminal_summary(terminalreporter):
    """Say plainly which checks did not run, and how to run them."""
    from tests.e2e.tools import SKIP_PREFIX

    reasons = set()
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if SKIP_PREFIX in reason:
            reasons.add(reason[reason.index(SKIP_PREFIX) :])
    if reasons:
        terminalreporter.write_sep("=", "checks skipped on this machine", yellow=True)
        for reason in sorted(reasons):
            terminalreporter.write_line(reason)
