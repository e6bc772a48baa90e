import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Hashing strength is not under test; MD5 keeps hundreds of logins quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    from tests.factories import UserFactory

    return UserFactory(username="chief", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
