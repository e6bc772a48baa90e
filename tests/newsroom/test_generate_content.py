import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ArticlePerson
from people.models import Character, Person
from shows.models import Show
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("generate_content", *args, stdout=out)
    return out.getvalue()


def test_generates_linked_published_content_marked_as_fake(client):
    out = run("--articles", "40", "--people", "10", "--shows", "5")
    assert "Generated 40 stories, 10 people, 5 shows" in out
    assert Article.objects.published().count() == 40
    assert all(a.slug.startswith("generated-") for a in Article.objects.all())
    assert Character.objects.filter(slug__startswith="generated-").exists()
    assert ArticlePerson.objects.count() == 40
    story = Article.objects.first()
    assert client.get(story.get_absolute_url()).status_code == 200
    person = ArticlePerson.objects.first().person
    assert client.get(person.get_absolute_url()).status_code == 200
    # Names are searchable like hand-made ones.
    assert Person.objects.filter(
        search_names__contains=person.name.split()[-1].lower()[:3]
    ).exists()


def test_delete_removes_only_generated_content():
    real_story = ArticleFactory(headline="A real story")
    real_person = PersonFactory(name="A Real Person")
    run("--articles", "20", "--people", "5", "--shows", "3")
    out = run("--delete")
    assert "Deleted 20 stories" in out
    assert list(Article.objects.all()) == [real_story]
    assert list(Person.objects.all()) == [real_person]
    assert not Show.objects.filter(slug__startswith="generated-").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Say how much to make"),
        (["--articles", "5"], "need people and shows"),
        (["--people", "-1"], "zero or more"),
    ],
)
def test_bad_arguments_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="not production"):
        run("--people", "1")
