"""Stories to suggest after a story: hand-picked first, then shared people and
shows, then shared tags, newest breaking ties. One query."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import FETCH_PEERS, Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from articles.models import Article, ArticleCharacter, ArticlePerson, ArticleShow

TAG_WINDOW = 300


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
    article_type = ContentType.objects.get_for_model(Article)
    if tags:
        tagged = (
            TaggedItem.objects.filter(
                content_type=article_type,
                object_id=OuterRef("pk"),
                tag_id__in=tags,
            )
            .order_by()
            .values("object_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        tag_score = Coalesce(Subquery(tagged, output_field=IntegerField()), Value(0))
    # Score only the stories that share something, found through the link tables'
    # indexes: a story page costs the same at a thousand stories or a million.
    # Shared tags are looked for among the newest TAG_WINDOW stories only (a tag
    # can be on tens of thousands).
    candidates = Article.related.through.objects.filter(from_article_id=article.pk).values(
        "to_article_id"
    )
    for model, field, ids in (
        (ArticlePerson, "person", people),
        (ArticleCharacter, "character", characters),
        (ArticleShow, "show", shows),
    ):
        if ids:
            candidates = candidates.union(
                model.objects.filter(**{f"{field}__in": ids}).values("article_id"), all=True
            )
    if tags:
        # From the newest stories, each checked for a shared tag through the
        # (content type, story, tag) index: never every story a big tag is on.
        recent = Article.objects.published().newest_first().values("pk")[:TAG_WINDOW]
        shares_tag = TaggedItem.objects.filter(
            content_type=article_type, object_id=OuterRef("pk"), tag_id__in=tags
        )
        candidates = candidates.union(
            Article.objects.filter(pk__in=recent).filter(Exists(shares_tag)).values("pk"),
            all=True,
        )
    return list(
        Article.objects.published()
        .filter(pk__in=candidates)
        .exclude(pk=article.pk)
        .fetch_mode(FETCH_PEERS)
        .select_related("section", "featured_image")
        .annotate(
            picked=picked,
            entity_score=_shared(ArticlePerson, "person", people)
            + _shared(ArticleShow, "show", shows)
            + _shared(ArticleCharacter, "character", characters),
            tag_score=tag_score,
        )
        # Every candidate shares something, so every score here is above zero.
        .order_by("-picked", "-entity_score", "-tag_score", "-publish_at", "-id")[:limit]
    )
