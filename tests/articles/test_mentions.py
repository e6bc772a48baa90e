"""Mention detection as editors and readers meet it: imports, the admin, pages."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from articles.mentions import adapter
from articles.models import (
    Article,
    ArticleCharacter,
    ArticlePerson,
    ArticleShow,
    EntityLink,
    MentionFlag,
    MentionRejection,
    TalentVersion,
)
from people.models import Person
from shows.models import Show
from tests.admin_forms import post_admin_form
from tests.factories import (
    ArticleFactory,
    CharacterFactory,
    CreditFactory,
    PersonFactory,
    ShowFactory,
)

pytestmark = pytest.mark.django_db

DETECTED = EntityLink.Source.DETECTED


@pytest.fixture
def talent():
    show = ShowFactory(title="Harbor Lights", kind="soap", start_year=1986, aliases=["HL"])
    niamh = PersonFactory(name="Niamh O'Dowd")
    julian = PersonFactory(name="Julian Arceneaux")
    lucy = CharacterFactory(name="Lucy Fairweather", show=show, aliases=["Fairweather"])
    caleb = CharacterFactory(name="Caleb Marsh", show=show)
    CreditFactory(person=niamh, show=show, character=lucy)
    CreditFactory(person=julian, show=show, character=caleb)
    lost = ShowFactory(title="Lost", start_year=2004)
    return {
        "show": show,
        "niamh": niamh,
        "julian": julian,
        "lucy": lucy,
        "caleb": caleb,
        "lost": lost,
    }


def story(**kwargs):
    """An article saved the way the site saves them: detection runs on commit."""
    return ArticleFactory(**kwargs)


def links(article):
    return {
        "people": {r.person.name: r for r in ArticlePerson.objects.filter(article=article)},
        "characters": {
            r.character.name: r for r in ArticleCharacter.objects.filter(article=article)
        },
        "shows": {r.show.title: r for r in ArticleShow.objects.filter(article=article)},
    }


def test_saving_a_story_links_what_it_names(talent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = story(
            headline="Harbor Lights wedding: Niamh O’Dowd says yes",
            body="<p>Lucy Fairweather married Caleb Marsh on the dock.</p>"
            "<p>Fairweather wore her grandmother’s coat. She felt lost for a moment.</p>",
        )
    found = links(article)
    assert set(found["people"]) == {"Niamh O'Dowd"}
    assert set(found["characters"]) == {"Lucy Fairweather", "Caleb Marsh"}
    assert set(found["shows"]) == {"Harbor Lights"}  # "lost" in lower case is not the show
    lucy = found["characters"]["Lucy Fairweather"]
    assert lucy.source == DETECTED and lucy.matched == ["Lucy Fairweather", "Fairweather"]
    assert found["people"]["Niamh O'Dowd"].matched == ["Niamh O’Dowd"]  # as written


def test_misspelling_links_and_is_flagged(talent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = story(
            headline="Julian Arcenaux joins Harbor Lights",
            body="<p>Arceneaux takes over the role of Caleb Marsh next month.</p>",
        )
    assert "Julian Arceneaux" in links(article)["people"]
    flag = MentionFlag.objects.get(article=article)
    assert (flag.kind, flag.text, flag.suggestion) == (
        "misspelling",
        "Julian Arcenaux",
        "Julian Arceneaux",
    )
    assert links(article)["people"]["Julian Arceneaux"].misspelled == "Julian Arcenaux"


def test_same_name_is_not_guessed(django_capture_on_commit_callbacks):
    ShowFactory(title="Lantern Street", start_year=1997)
    ShowFactory(title="Lantern Street", start_year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        article = story(headline="Ratings", body="<p>Fans of Lantern Street rejoiced.</p>")
    assert not links(article)["shows"]
    flag = MentionFlag.objects.get(article=article)
    assert flag.kind == "ambiguous" and len(flag.candidates) == 2


def test_hand_added_links_survive_and_rejections_stick(talent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = story(headline="Harbor Lights news", body="<p>Niamh O’Dowd returns.</p>")
    ArticlePerson.objects.create(article=article, person=talent["julian"])  # by hand
    MentionRejection.objects.create(
        article=article, kind="show", entity_id=talent["show"].pk, name="Harbor Lights"
    )
    with django_capture_on_commit_callbacks(execute=True):
        article.body = "<p>A quiet week.</p>"
        article.save()
    found = links(article)
    assert set(found["people"]) == {"Julian Arceneaux"}  # detected one left with its name
    assert found["people"]["Julian Arceneaux"].source == EntityLink.Source.MANUAL
    assert not found["shows"]  # rejected, although the headline still names it


def test_talent_changes_reach_every_worker_without_restart(
    talent, django_capture_on_commit_callbacks
):
    first = adapter.current_matcher()
    assert adapter.current_matcher() is first  # cached while nothing changes
    PersonFactory(name="Wren Takahashi")
    with django_capture_on_commit_callbacks(execute=True):
        article = story(headline="Wren Takahashi cast", body="<p>Big news.</p>")
    assert "Wren Takahashi" in links(article)["people"]
    # Another process changed the talent database: only the shared counter moves.
    rebuilt = adapter.current_matcher()
    TalentVersion.objects.update(version="changed-by-another-process")
    assert adapter.current_matcher() is not rebuilt


def test_public_page_links_the_first_body_mention_and_keeps_the_body(
    talent, client, django_capture_on_commit_callbacks
):
    body = (
        "<p>Harbor Lights fans, rejoice: Lucy Fairweather is back.</p>"
        "<p>Fairweather returns in May; Harbor Lights airs daily.</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        article = story(headline="Lucy Fairweather returns", body=body)
    ArticlePerson.objects.create(article=article, person=talent["niamh"])  # named nowhere
    html = client.get(article.get_absolute_url()).content.decode()
    lucy_url = talent["lucy"].get_absolute_url()
    show_url = talent["show"].get_absolute_url()
    assert html.count(f'class="entity-link" href="{lucy_url}"') == 1
    assert html.count(f'class="entity-link" href="{show_url}"') == 1
    assert (
        f'href="{lucy_url}" title="Lucy Fairweather (Harbor Lights)">Lucy Fairweather</a>' in html
    )
    assert "In this story" in html and "Niamh O&#x27;Dowd" in html
    article.refresh_from_db()
    assert article.body == body


def test_entity_pages_list_their_stories(talent, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = story(headline="Caleb Marsh’s big day", body="<p>Julian Arceneaux smiles.</p>")
    for entity in (talent["caleb"], talent["julian"]):
        assert article.headline in client.get(entity.get_absolute_url()).content.decode()


# --- the admin --------------------------------------------------------------------------


@pytest.fixture
def csrf_client(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    return client


def change(csrf_client, article, extra=None, inlines=None):
    fields = {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "status": article.status,
        "publish_at_0": article.publish_at.strftime("%Y-%m-%d"),
        "publish_at_1": "09:00:00",
        **(extra or {}),
    }
    return post_admin_form(
        csrf_client, reverse("admin:articles_article_change", args=[article.pk]), fields, inlines
    )


def test_admin_shows_suggestions_flags_and_choices(
    talent, editor_client, django_capture_on_commit_callbacks
):
    ShowFactory(title="Lantern Street", start_year=1997)
    ShowFactory(title="Lantern Street", start_year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        article = story(
            headline="Julian Arcenaux on Harbor Lights",
            body="<p>He loved Lantern Street as a boy.</p>",
        )
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert "Harbor Lights" in html and "matched “Harbor Lights”" in html
    assert "“Julian Arcenaux” looks like Julian Arceneaux" in html
    assert "“Lantern Street” could be:" in html
    assert html.count('name="_mention_link"') == 2


def test_admin_reject_button_sticks_across_saves(
    talent, csrf_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = story(headline="Harbor Lights week", body="<p>Quiet.</p>")
    show = talent["show"]
    with django_capture_on_commit_callbacks(execute=True):
        response = change(csrf_client, article, {"_mention_reject": f"show:{show.pk}"})
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.status_code == 200 else ""
    )
    assert response["Location"].endswith(f"/{article.pk}/change/")
    assert not links(article)["shows"]
    with django_capture_on_commit_callbacks(execute=True):
        change(csrf_client, article, {"body": "<p>Harbor Lights again.</p>"})
    assert not links(article)["shows"]
    with django_capture_on_commit_callbacks(execute=True):
        change(csrf_client, article, {"_mention_allow": f"show:{show.pk}"})
    assert "Harbor Lights" in links(article)["shows"]


def test_deleting_a_detected_row_in_the_inline_is_a_rejection(
    talent, csrf_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = story(headline="Niamh O’Dowd interview", body="<p>Long talk.</p>")
    row = ArticlePerson.objects.get(article=article)
    with django_capture_on_commit_callbacks(execute=True):
        change(
            csrf_client,
            article,
            inlines={
                "articleperson_set": [
                    {"id": str(row.pk), "person": str(row.person_id), "DELETE": "on"}
                ]
            },
        )
    assert not links(article)["people"]
    assert MentionRejection.objects.filter(article=article, kind="person").exists()


def test_choosing_an_ambiguous_candidate_links_it_for_good(
    csrf_client, django_capture_on_commit_callbacks
):
    old = ShowFactory(title="Lantern Street", start_year=1997)
    ShowFactory(title="Lantern Street", start_year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        article = story(headline="Looking back", body="<p>Lantern Street changed TV.</p>")
        change(csrf_client, article, {"_mention_link": f"show:{old.pk}"})
    row = ArticleShow.objects.get(article=article)
    assert (row.show, row.source) == (old, EntityLink.Source.MANUAL)


def test_accepting_a_suggestion_keeps_it_when_the_text_changes(
    talent, csrf_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = story(headline="Niamh O’Dowd interview", body="<p>Long talk.</p>")
    assert links(article)["people"]["Niamh O'Dowd"].source == DETECTED
    with django_capture_on_commit_callbacks(execute=True):
        change(csrf_client, article, {"_mention_keep": f"person:{talent['niamh'].pk}"})
    with django_capture_on_commit_callbacks(execute=True):
        change(csrf_client, article, {"headline": "An interview"})
    assert links(article)["people"]["Niamh O'Dowd"].source == EntityLink.Source.MANUAL


def test_bad_mention_button_values_are_ignored(
    talent, csrf_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = story(headline="Niamh O’Dowd", body="<p>x</p>")
    for value in ("person:99999", "planet:1", "garbage", ""):
        response = change(csrf_client, article, {"_mention_link": value})
        assert response.status_code == 302


# --- the command --------------------------------------------------------------------------


def test_link_mentions_json(talent, django_capture_on_commit_callbacks):
    article = story(headline="Julian Arcenaux and Niamh O’Dowd on Harbor Lights", body="<p>x</p>")
    out, err = io.StringIO(), io.StringIO()
    call_command("link_mentions", "--article", article.slug, "--json", stdout=out, stderr=err)
    record = json.loads(out.getvalue())
    assert record == {
        "article": article.slug,
        "people": ["Julian Arceneaux", "Niamh O'Dowd"],
        "characters": [],
        "shows": ["Harbor Lights"],
        "misspellings": [{"text": "Julian Arcenaux", "suggest": "Julian Arceneaux"}],
        "ambiguous": [],
    }
    assert "Linked 1 stories" in err.getvalue()


def test_link_mentions_all_and_unknown(talent):
    story(headline="Harbor Lights at 40", body="<p>x</p>")
    story(headline="Nothing here", body="<p>x</p>")
    out = io.StringIO()
    call_command("link_mentions", "--all", stdout=out)
    assert "Linked 2 stories" in out.getvalue() and "1 links added" in out.getvalue()
    with pytest.raises(CommandError, match="No story with id or slug: nope"):
        call_command("link_mentions", "--article", "nope", stdout=io.StringIO())


SEED = Path("/work/shared/corpus")


@pytest.mark.skipif(not SEED.exists(), reason="the wire specimen lives outside the repository")
def test_wire_specimen_detection_is_exact(django_capture_on_commit_callbacks):
    call_command("import_entities", str(SEED / "seed-entities.json"), stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(SEED / "seed-article.txt"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("link_mentions", "--all", "--json", stdout=out, stderr=io.StringIO())
    record = json.loads(out.getvalue())
    assert record["people"] == ["Jesse Lee Soffer", "Tracy Spiridakos"]
    assert sorted(record["characters"]) == [
        "Erin Lindsay",
        "Hailey Upton",
        "Hank Voight",
        "Jay Halstead",
    ]
    assert sorted(record["shows"]) == sorted(Show.objects.values_list("title", flat=True))
    assert len(record["shows"]) == 12
    assert [m["suggest"] for m in record["misspellings"]] == ["Tracy Spiridakos"]
    assert "Spiradakos" in record["misspellings"][0]["text"]
    assert Person.objects.count() == 4 and Article.objects.count() == 1
