"""Two people on one story: the soft lock tells them, optimistic locking keeps
every word."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import revisions
from articles.models import Article, StaleEdit
from tests.admin_forms import form_defaults
from tests.articles.story_form import change_url, open_form, run_action, submit
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_opening_a_story_tells_others_who_has_it_open(browser, desk_editor, contributor):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, owner=contributor)
    writer, editor = browser(contributor), browser(desk_editor)
    assert "Also open" not in writer.get(change_url(article)).content.decode()
    html = editor.get(change_url(article)).content.decode()
    assert "Also open" in html and "Casey Contributor opened this story" in html
    # The writer reloading sees the editor, never themself.
    html = writer.get(change_url(article)).content.decode()
    assert "Edie Desk opened this story just now" in html
    assert "Casey Contributor opened" not in html


def test_only_people_who_can_edit_count_as_having_it_open(browser, desk_editor, contributor):
    article = ArticleFactory(owner=contributor)  # published: the contributor may only look
    browser(contributor).get(change_url(article))
    assert "Also open" not in browser(desk_editor).get(change_url(article)).content.decode()


def test_the_notice_lapses_after_the_window(browser, desk_editor, contributor, settings):
    settings.NEWSROOM_EDITING_NOTICE_MINUTES = 10
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, owner=contributor)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        browser(desk_editor).get(change_url(article))
        traveller.shift(datetime.timedelta(minutes=9))
        other = browser(contributor)
        assert (
            "Edie Desk opened this story 9\xa0minutes ago"
            in other.get(change_url(article)).content.decode()
        )
        traveller.shift(datetime.timedelta(minutes=2))
        assert "Edie Desk opened" not in other.get(change_url(article)).content.decode()


def test_saving_and_leaving_ends_the_notice(browser, desk_editor, editor):
    article = ArticleFactory()
    first = browser(desk_editor)
    submit(first, article, open_form(first, article), headline="Saved and gone")
    assert "Edie Desk opened" not in browser(editor).get(change_url(article)).content.decode()


def test_two_stale_saves_second_refused_and_both_texts_recoverable(
    browser, desk_editor, contributor
):
    article = ArticleFactory(
        status=Article.Status.DRAFT,
        publish_at=None,
        owner=contributor,
        headline="Original headline",
        body="<p>Original body.</p>",
    )
    editor, writer = browser(desk_editor), browser(contributor)
    editor_form, writer_form = open_form(editor, article), open_form(writer, article)
    assert editor_form["base_version"] == writer_form["base_version"] == "1"

    first = submit(editor, article, editor_form, body="<p>The editor's body.</p>")
    assert first.status_code == 302
    second = submit(
        writer, article, writer_form, headline="Writer headline", body="<p>The writer's body.</p>"
    )

    # Refused, with a clear message and what changed, and the writer's text still there.
    assert second.status_code == 200
    html = second.content.decode()
    assert "Not saved: this story changed while you were editing" in html
    assert "version 2 was saved" in html and "Edie Desk" in html
    assert "The <del>editor</del><ins>writer</ins>&#x27;s body." in html
    assert "The writer&#x27;s body." in html  # still in the form
    article.refresh_from_db()
    assert (article.headline, article.body, article.version) == (
        "Original headline",
        "<p>The editor's body.</p>",
        2,
    )

    # Both texts recoverable: the editor's is the story, the writer's a revision.
    entries = revisions.history(article)
    refused = [e for e in entries if e.refused]
    assert len(refused) == 1
    assert refused[0].revision.user == contributor
    assert revisions.text_of(refused[0].version)["body"] == "<p>The writer's body.</p>"
    assert revisions.text_of(refused[0].version)["headline"] == "Writer headline"
    history = writer.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "Restore this unsaved text" in history.content.decode()

    # ...and one click on "Restore this unsaved text" makes the writer's text the story.
    restore = reverse("admin:articles_article_restore", args=[article.pk, refused[0].version.pk])
    response = writer.post(restore, {"csrfmiddlewaretoken": writer.cookies["csrftoken"].value})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.body, article.version) == (
        "Writer headline",
        "<p>The writer's body.</p>",
        3,
    )
    saved = [e for e in revisions.history(article) if not e.refused]
    assert revisions.text_of(saved[1].version)["body"] == "<p>The editor's body.</p>"


def test_saving_the_refused_form_again_is_a_deliberate_overwrite(browser, desk_editor, editor):
    article = ArticleFactory(headline="Start")
    one, two = browser(desk_editor), browser(editor)
    form_one, form_two = open_form(one, article), open_form(two, article)
    assert submit(one, article, form_one, headline="One's").status_code == 302
    refused = submit(two, article, form_two, headline="Two's")
    assert refused.status_code == 200
    # The refused page carries the stored version now; the second try saves.
    again = form_defaults(refused.content.decode())
    assert again["base_version"] == "2"
    assert submit(two, article, again, headline="Two's").status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.version) == ("Two's", 3)


def test_a_bulk_action_between_open_and_save_makes_the_form_stale(browser, desk_editor):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    client = browser(desk_editor)
    opened = open_form(client, article)
    run_action(client, "publish", [article])
    response = submit(client, article, opened, headline="Would unpublish it")
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_every_writer_is_held_to_the_version_not_only_the_admin():
    article = ArticleFactory(headline="Stored")
    stale = Article.objects.get(pk=article.pk)
    article.headline = "First writer"
    article.save()
    stale.headline = "Second writer"
    with pytest.raises(StaleEdit):
        stale.save()
    article.refresh_from_db()
    assert (article.headline, article.version) == ("First writer", 2)
    assert stale.version == 1  # untouched by the refused save


def test_story_deleted_while_editing_gives_the_text_back(browser, desk_editor, editor):
    article = ArticleFactory(headline="Doomed story")
    writer, deleter = browser(desk_editor), browser(editor)
    opened = open_form(writer, article)
    deleter.get(change_url(article))
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    token = deleter.cookies["csrftoken"].value
    assert (
        deleter.post(delete_url, {"post": "yes", "csrfmiddlewaretoken": token}).status_code == 302
    )
    response = submit(writer, article, opened, body="<p>Two hours of <b>work</b>.</p>")
    assert response.status_code == 410
    html = response.content.decode()
    assert "chief deleted “Doomed story”" in html
    assert "&lt;p&gt;Two hours of &lt;b&gt;work&lt;/b&gt;.&lt;/p&gt;" in html
