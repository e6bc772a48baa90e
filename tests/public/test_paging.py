"""Story lists page without counting: "Page 2", a link to older stories only when
there are some, and 404 for pages that do not exist."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    section = SectionFactory(name="Television", slug="tv")
    now = timezone.now()
    for n in range(41):
        ArticleFactory(
            section=section,
            headline=f"Story number {n:02d}",
            publish_at=now - datetime.timedelta(hours=n + 1),
        )
    return section


def test_pages_of_a_list(client, section):
    first = client.get("/section/tv/").content.decode()
    assert "Story number 00" in first and "Story number 19" in first
    assert "Story number 20" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert "Page 1<" in first

    third = client.get("/section/tv/?page=3").content.decode()
    assert "Story number 40" in third and "Story number 39" not in third
    assert 'rel="prev"' in third and 'rel="next"' not in third
    assert "Page 3<" in third


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "1.5", "last", "9" * 30])
def test_pages_that_do_not_exist_are_404(client, section, page):
    assert client.get(f"/section/tv/?page={page}").status_code == 404


def test_an_exact_fit_has_no_older_link(client, section):
    # 41 stories: page 2 holds 20-39 and page 3 the last one; drop that one.
    from articles.models import Article

    Article.objects.filter(headline="Story number 40").delete()
    second = client.get("/section/tv/?page=2").content.decode()
    assert 'rel="next"' not in second
    assert client.get("/section/tv/?page=3").status_code == 404
