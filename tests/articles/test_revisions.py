"""Every save keeps a revision; the history shows what changed; any revision
comes back in one click."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles import diffs, revisions
from articles.importing import StoryOptions, parse_story
from articles.importing import save_story as import_story
from articles.models import Article
from tests.articles.story_form import save_story
from tests.factories import ArticleFactory, AuthorFactory, PersonFactory

pytestmark = pytest.mark.django_db


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_restore", args=[article.pk, version.pk])


def post_restore(client, article, version):
    client.get(history_url(article))
    return client.post(
        restore_url(article, version), {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )


def test_every_admin_save_keeps_a_revision_with_who_and_what(browser, desk_editor):
    article = ArticleFactory(headline="First headline")
    client = browser(desk_editor)
    save_story(client, article, headline="Second headline")
    article.refresh_from_db()
    save_story(client, article, dek="A new standfirst.")
    entries = revisions.history(article)
    assert [e.number for e in entries] == [3, 2]
    assert {e.revision.user for e in entries} == {desk_editor}
    assert "Changed Headline" in entries[1].revision.get_comment()
    assert [d.label for d in entries[0].changed] == ["Standfirst"]


def test_history_page_shows_an_escaped_readable_diff(browser, desk_editor):
    article = ArticleFactory(
        headline="Cast list", body="<p>Keep this.</p><p>The cat sat on the mat.</p>"
    )
    client = browser(desk_editor)
    save_story(client, article)
    save_story(
        client,
        article,
        headline="Cast <b>list</b> & more",
        body="<p>Keep this.</p><p>The dog sat on the mat.</p><p>A new paragraph.</p>",
    )
    html = client.get(history_url(article)).content.decode()
    assert "<p>Cast <ins>&lt;b&gt;</ins>list<ins>&lt;/b&gt; &amp; more</ins></p>" in html
    assert "<b>list</b>" not in html
    assert "The <del>cat</del><ins>dog</ins> sat on the mat." in html
    assert '<p class="diff-added"><ins>A new paragraph.</ins></p>' in html
    assert "1 unchanged paragraph" in html
    assert "Restore this version" in html


def test_restore_is_one_click_and_itself_a_new_revision(browser, desk_editor):
    first_author, second_author = AuthorFactory(), AuthorFactory()
    person = PersonFactory()
    article = ArticleFactory(headline="Good headline", body="<p>Good body.</p>")
    article.tags.set(["finales"])
    client = browser(desk_editor)
    save_story(
        client,
        article,
        inlines={
            "bylines": [{"author": str(first_author.pk), "position": "0"}],
            "articleperson_set": [{"person": str(person.pk)}],
        },
        tags=[str(Tag.objects.get(name="finales").pk)],
    )
    good = revisions.versions_of(article).last()
    byline = article.bylines.get()
    save_story(
        client,
        article,
        headline="Bad headline",
        body="<p>Bad body.</p>",
        tags=[],
        inlines={
            "bylines": [{"id": str(byline.pk), "author": str(second_author.pk), "position": "0"}],
            "articleperson_set": [
                {
                    "id": str(article.articleperson_set.get().pk),
                    "person": str(person.pk),
                    "DELETE": "on",
                }
            ],
        },
    )
    article.refresh_from_db()
    assert article.headline == "Bad headline" and not article.people.exists()

    response = post_restore(client, article, good)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Good headline", "<p>Good body.</p>")
    assert [b.author for b in article.bylines.all()] == [first_author]
    assert list(article.people.all()) == [person]
    assert list(article.tags.names()) == ["finales"]
    assert article.version == 4 and article.status == Article.Status.PUBLISHED
    latest = revisions.history(article)[0]
    assert latest.number == 4 and latest.revision.user == desk_editor
    assert latest.revision.comment.startswith("Restored the version saved by")
    assert "Restored the version of" in client.get(response["Location"]).content.decode()


def test_restore_keeps_the_address_state_and_corrections(browser, desk_editor):
    article = ArticleFactory(headline="Before", slug="before")
    client = browser(desk_editor)
    save_story(client, article)
    old = revisions.versions_of(article).last()
    save_story(client, article, headline="After", slug="after", status="unpublished")
    post_restore(client, article, old)
    article.refresh_from_db()
    assert (article.headline, article.slug, article.status) == ("Before", "after", "unpublished")


def test_contributor_cannot_restore_into_a_published_story(browser, contributor, desk_editor):
    article = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, owner=contributor)
    save_story(browser(contributor), article, headline="Draft words")
    version = revisions.versions_of(article).last()
    save_story(browser(desk_editor), article, headline="Published words", status="published")
    writer = browser(contributor)
    html = writer.get(history_url(article)).content.decode()
    assert "Draft words" in html and "Restore this version" not in html
    response = writer.post(
        restore_url(article, version), {"csrfmiddlewaretoken": writer.cookies["csrftoken"].value}
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Published words"


def test_restore_only_answers_post_and_only_this_storys_versions(browser, desk_editor):
    one, two = ArticleFactory(), ArticleFactory()
    client = browser(desk_editor)
    save_story(client, one)
    save_story(client, two)
    version_of_two = revisions.versions_of(two).last()
    assert client.get(restore_url(one, version_of_two)).status_code == 405
    assert post_restore(client, one, version_of_two).status_code == 404


def test_a_story_without_revisions_says_so(browser, desk_editor):
    article = ArticleFactory()
    html = browser(desk_editor).get(history_url(article)).content.decode()
    assert "No revisions yet" in html


def test_imports_keep_a_revision():
    _, article = import_story(
        parse_story(b"date 2026-11-20 Imported headline\n\nA paragraph.\n"), StoryOptions()
    )
    (entry,) = revisions.history(article)
    assert entry.revision.user is None and "Imported" in entry.revision.comment


# --- the diff itself ------------------------------------------------------------


def test_body_paragraphs_are_plain_text_with_link_targets():
    body = '<p>One <a href="https://ex.com/a">link</a><br>two</p><h2>Sub</h2><ul><li>x</li></ul>'
    assert diffs.paragraphs(body) == ["One link (https://ex.com/a) two", "Sub", "x"]


def test_word_diff_escapes_everything_it_shows():
    assert diffs.diff_words("a <b> c", "a <i> c") == ("a &lt;<del>b</del><ins>i</ins>&gt; c")


def test_paragraph_diff_pairs_changes_and_counts_the_rest():
    rows = diffs.diff_paragraphs(["same", "old words", "gone"], ["same", "new words"])
    assert [(r.kind, r.html, r.count) for r in rows] == [
        ("unchanged", "", 1),
        ("changed", "<del>old</del><ins>new</ins> words", 0),
        ("removed", "<del>gone</del>", 0),
    ]


def test_restore_brings_back_the_featured_picture_unless_it_was_deleted(
    browser, desk_editor, make_image
):
    first, second = make_image(title="First"), make_image(title="Second")
    article = ArticleFactory(featured_image=first)
    client = browser(desk_editor)
    save_story(client, article)
    old = revisions.versions_of(article).last()
    save_story(client, article, featured_image=str(second.pk))
    article.refresh_from_db()
    assert article.featured_image == second
    post_restore(client, article, old)
    article.refresh_from_db()
    assert article.featured_image == first

    # A picture deleted since cannot come back: the current one stays, and the editor is told.
    save_story(client, article, featured_image="")
    article.refresh_from_db()
    first.delete()
    response = post_restore(client, article, old)
    article.refresh_from_db()
    assert article.featured_image is None
    assert "featured image (deleted since)" in client.get(response.url).content.decode()
