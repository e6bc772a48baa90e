"""Fill in the story admin form the way an editor would."""

from django.urls import reverse
from django.utils import timezone

from tests.admin_forms import form_defaults, post_admin_form


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def story_fields(article=None, **overrides):
    """Every visible field of the story form, from ``article`` (or blank), plus overrides."""

    def split(value):
        if not value:
            return "", ""
        local = timezone.localtime(value)
        return f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"

    publish_date, publish_time = split(article.publish_at if article else None)
    updated_date, updated_time = split(article.updated_at if article else None)
    fields = {
        "headline": article.headline if article else "A new story",
        "slug": article.slug if article else "",
        "dek": article.dek if article else "",
        "body": article.body if article else "<p>Words.</p>",
        "status": article.status if article else "draft",
        "publish_at_0": publish_date,
        "publish_at_1": publish_time,
        "updated_at_0": updated_date,
        "updated_at_1": updated_time,
        "section": str(article.section_id or "") if article else "",
        "featured_image": str(article.featured_image_id or "") if article else "",
        "seo_title": article.seo_title if article else "",
        "seo_description": article.seo_description if article else "",
        "owner": str(article.owner_id or "") if article else "",
    }
    fields.update(overrides)
    return fields


def open_form(client, article):
    """GET the change form; return its hidden fields (CSRF token, version, inlines)."""
    page = client.get(change_url(article))
    assert page.status_code == 200, page.status_code
    return form_defaults(page.content.decode())


def submit(client, article, opened, **overrides):
    """POST a change form opened earlier (``opened`` from ``open_form``)."""
    return client.post(change_url(article), {**opened, **story_fields(article, **overrides)})


def save_story(client, article, inlines=None, **overrides):
    return post_admin_form(client, change_url(article), story_fields(article, **overrides), inlines)


def run_action(client, action, articles):
    url = reverse("admin:articles_article_changelist")
    client.get(url)
    token = client.cookies["csrftoken"].value
    return client.post(
        url,
        {
            "action": action,
            "_selected_action": [a.pk for a in articles],
            "csrfmiddlewaretoken": token,
        },
    )
