import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, ArticlePerson, Correction
from tests.admin_forms import post_admin_form
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CharacterFactory,
    PersonFactory,
    SectionFactory,
    ShowFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client(editor):
    """A browser-like client: CSRF checks on, logged in as an editor."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    return client


def article_fields(**overrides):
    fields = {
        "headline": "Harbor Lights star says yes on the ferry dock",
        "slug": "",
        "dek": "A surprise wedding closes the anniversary episode.",
        "body": "<p>The <strong>finale</strong> aired on Wednesday.</p>",
        "status": "draft",
        "publish_at_0": "2026-11-20",
        "publish_at_1": "09:30:00",
        "updated_at_0": "",
        "updated_at_1": "",
        "section": "",
        "seo_title": "",
        "seo_description": "",
    }
    fields.update(overrides)
    return fields


def test_editor_creates_article_with_authors_tags_people_and_shows(csrf_client):
    section = SectionFactory(name="TV")
    first, second = AuthorFactory(name="Dana Writer"), AuthorFactory(name="Tom Critic")
    person = PersonFactory(name="Niamh O'Dowd")
    show = ShowFactory(title="Harbor Lights")
    character = CharacterFactory(name="Lucy Fairweather", show=show)
    existing_tag = Tag.objects.create(name="weddings")

    response = post_admin_form(
        csrf_client,
        reverse("admin:articles_article_add"),
        article_fields(section=str(section.pk), tags=[str(existing_tag.pk), "new:Soaps"]),
        inlines={
            "bylines": [
                {"author": str(second.pk), "position": "1"},
                {"author": str(first.pk), "position": "0"},
            ],
            "articleperson_set": [{"person": str(person.pk)}],
            "articlecharacter_set": [{"character": str(character.pk)}],
            "articleshow_set": [{"show": str(show.pk)}],
        },
    )

    assert response.status_code == 302, response.context["errors"] if response.context else response
    article = Article.objects.get()
    assert article.slug == "harbor-lights-star-says-yes-on-the-ferry-dock"
    assert article.section == section
    assert [b.author for b in article.bylines.all()] == [first, second]
    assert sorted(article.tags.names()) == ["Soaps", "weddings"]
    assert list(article.people.all()) == [person]
    assert list(article.characters.all()) == [character]
    assert list(article.shows.all()) == [show]
    assert ArticlePerson.objects.get().source == ArticlePerson.Source.MANUAL
    # 09:30 was typed in the newsroom's zone (New York, UTC-5 in November).
    assert article.publish_at.isoformat() == "2026-11-20T14:30:00+00:00"


def test_post_without_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("admin:articles_article_add"), article_fields())
    assert response.status_code == 403
    assert not Article.objects.exists()


HOSTILE_BODY = (
    '<p onclick="steal()">Hello <script>alert(1)</script><b>bold</b></p>'
    "<style>body{display:none}</style>"
    '<a href="javascript:alert(2)">js link</a>'
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data link</a>'
    '<img src="https://evil.example/x.png" onerror="alert(3)">'
    '<iframe src="https://evil.example"></iframe>'
    '<h1>Too big</h1><h2 style="color:red">Subhead</h2>'
    '<a href="https://example.com/ok" target="_blank">fine link</a>'
)


def test_hostile_html_posted_through_admin_is_sanitised(csrf_client):
    response = post_admin_form(
        csrf_client,
        reverse("admin:articles_article_add"),
        article_fields(body=HOSTILE_BODY),
    )
    assert response.status_code == 302
    body = Article.objects.get().body
    for bad in (
        "<script",
        "alert(",
        "onclick",
        "onerror",
        "<style",
        "javascript:",
        "data:",
        "<iframe",
        "evil.example",
        "style=",
        "target=",
        "<h1",
    ):
        assert bad not in body, bad
    assert "<h2>Subhead</h2>" in body
    assert '<a href="https://example.com/ok" rel="noopener noreferrer">fine link</a>' in body
    assert "Hello" in body and "Too big" in body


def test_change_form_shows_the_newsroom_time_zone(editor_client):
    article = ArticleFactory()
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    assert "Time zone: America/New_York (E" in page.content.decode()


def test_changelist_lists_status_time_zone_and_authors(editor_client):
    author = AuthorFactory(name="Dana Writer")
    ArticleFactory(headline="Listed story", authors=[author])
    page = editor_client.get(reverse("admin:articles_article_changelist"))
    html = page.content.decode()
    assert "Listed story" in html and "Dana Writer" in html and "Published" in html
    assert " EST" in html or " EDT" in html


def test_changelist_search_finds_by_author_and_body(editor_client):
    author = AuthorFactory(name="Tomasina Critic")
    ArticleFactory(headline="Found by author", authors=[author])
    ArticleFactory(headline="Found by body", body="<p>The ferry dock scene.</p>")
    ArticleFactory(headline="Not found")
    url = reverse("admin:articles_article_changelist")
    html = editor_client.get(url, {"q": "Tomasina"}).content.decode()
    assert "Found by author" in html and "Not found" not in html
    html = editor_client.get(url, {"q": "ferry dock"}).content.decode()
    assert "Found by body" in html and "Not found" not in html


def test_bulk_publish_and_unpublish(csrf_client):
    drafts = [ArticleFactory(status=Article.Status.DRAFT, publish_at=None) for _ in range(2)]
    url = reverse("admin:articles_article_changelist")
    token = csrf_client.get(url).cookies["csrftoken"].value
    csrf_client.post(
        url,
        {
            "action": "publish",
            "_selected_action": [a.pk for a in drafts],
            "csrfmiddlewaretoken": token,
        },
    )
    assert all(a.is_public() for a in Article.objects.all())
    assert all(a.first_published_at for a in Article.objects.all())
    csrf_client.post(
        url,
        {"action": "unpublish", "_selected_action": [drafts[0].pk], "csrfmiddlewaretoken": token},
    )
    assert Article.objects.published().count() == 1


def test_correction_inline_bumps_updated_time_when_significant(csrf_client):
    article = ArticleFactory()
    response = post_admin_form(
        csrf_client,
        reverse("admin:articles_article_change", args=[article.pk]),
        article_fields(headline=article.headline, slug=article.slug, status="published"),
        inlines={
            "corrections": [
                {
                    "kind": "correction",
                    "significant": "on",
                    "note": "An earlier version misnamed the network.",
                    "published_at_0": "2026-11-21",
                    "published_at_1": "10:00:00",
                }
            ]
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert Correction.objects.get().article == article
    assert article.updated_at.isoformat() == "2026-11-21T15:00:00+00:00"


@pytest.mark.parametrize(
    "name",
    [
        "articles_article",
        "articles_section",
        "articles_author",
        "people_person",
        "people_character",
        "people_credit",
        "shows_show",
        "taggit_tag",
    ],
)
def test_every_admin_page_opens(editor_client, name):
    ArticleFactory()
    CharacterFactory()
    assert editor_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:{name}_add")).status_code == 200


def test_tag_autocomplete_answers(editor_client):
    Tag.objects.create(name="season finale")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "fina", "app_label": "articles", "model_name": "article", "field_name": "tags"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["season finale"]


def test_staff_without_permissions_cannot_add(client):
    user = UserFactory(username="intern", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:articles_article_add")).status_code == 403
