"""Deleting never takes more than the editor was shown: the confirmation names
what goes with a story, and deleting a person or show leaves its stories."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticlePerson, ArticleShow, Correction
from people.models import Person
from shows.models import Show
from tests.factories import ArticleFactory, PersonFactory, ShowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    article = ArticleFactory(headline="A linked story")
    ArticlePerson.objects.create(article=article, person=PersonFactory(name="Ruth Abernathy"))
    ArticleShow.objects.create(article=article, show=ShowFactory(title="Harbor Lights"))
    Correction.objects.create(article=article, note="A fix.")
    return article


def test_story_delete_confirmation_names_what_goes_with_it(editor_client, story):
    page = editor_client.get(reverse("admin:articles_article_delete", args=[story.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "A linked story" in html
    for related in ("Ruth Abernathy", "Harbor Lights", "Correction"):
        assert related in html, related
    # ...and says the people and the show themselves stay (only the links go).
    assert Person.objects.filter(name="Ruth Abernathy").exists()


@pytest.mark.parametrize(("model", "name"), [(Show, "Harbor Lights"), (Person, "Ruth Abernathy")])
def test_deleting_a_person_or_show_leaves_their_stories_intact(editor, story, model, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    entity = model.objects.get(**{"title" if model is Show else "name": name})
    url = reverse(
        f"admin:{entity._meta.app_label}_{entity._meta.model_name}_delete", args=[entity.pk]
    )
    confirm = client.get(url)
    assert "A linked story" in confirm.content.decode()  # the editor sees which stories lose it
    response = client.post(
        url, {"post": "yes", "csrfmiddlewaretoken": confirm.cookies["csrftoken"].value}
    )
    assert response.status_code == 302
    assert not model.objects.filter(pk=entity.pk).exists()
    story.refresh_from_db()
    assert story.is_public() and Article.objects.published().count() == 1
    assert Client().get(story.get_absolute_url()).status_code == 200
    assert story.corrections.count() == 1
