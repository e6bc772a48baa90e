import io

import pytest
from django.core.management import call_command

from articles.models import Article, Author, Section
from people.models import Character, Person
from shows.models import Show

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_demo_loads_and_is_idempotent(demo):
    counts = [m.objects.count() for m in (Article, Author, Section, Person, Character, Show)]
    assert counts[0] >= 12 and counts[1] == 2 and sum(counts[3:]) >= 30
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "stories 0 created, 0 updated" in out.getvalue()
    assert "user “editor”, password" in out.getvalue()
    assert [
        m.objects.count() for m in (Article, Author, Section, Person, Character, Show)
    ] == counts


def test_demo_editor_can_log_in(demo, client):
    assert client.login(username="editor", password="read-all-about-it")
    assert client.get("/admin/").status_code == 200


def test_demo_contributor_sees_only_their_own_stories(demo, client):
    assert client.login(username="writer", password="read-all-about-it")
    page = client.get("/admin/articles/article/")
    assert page.status_code == 200
    assert "0 articles" in page.content.decode()
    assert client.get("/admin/articles/article/add/").status_code == 200


def test_demo_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="not production"):
        call_command("load_demo", stdout=io.StringIO())


def test_every_demo_page_answers(demo, client):
    assert client.get("/").status_code == 200
    for article in Article.objects.published():
        page = client.get(article.get_absolute_url())
        assert page.status_code == 200
        assert article.headline in page.content.decode()
    for model in (Person, Character, Show, Section, Author):
        for obj in model.objects.all():
            assert client.get(obj.get_absolute_url()).status_code == 200, obj
    assert client.get("/people/").status_code == 200
    assert client.get("/shows/").status_code == 200
