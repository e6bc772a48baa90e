import pytest

from articles.navigation import forget_nav_sections


@pytest.fixture(autouse=True)
def fresh_section_menu(db):
    # The section menu is cached; each test starts without it. (Only our key:
    # cache.clear() would flush a Redis database other runs may share.)
    forget_nav_sections()
    yield
    forget_nav_sections()
