"""The media library in the admin, and pictures in the story, person and show admins."""

import json
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from images.models import Image
from tests.admin_forms import post_admin_form
from tests.factories import ArticleFactory, PersonFactory, ShowFactory
from tests.images.html_checks import pictures
from tests.pictures import encode, photo

pytestmark = pytest.mark.django_db


def test_library_lists_thumbnails_and_searches_words_and_credits(editor_client, make_image):
    make_image(title="Red carpet", credit="Getty Images")
    make_image(title="Ferry dock", caption="The ferry at dusk", credit="NBC")
    url = reverse("admin:images_image_changelist")
    html = editor_client.get(url).content.decode()
    thumbs = pictures(html)
    assert len(thumbs) == 2 and all(p.img["class"] == "image-thumb" for p in thumbs)
    assert "Red carpet" in html and "Ferry dock" in html
    html = editor_client.get(url, {"q": "getty"}).content.decode()
    assert "Red carpet" in html and "Ferry dock" not in html
    html = editor_client.get(url, {"q": "dusk"}).content.decode()
    assert "Ferry dock" in html and "Red carpet" not in html


def test_library_list_is_a_fixed_number_of_queries(
    editor_client, make_image, django_assert_max_num_queries
):
    for _ in range(5):
        make_image()
    with django_assert_max_num_queries(8):
        editor_client.get(reverse("admin:images_image_changelist"))


def test_change_form_has_the_focal_point_picker_and_plain_inputs(editor_client, make_image):
    image = make_image(encode(photo(1600, 900)), focal_x=0.25, focal_y=0.5)
    html = editor_client.get(reverse("admin:images_image_change", args=[image.pk])).content.decode()
    assert 'data-focal-picker data-width="1600" data-height="900"' in html
    assert 'style="left: 25.00%; top: 50.00%"' in html
    assert re.search(r'<input type="number" name="focal_x" value="0\.25"[^>]*step="0\.001"', html)
    assert 'name="focal_y"' in html
    assert "admin/js/focal-point.js" in html
    # Previews are exact: a square from 1600×900 around x=0.25 starts at 400-450<0 → left edge.
    assert 'data-ratio="1/1" style="aspect-ratio: 1/1"' in html
    assert 'style="object-position: 0.00% 50.00%"' in html
    assert "1,600 × 900 pixels" in html and "without camera data" in html


