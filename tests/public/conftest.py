import pytest
from django.core.cache import cache

from articles.navigation import NAV_CACHE_KEY


@pytest.fixture(autouse=True)
def fresh_section_menu():
    # The section menu is cached; each test starts without it. (Only our key:
    # cache.clear() would flush a Redis database other runs may share.)
    cache.delete(NAV_CACHE_KEY)
    yield
    cache.delete(NAV_CACHE_KEY)
