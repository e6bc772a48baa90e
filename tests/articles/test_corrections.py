"""Corrections and updates, added by editors through the story form and read by
readers at the foot of the story."""

import datetime
import json

import pytest
from django.test import Client

from articles.models import Correction
from tests.articles.story_form import save_story
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PUBLISHED = datetime.datetime(2026, 11, 20, 14, 0, tzinfo=datetime.UTC)


def note(kind, text, day, significant):
    row = {"kind": kind, "note": text, "published_at_0": day, "published_at_1": "10:00:00"}
    if significant:
        row["significant"] = "on"
    return row


def test_typo_fix_leaves_updated_time_and_significant_update_moves_it(browser, desk_editor):
    article = ArticleFactory(publish_at=PUBLISHED)
    client = browser(desk_editor)
    typo = note("correction", "A name was misspelled.", "2026-11-21", significant=False)
    assert save_story(client, article, inlines={"corrections": [typo]}).status_code == 302
    article.refresh_from_db()
    assert article.updated_at is None

    first = Correction.objects.get()
    update = note("update", "The network confirmed a second season.", "2026-11-22", True)
    response = save_story(
        client,
        article,
        inlines={"corrections": [{"id": str(first.pk), **typo}, update]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.updated_at == datetime.datetime(2026, 11, 22, 15, 0, tzinfo=datetime.UTC)


def test_notes_show_dated_at_the_foot_of_the_story(browser, desk_editor):
    article = ArticleFactory(publish_at=PUBLISHED, body="<p>The story itself.</p>")
    save_story(
        browser(desk_editor),
        article,
        inlines={
            "corrections": [
                note("correction", "An earlier version misnamed the network.", "2026-11-21", True),
                note("update", "Added the showrunner's comment.", "2026-11-22", True),
            ]
        },
    )
    page = Client().get(article.get_absolute_url()).content.decode()
    html = page[page.index('<div class="body">') :]  # the story as readers read it
    body_at = html.index("The story itself.")
    correction_at = html.index("An earlier version misnamed the network.")
    update_at = html.index("Added the showrunner&#x27;s comment.")
    assert body_at < correction_at < update_at
    assert '<time datetime="2026-11-21T10:00:00-05:00">November 21, 2026</time>' in html
    assert "Correction, " in html and "Update, " in html
    # ...and marked for machines: JSON-LD carries each note as a correction.
    data = json.loads(
        page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    )
    article_ld = next(d for d in data.get("@graph", [data]) if d.get("@type") == "NewsArticle")
    notes = [c["text"] for c in article_ld["correction"]]
    assert notes == [
        "Correction: An earlier version misnamed the network.",
        "Update: Added the showrunner's comment.",
    ]


def test_contributors_do_not_get_the_corrections_section(browser, contributor):
    article = ArticleFactory(status="draft", publish_at=None, owner=contributor)
    html = browser(contributor).get(f"/admin/articles/article/{article.pk}/change/").content
    assert b"corrections-TOTAL_FORMS" not in html