def test_focal_point_typed_in_the_form_re_crops(
    csrf_client, make_image, django_capture_on_commit_callbacks
):
    image = make_image(encode(photo(1600, 900)))
    before = image.renditions["square-w640.jpg"][0]
    url = reverse("admin:images_image_change", args=[image.pk])
    fields = {
        "title": image.title,
        "alt_text": image.alt_text,
        "caption": "",
        "credit": image.credit,
        "source": "",
        "focal_x": "0.9",
        "focal_y": "0.5",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post_admin_form(csrf_client, url, fields)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.focal_point == (0.9, 0.5)
    assert image.renditions["square-w640.jpg"][0] != before


def test_picker_lists_library_pictures_for_the_story_editor(editor_client, make_image):
    image = make_image(title="Night crossing", caption='Cap "quoted"')
    make_image(title="Red carpet")
    url = reverse("admin:images_image_picker")
    assert url == "/admin/images/image/picker/"
    html = editor_client.get(url, {"CKEditorFuncNum": "-1", "q": "crossing"}).content.decode()
    assert 'data-func-num="-1"' in html
    buttons = re.findall(
        r"<button type=\"button\" data-pick-image=\"(\d+)\" data-url=\"([^\"]+)\"", html
    )
    assert [int(pk) for pk, _ in buttons] == [image.pk]
    url_ = unescape(buttons[0][1])
    assert url_ == "/media/" + image.renditions["w900.jpg"][0]
    assert 'data-caption="Cap &quot;quoted&quot;"' in html
    assert "Red carpet" not in html


def test_picker_refuses_a_callback_number_that_is_not_one(editor_client):
    html = editor_client.get(
        reverse("admin:images_image_picker"), {"CKEditorFuncNum": "1);alert(1"}
    ).content.decode()
    assert 'data-func-num=""' in html and "alert(1" not in html


def test_picker_needs_a_login(client):
    response = client.get(reverse("admin:images_image_picker"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_story_editor_offers_figures_from_the_library(editor_client):
    html = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    config = re.search(r'data-django-prose-editor-configurable="([^"]+)"', html)[1]
    extensions = json.loads(unescape(config))["extensions"]
    assert extensions["Figure"] == {"pickerUrl": "/admin/images/image/picker/"}
    assert extensions["Image"] is True and extensions["Caption"] is True


@pytest.mark.parametrize(
    ("changelist", "make"),
    [
        ("admin:articles_article_changelist", lambda i: ArticleFactory(featured_image=i)),
        ("admin:people_person_changelist", lambda i: PersonFactory(headshot=i)),
        ("admin:shows_show_changelist", lambda i: ShowFactory(poster=i)),
    ],
)
def test_story_person_and_show_lists_show_thumbnails(editor_client, make_image, changelist, make):
    image = make_image()
    make(image)
    make(None)
    html = editor_client.get(reverse(changelist)).content.decode()
    [thumb] = pictures(html)
    assert image.renditions["square-w160.jpg"][0] in thumb.img["srcset"]
    assert "image-thumb-empty" in html


@pytest.mark.parametrize(
    ("add", "field"),
    [
        ("admin:articles_article_add", "featured_image"),
        ("admin:people_person_add", "headshot"),
        ("admin:shows_show_add", "poster"),
    ],
)
def test_image_fields_use_autocomplete(editor_client, add, field):
    html = editor_client.get(reverse(add)).content.decode()
    select = re.search(rf'<select name="{field}"[^>]*>', html)[0]
    assert 'class="admin-autocomplete"' in select and f'data-field-name="{field}"' in select
    assert "admin/js/image-autocomplete.js" in html


def test_autocomplete_finds_pictures_for_a_story(editor_client, make_image):
    image = make_image(title="Night crossing")
    make_image(title="Red carpet")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "crossing",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "featured_image",
        },
    )
    assert [r["id"] for r in response.json()["results"]] == [str(image.pk)]


def test_story_form_shows_the_chosen_picture_and_saves_it(csrf_client, make_image):
    image = make_image(title="Ferry", credit="Pat Lens")
    article = ArticleFactory(featured_image=image)
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = csrf_client.get(url).content.decode()
    assert "data-image-choice" in html and "Pat Lens" in html
    assert reverse("admin:images_image_change", args=[image.pk]) in html
    other = make_image(title="Other")
    fields = {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "status": "published",
        "publish_at_0": "2026-11-20",
        "publish_at_1": "09:30:00",
        "updated_at_0": "",
        "updated_at_1": "",
        "section": str(article.section_id),
        "featured_image": str(other.pk),
        "seo_title": "",
        "seo_description": "",
    }
    response = post_admin_form(csrf_client, url, fields)
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).featured_image == other


@pytest.mark.parametrize("view", ["changelist", "add"])
def test_library_pages_open(editor_client, make_image, view):
    make_image()
    assert editor_client.get(reverse(f"admin:images_image_{view}")).status_code == 200


def test_contributors_pick_and_upload_pictures_but_do_not_change_or_delete_them(
    browser, contributor, make_image, django_capture_on_commit_callbacks
):
    image = make_image(title="Night crossing")
    client = browser(contributor)
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "crossing", "app_label": "articles", "model_name": "article"}
        | {"field_name": "featured_image"},
    )
    assert [r["id"] for r in found.json()["results"]] == [str(image.pk)]
    assert "Night crossing" in client.get(reverse("admin:images_image_picker")).content.decode()

    upload = encode(photo(640, 480, seed=9))
    form = client.get(reverse("admin:images_image_add"))
    assert form.status_code == 200
    token = client.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:images_image_add"),
            {
                "csrfmiddlewaretoken": token,
                "file": SimpleUploadedFile("dock.jpg", upload, content_type="image/jpeg"),
                "title": "Dock",
                "alt_text": "The ferry dock at night",
                "caption": "",
                "credit": "Casey Contributor",
                "source": "",
                "focal_x": "",
                "focal_y": "",
            },
        )
    assert response.status_code == 302
    uploaded = Image.objects.get(title="Dock")
    assert uploaded.uploaded_by == contributor

    change = reverse("admin:images_image_change", args=[image.pk])
    response = client.post(change, {"csrfmiddlewaretoken": token, "credit": "Mine now"})
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.credit == "Pat Lens/Harbor Pictures"
    delete = reverse("admin:images_image_delete", args=[image.pk])
    assert client.post(delete, {"csrfmiddlewaretoken": token, "post": "yes"}).status_code == 403
    assert Image.objects.filter(pk=image.pk).exists()
