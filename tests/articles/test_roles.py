"""Who may do what in the admin, driven like a browser (CSRF on), including POSTs
a contributor crafts by hand."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry
from tests.admin_forms import post_admin_form
from tests.articles.story_form import change_url, run_action, save_story, story_fields
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def draft(owner, **kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, publish_at=None, owner=owner, **kwargs)


def test_roles_are_groups_made_by_the_migration():
    def perms(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert {"add_article", "change_article", "view_person"} <= perms("Contributor")
    assert not {"publish_article", "edit_any_article", "add_person"} & perms("Contributor")
    assert {"publish_article", "edit_any_article", "change_person", "change_show"} <= perms(
        "Editor"
    )
    assert {"add_user", "change_group", "view_auditentry"} <= perms("Admin")
    assert not {"change_article", "publish_article"} & perms("Admin")


# --- contributors -------------------------------------------------------------


def test_contributor_writes_a_draft_that_becomes_theirs(browser, contributor):
    client = browser(contributor)
    response = post_admin_form(client, ADD_URL, story_fields(headline="My first draft"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.owner, article.status, article.publish_at) == (contributor, "draft", None)


def test_contributor_submits_their_draft_for_review(browser, contributor):
    article = draft(contributor)
    assert save_story(browser(contributor), article, status="review").status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_contributor_form_offers_only_draft_and_review(browser, contributor):
    html = browser(contributor).get(change_url(draft(contributor))).content.decode()
    assert 'value="review"' in html
    assert 'value="published"' not in html and 'value="unpublished"' not in html


@pytest.mark.parametrize("status", ["published", "unpublished"])
def test_contributor_cannot_publish_by_crafting_the_post(browser, contributor, status):
    client = browser(contributor)
    article = draft(contributor)
    response = save_story(client, article, status=status)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = post_admin_form(client, ADD_URL, story_fields(headline="Sneaky", status=status))
    assert response.status_code == 200
    assert list(Article.objects.values_list("status", flat=True)) == ["draft"]
    assert not AuditEntry.objects.exists()


def test_contributor_cannot_schedule_or_reassign_by_crafting_the_post(
    browser, contributor, other_contributor
):
    article = draft(contributor)
    response = save_story(
        browser(contributor),
        article,
        headline="Edited",
        publish_at_0="2030-01-01",
        publish_at_1="09:00:00",
        owner=str(other_contributor.pk),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Edited"
    assert article.publish_at is None and article.owner == contributor


def test_contributor_cannot_see_other_peoples_drafts(browser, contributor, other_contributor):
    mine, theirs = draft(contributor, headline="Mine"), draft(other_contributor, headline="Theirs")
    client = browser(contributor)
    html = client.get(LIST_URL).content.decode()
    assert "Mine" in html and "Theirs" not in html
    assert client.get(change_url(mine)).status_code == 200
    assert client.get(change_url(theirs)).status_code == 302  # "doesn't exist", to the index
    token = client.cookies["csrftoken"].value
    response = client.post(
        change_url(theirs),
        {**story_fields(theirs, headline="Hijacked"), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    theirs.refresh_from_db()
    assert theirs.headline == "Theirs"


def test_contributor_cannot_change_their_story_once_published(browser, contributor):
    article = ArticleFactory(owner=contributor, headline="Live story")
    client = browser(contributor)
    page = client.get(change_url(article))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    token = client.cookies["csrftoken"].value
    response = client.post(
        change_url(article),
        {**story_fields(article, headline="Changed live"), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Live story"


def test_contributor_cannot_delete_anything_published_but_can_delete_a_draft(browser, contributor):
    live = ArticleFactory(owner=contributor)
    once_live = ArticleFactory(owner=contributor)
    Article.objects.filter(pk=once_live.pk).update(status=Article.Status.DRAFT)
    mine = draft(contributor)
    client = browser(contributor)
    client.get(LIST_URL)
    token = client.cookies["csrftoken"].value
    for article in (live, once_live):
        url = reverse("admin:articles_article_delete", args=[article.pk])
        assert client.post(url, {"post": "yes", "csrfmiddlewaretoken": token}).status_code == 403
    response = client.post(
        LIST_URL,
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [live.pk, once_live.pk],
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code in (200, 302, 403)
    assert Article.objects.filter(pk__in=[live.pk, once_live.pk]).count() == 2
    url = reverse("admin:articles_article_delete", args=[mine.pk])
    assert client.post(url, {"post": "yes", "csrfmiddlewaretoken": token}).status_code == 302
    assert not Article.objects.filter(pk=mine.pk).exists()


def test_contributor_bulk_actions_publish_nothing(browser, contributor):
    mine = draft(contributor)
    live = ArticleFactory(owner=contributor)
    client = browser(contributor)
    assert 'value="publish"' not in client.get(LIST_URL).content.decode()
    run_action(client, "publish", [mine])
    run_action(client, "unpublish", [live])
    mine.refresh_from_db()
    live.refresh_from_db()
    assert (mine.status, live.status) == ("draft", "published")
    assert not AuditEntry.objects.exists()


def test_contributor_may_look_up_but_not_change_the_talent_database(browser, contributor):
    client = browser(contributor)
    person = PersonFactory()
    assert client.get(reverse("admin:people_person_changelist")).status_code == 200
    assert client.get(reverse("admin:people_person_add")).status_code == 403
    token = client.cookies["csrftoken"].value
    url = reverse("admin:people_person_change", args=[person.pk])
    response = client.post(url, {"name": "Renamed", "csrfmiddlewaretoken": token})
    assert response.status_code == 403


# --- editors ------------------------------------------------------------------


def test_editor_sees_and_publishes_a_contributors_draft(browser, contributor, desk_editor):
    article = draft(contributor, headline="Ready to go")
    client = browser(desk_editor)
    assert "Ready to go" in client.get(LIST_URL).content.decode()
    response = save_story(client, article, status="published")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_public() and article.owner == contributor
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.article) == ("published", desk_editor, article)


def test_editor_schedules_and_the_list_shows_it_as_scheduled(browser, desk_editor):
    article = draft(None, headline="Tomorrow's story")
    client = browser(desk_editor)
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    response = save_story(
        client,
        article,
        status="published",
        publish_at_0=f"{tomorrow:%Y-%m-%d}",
        publish_at_1="06:00:00",
    )
    assert response.status_code == 302
    assert AuditEntry.objects.get().action == "scheduled"
    assert not Article.objects.published().exists()
    listed = client.get(LIST_URL, {"state": "scheduled"}).content.decode()
    assert "Tomorrow&#x27;s story" in listed and "state-scheduled" in listed
    assert "Tomorrow" not in client.get(LIST_URL, {"state": "live"}).content.decode()


def test_editor_unpublishes_and_deletes_and_the_audit_log_says_who(browser, desk_editor):
    first, second = ArticleFactory(headline="First"), ArticleFactory(headline="Second")
    client = browser(desk_editor)
    run_action(client, "unpublish", [first])
    token = client.cookies["csrftoken"].value
    url = reverse("admin:articles_article_delete", args=[second.pk])
    assert client.post(url, {"post": "yes", "csrfmiddlewaretoken": token}).status_code == 302
    entries = {e.action: e for e in AuditEntry.objects.all()}
    assert entries["unpublished"].article == first
    deleted = entries["deleted"]
    assert (deleted.article, deleted.article_pk, deleted.headline) == (None, second.pk, "Second")
    assert {e.user for e in entries.values()} == {desk_editor}
    html = client.get(reverse("admin:articles_auditentry_changelist")).content.decode()
    assert "First" in html and "Second" in html and "(deleted, id" in html


def test_bulk_publish_and_bulk_delete_are_audited(browser, desk_editor):
    drafts = [draft(None) for _ in range(2)]
    client = browser(desk_editor)
    run_action(client, "publish", drafts)
    assert Article.objects.published().count() == 2
    token = client.cookies["csrftoken"].value
    client.post(
        LIST_URL,
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [a.pk for a in drafts],
            "csrfmiddlewaretoken": token,
        },
    )
    assert not Article.objects.exists()
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "deleted",
        "deleted",
        "published",
        "published",
    ]


def test_editor_works_on_the_talent_database(browser, desk_editor):
    client = browser(desk_editor)
    response = post_admin_form(
        client,
        reverse("admin:people_person_add"),
        {"name": "Ruth Abernathy", "slug": "", "bio": "", "aliases": "", "sort_name": ""},
        inlines={"credits": []},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_audit_log_is_read_only_even_for_editors(browser, desk_editor, contributor):
    article = ArticleFactory()
    entry = AuditEntry.objects.create(
        action="published", article=article, article_pk=article.pk, headline="x"
    )
    client = browser(desk_editor)
    assert client.get(reverse("admin:articles_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:articles_auditentry_add")).status_code == 403
    url = reverse("admin:articles_auditentry_change", args=[entry.pk])
    assert 'name="_save"' not in client.get(url).content.decode()
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"headline": "forged", "csrfmiddlewaretoken": token}).status_code == 403
    delete = reverse("admin:articles_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes", "csrfmiddlewaretoken": token}).status_code == 403
    contributor_client = browser(contributor)
    assert (
        contributor_client.get(reverse("admin:articles_auditentry_changelist")).status_code == 403
    )


# --- admins -------------------------------------------------------------------


def test_admin_role_manages_users_not_stories(browser, site_admin):
    client = browser(site_admin)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
    assert client.get(LIST_URL).status_code == 403
    assert client.get(ADD_URL).status_code == 403


def test_nonsense_ids_in_admin_posts_are_not_server_errors(browser, desk_editor):
    client = browser(desk_editor)
    client.get(LIST_URL)
    token = client.cookies["csrftoken"].value
    for url in (
        "/admin/articles/article/abc/change/",
        "/admin/articles/article/abc/delete/",
        "/admin/articles/article/999999/change/",
        "/admin/articles/article/abc/history/1/restore/",
    ):
        response = client.post(url, {"csrfmiddlewaretoken": token})
        assert response.status_code == 302, url


@pytest.mark.parametrize("rows", [2, 20])
def test_story_list_queries_do_not_grow_with_stories(
    browser, desk_editor, contributor, rows, django_assert_max_num_queries
):
    from tests.factories import AuthorFactory

    for _ in range(rows):
        ArticleFactory(owner=contributor, authors=[AuthorFactory()])
    client = browser(desk_editor)
    with django_assert_max_num_queries(13):
        assert client.get(LIST_URL).status_code == 200


def test_roles_come_back_after_a_flush_and_cover_every_content_model(db):
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command

    call_command("flush", "--no-input", verbosity=0)
    editor = Group.objects.get(name="Editor")
    content = Permission.objects.filter(content_type__app_label__in=["articles", "people", "shows"])
    assert set(content) <= set(editor.permissions.all())
    assert Group.objects.filter(name__in=["Contributor", "Admin"]).count() == 2
