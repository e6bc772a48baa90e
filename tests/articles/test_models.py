import datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article, Correction
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)
PAST = NOW - datetime.timedelta(minutes=1)
FUTURE = NOW + datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("status", "publish_at", "visible"),
    [
        (Article.Status.PUBLISHED, PAST, True),
        (Article.Status.PUBLISHED, NOW, True),
        (Article.Status.PUBLISHED, FUTURE, False),
        (Article.Status.DRAFT, PAST, False),
        (Article.Status.DRAFT, FUTURE, False),
        (Article.Status.DRAFT, None, False),
        (Article.Status.REVIEW, PAST, False),
        (Article.Status.REVIEW, None, False),
        (Article.Status.UNPUBLISHED, PAST, False),
        (Article.Status.UNPUBLISHED, FUTURE, False),
    ],
)
def test_published_truth_table(status, publish_at, visible):
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory(status=Article.Status.DRAFT, publish_at=publish_at)
        # Set the status without save() so a published story keeps its None time.
        Article.objects.filter(pk=article.pk).update(status=status)
        assert Article.objects.published().filter(pk=article.pk).exists() is visible
        article.refresh_from_db()
        assert article.is_public() is visible


def test_scheduled_story_appears_at_its_time_with_nothing_running():
    with time_machine.travel(NOW, tick=False) as traveller:
        ArticleFactory(publish_at=NOW + datetime.timedelta(hours=2))
        assert not Article.objects.published().exists()
        traveller.shift(datetime.timedelta(hours=2))
        assert Article.objects.published().count() == 1


def test_publishing_without_a_time_publishes_now_and_records_first_publication():
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory(status=Article.Status.PUBLISHED, publish_at=None)
    assert article.publish_at == NOW
    assert article.first_published_at == NOW


def test_slug_from_headline_is_deduplicated():
    first = ArticleFactory(headline="Zoë Marchetti joins the cast")
    second = ArticleFactory(headline="Zoë Marchetti joins the cast")
    third = ArticleFactory(headline="Zoë Marchetti joins the cast")
    assert [first.slug, second.slug, third.slug] == [
        "zoe-marchetti-joins-the-cast",
        "zoe-marchetti-joins-the-cast-2",
        "zoe-marchetti-joins-the-cast-3",
    ]


def test_database_refuses_a_duplicate_slug():
    ArticleFactory(slug="same")
    with pytest.raises(IntegrityError):
        ArticleFactory(slug="same")


def test_body_is_sanitised_on_every_save_not_only_in_the_admin():
    article = ArticleFactory(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


def test_url_uses_the_newsroom_date_not_utc():
    # 03:00 UTC on Jan 1 is still Dec 31 in New York.
    article = ArticleFactory(
        slug="late-night", publish_at=datetime.datetime(2026, 1, 1, 3, 0, tzinfo=datetime.UTC)
    )
    assert article.get_absolute_url() == "/2025/12/31/late-night/"


def test_significant_correction_bumps_updated_time_and_typo_fix_does_not():
    article = ArticleFactory()
    typo = Correction.objects.create(article=article, note="Typo fixed.", significant=False)
    article.refresh_from_db()
    assert article.updated_at is None
    fix = Correction.objects.create(
        article=article, note="The network was misnamed.", published_at=typo.published_at
    )
    article.refresh_from_db()
    assert article.updated_at == fix.published_at


def test_correction_dates_in_the_past_do_not_move_updated_time_backwards():
    article = ArticleFactory(updated_at=timezone.now())
    Correction.objects.create(
        article=article, note="Old note.", published_at=timezone.now() - datetime.timedelta(days=3)
    )
    before = article.updated_at
    article.refresh_from_db()
    assert article.updated_at == before
