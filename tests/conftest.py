import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Hashing strength is not under test; MD5 keeps hundreds of logins quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    """The demo site (manage.py load_demo)."""
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())


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
