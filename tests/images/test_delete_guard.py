"""An image that something still shows cannot be deleted — not in the admin, not in bulk, not
from a script — and the refusal says where it is used. Unused images take their files along."""

import pytest
from django.urls import reverse

from images.models import Image, ImageInUse
from tests.factories import ArticleFactory, PersonFactory, ShowFactory
from tests.images.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def used(make_image):
    image = make_image(title="Ferry dock")
    ArticleFactory(headline="Finale night", featured_image=image)
    PersonFactory(name="Ana Ruiz", headshot=image)
    ShowFactory(title="Harbor Lights", poster=image)
    ArticleFactory(
        headline="Behind the scenes",
        body=f'<figure><img src="/media/x.jpg" alt="" data-file="{image.pk}"></figure>',
    )
    return image


def test_usages_lists_every_place(used):
    assert sorted(str(u) for u in used.usages()) == [
        "article “Behind the scenes” (in the story text)",
        "article “Finale night” (featured image)",
        "person “Ana Ruiz” (headshot)",
        "show “Harbor Lights (2010)” (poster)",
    ]


def test_model_delete_refuses_and_names_the_uses(used, media_root):
    files_before = stored_files(media_root)
    with pytest.raises(ImageInUse) as exc_info:
        used.delete()
    message = str(exc_info.value)
    assert message.startswith("This picture is still used, so it cannot be deleted: ")
    assert "article “Finale night” (featured image)" in message
    assert Image.objects.filter(pk=used.pk).exists()
    assert stored_files(media_root) == files_before


def test_queryset_delete_refuses_too(used, make_image):
    unused = make_image(title="Spare")
    with pytest.raises(ImageInUse):
        Image.objects.all().delete()
    assert Image.objects.count() == 2
    assert unused.pk


def test_admin_delete_view_lists_uses_and_refuses(csrf_client, used):
    url = reverse("admin:images_image_delete", args=[used.pk])
    html = csrf_client.get(url).content.decode()
    assert "“Ferry dock” is still used, so it cannot be deleted." in html
    assert "article “Finale night” (featured image)" in html
    assert "person “Ana Ruiz” (headshot)" in html
    assert "(in the story text)" in html
    person = used.headshot_of.get()
    assert reverse("admin:people_person_change", args=[person.pk]) in html
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(url, {"post": "yes", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert Image.objects.filter(pk=used.pk).exists()


def test_admin_bulk_delete_refuses_with_the_list(csrf_client, used, make_image):
    spare = make_image(title="Spare")
    url = reverse("admin:images_image_changelist")
    token = csrf_client.get(url).cookies["csrftoken"].value
    data = {
        "action": "delete_selected",
        "_selected_action": [used.pk, spare.pk],
        "csrfmiddlewaretoken": token,
    }
    html = csrf_client.post(url, data).content.decode()
    assert "Some of these pictures are still used, so none were deleted." in html
    assert "Ferry dock: " in html and "show “Harbor Lights (2010)” (poster)" in html
    csrf_client.post(url, {**data, "post": "yes"})
    assert Image.objects.count() == 2


def test_removing_the_uses_makes_it_deletable_and_the_files_go(
    csrf_client, used, media_root, django_capture_on_commit_callbacks
):
    used.featured_in.update(featured_image=None)
    used.headshot_of.update(headshot=None)
    used.poster_of.update(poster=None)
    story = used.in_story_text.get().article
    story.body = "<p>No picture now.</p>"
    story.save()
    assert used.usages() == []
    url = reverse("admin:images_image_delete", args=[used.pk])
    token = csrf_client.get(url).cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client.post(url, {"post": "yes", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_change_form_shows_where_it_is_used(editor_client, used):
    html = editor_client.get(reverse("admin:images_image_change", args=[used.pk])).content.decode()
    assert "Where it is used" in html and "person “Ana Ruiz” (headshot)" in html
