import io

import pytest
from django.core.management import call_command

from articles.models import Article, Author, Section
from images import markup
from images.models import Image
from people.models import Character, Person
from shows.models import Show
from tests.admin_forms import sign_in

pytestmark = pytest.mark.django_db


def test_demo_loads_and_is_idempotent(demo, django_capture_on_commit_callbacks):
    counts = [m.objects.count() for m in (Article, Author, Section, Person, Character, Show)]
    assert counts[0] >= 12 and counts[1] == 2 and sum(counts[3:]) >= 30
    # As on a real run: mention detection runs when each load commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    assert "stories 0 created, 0 updated, " in out.getvalue()
    assert "user “editor”, password" in out.getvalue()
    assert [
        m.objects.count() for m in (Article, Author, Section, Person, Character, Show)
    ] == counts


def test_demo_is_photo_led_and_its_pictures_are_made_once(demo, load_demo):
    stories = Article.objects.published().select_related("featured_image")
    assert stories.count() >= 12
    for story in stories:  # every story has its own picture, credited and described
        image = story.featured_image
        assert image is not None, story
        assert image.credit == "Illustration: Newsroom demo"
        assert image.alt_text.startswith("Abstract illustration") and image.caption
        assert (image.width, image.height) == (1600, 900)
        assert markup.renditions(image, "card") and markup.og_image(image)
    assert len({story.featured_image_id for story in stories}) == stories.count()
    assert Person.objects.get(slug="ruth-abernathy").headshot.alt_text.startswith("Placeholder")
    assert Show.objects.get(slug="harbor-lights").poster.height == 1500
    images = Image.objects.count()
    assert "pictures 0 drawn" in load_demo()
    assert Image.objects.count() == images
    # An editor's choice is never replaced by a demo picture.
    story = stories.first()
    chosen = Image.objects.exclude(pk=story.featured_image_id).first()
    Article.objects.filter(pk=story.pk).update(featured_image=chosen)
    load_demo()
    story.refresh_from_db()
    assert story.featured_image_id == chosen.pk


def test_demo_editor_can_log_in(demo, client):
    assert sign_in(client, "editor", "read-all-about-it").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_demo_contributor_sees_only_their_own_stories(demo, client):
    assert sign_in(client, "writer", "read-all-about-it").status_code == 302
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
