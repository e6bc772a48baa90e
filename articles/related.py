"""Stories to suggest after a story: hand-picked first, then shared people and
shows, then shared tags, newest breaking ties. One query."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from articles.models import Article, ArticleCharacter, ArticlePerson, ArticleShow


def _shared(model, field, ids):
    """How many of ``ids`` the outer story links to through ``model``."""
    if not ids:
        return Value(0)
    counted = (
        model.objects.filter(article=OuterRef("pk"), **{f"{field}__in": ids})
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def related_stories(article, limit=4):
    """Published stories related to ``article``.

    Reads the article's people, characters, shows and tags from what the caller
    prefetched, so it costs exactly one query.
    """
    people = [p.pk for p in article.linked_people]
    characters = [c.pk for c in article.linked_characters]
    shows = [s.pk for s in article.linked_shows]
    tags = [t.pk for t in article.tags.all()]
    picked = Exists(
        Article.related.through.objects.filter(
            from_article_id=article.pk, to_article_id=OuterRef("pk")
        )
    )
    tag_score = Value(0)
    if tags:
        tagged = (
            TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Article),
                object_id=OuterRef("pk"),
                tag_id__in=tags,
            )
            .order_by()
            .values("object_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        tag_score = Coalesce(Subquery(tagged, output_field=IntegerField()), Value(0))
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .select_related("section", "featured_image")
        .annotate(
            picked=picked,
            entity_score=_shared(ArticlePerson, "person", people)
            + _shared(ArticleShow, "show", shows)
            + _shared(ArticleCharacter, "character", characters),
            tag_score=tag_score,
        )
        .filter(Q(picked=True) | Q(entity_score__gt=0) | Q(tag_score__gt=0))
        .order_by("-picked", "-entity_score", "-tag_score", "-publish_at", "-id")[:limit]
    )
