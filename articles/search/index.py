"""Keeping the story search index current.

One entry per published story, in four weighted parts: the headline and the
names of the people, characters and shows it is linked to (weight A), the
standfirst (B) and the body's plain text (C). Where it lives depends on the
database (migration ``articles.0009_search_index``):

* SQLite: the FTS5 table ``articles_search`` (rowid = story id), tokenised with
  ``porter unicode61 remove_diacritics 2`` and prefix indexes;
* PostgreSQL: the ``tsvector`` column ``articles_article.search_document`` under
  a GIN index, built with the ``newsroom_search`` configuration (english
  stemming behind ``unaccent``).

Every change that can alter an entry — the story saved, its links to people,
characters and shows added or removed (by hand, or by mention detection after
the save commits), an entity renamed — rewrites the story's entry in the same
transaction, so the index never runs ahead of or behind what was committed.
Deleting, unpublishing or demoting a story removes its entry in the database
itself (triggers), so a bulk ``update()`` or a raw ``DELETE`` can never leave a
withdrawn story findable. Bulk jobs that skip signals (``generate_content``)
call :func:`reindex`; ``manage.py rebuild_search_index`` rebuilds everything.
Backups carry the index with the database (a file copy or pg_dump).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from articles.mentions.bodytext import paragraphs
from articles.models import Article, ArticleCharacter, ArticlePerson, ArticleShow
from articles.search.query import normalise

CHUNK = 1000
CONFIG = "newsroom_search"


def _names(ids: list[int]) -> dict[int, list[str]]:
    """Each story's linked names and their aliases."""
    names: dict[int, list[str]] = defaultdict(list)
    for through, name, aliases in (
        (ArticlePerson, "person__name", "person__aliases"),
        (ArticleCharacter, "character__name", "character__aliases"),
        (ArticleShow, "show__title", "show__aliases"),
    ):
        for article_id, value, more in through.objects.filter(article_id__in=ids).values_list(
            "article_id", name, aliases
        ):
            names[article_id] += [value, *(more or ())]
    return names


def documents(ids: list[int]) -> list[tuple[int, str, str, str, str]]:
    """(id, headline, names, dek, body) for the published stories among ``ids``,
    normalised the way queries are (``query.normalise``)."""
    rows = list(
        Article.objects.filter(pk__in=ids, status=Article.Status.PUBLISHED)
        .order_by()
        .values_list("pk", "headline", "dek", "body")
    )
    names = _names([row[0] for row in rows])
    return [
        (
            pk,
            normalise(headline),
            normalise("\n".join(names.get(pk, ()))),
            normalise(dek),
            normalise("\n".join(paragraphs(body))),
        )
        for pk, headline, dek, body in rows
    ]


def _write(ids: list[int]) -> int:
    docs = documents(ids)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Each row is rewritten once: cleared only if it is no longer indexed.
            gone = sorted(set(ids) - {doc[0] for doc in docs})
            if gone:
                cursor.execute(
                    "UPDATE articles_article SET search_document = NULL "
                    "WHERE id = ANY(%s) AND search_document IS NOT NULL",
                    [gone],
                )
            weighted = " || ".join(
                f"setweight(to_tsvector('{CONFIG}', %s), '{weight}')" for weight in "AABC"
            )
            cursor.executemany(
                f"UPDATE articles_article SET search_document = {weighted} WHERE id = %s",
                [(*doc[1:], doc[0]) for doc in docs],
            )
        else:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"DELETE FROM articles_search WHERE rowid IN ({marks})", ids)
            cursor.executemany(
                "INSERT INTO articles_search (rowid, headline, names, dek, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                docs,
            )
    return len(docs)


def reindex(ids: Iterable[int], progress: Callable[[int], None] | None = None) -> int:
    """Write the entries of these stories now, inside the caller's transaction (the
    index commits or rolls back with the change that moved it), removing any that
    are not published. Returns how many of them are in the index afterwards."""
    ids = sorted({pk for pk in ids if pk})
    indexed = 0
    for start in range(0, len(ids), CHUNK):
        indexed += _write(ids[start : start + CHUNK])
        if progress:
            progress(min(start + CHUNK, len(ids)))
    return indexed


def rebuild(progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Empty the index and index every published story. Returns (indexed, stories)."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Published stories are overwritten below; clear only the others.
                cursor.execute(
                    "UPDATE articles_article SET search_document = NULL "
                    "WHERE status <> 'published' AND search_document IS NOT NULL"
                )
            else:
                cursor.execute("DELETE FROM articles_search")
        indexed = reindex(ids, progress and (lambda done: progress(done, len(ids))))
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO articles_search(articles_search) VALUES ('optimize')")
    return indexed, len(ids)


# -- keeping it current -----------------------------------------------------------------


def story_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        reindex([instance.pk])


def link_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        reindex([instance.article_id])


def links_added(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """``story.people.add(…)`` and ``person.articles.add(…)`` insert link rows in bulk,
    with m2m_changed instead of post_save. (Removing and clearing delete the rows
    one by one, which sends post_delete: ``link_changed``.)"""
    if action == "post_add":
        reindex(pk_set if reverse else [instance.pk])


def entity_saving(sender, instance, raw=False, **kwargs) -> None:
    """Remember the names as stored, to tell a rename from any other edit."""
    if instance.pk and not raw:
        instance._stored_search_names = (
            sender.objects.filter(pk=instance.pk).values_list("search_names", flat=True).first()
        )


def entity_renamed(sender, instance, raw=False, created=False, **kwargs) -> None:
    """A person, character or show's names are part of its stories' entries: a new
    name or alias rewrites them (a bio edit does not: a popular person's save would
    rewrite thousands)."""
    if raw or created or getattr(instance, "_stored_search_names", None) == instance.search_names:
        return
    through = {"person": ArticlePerson, "character": ArticleCharacter, "show": ArticleShow}[
        sender._meta.model_name
    ]
    ids = through.objects.filter(
        **{through.subject_field: instance}, article__status=Article.Status.PUBLISHED
    ).values_list("article_id", flat=True)
    reindex(list(ids))


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

    from people.models import Character, Person
    from shows.models import Show

    post_save.connect(story_saved, sender=Article, dispatch_uid="search-story")
    for through in (ArticlePerson, ArticleCharacter, ArticleShow):
        uid = f"search-{through.__name__}"
        post_save.connect(link_changed, sender=through, dispatch_uid=f"{uid}-save")
        post_delete.connect(link_changed, sender=through, dispatch_uid=f"{uid}-delete")
        m2m_changed.connect(links_added, sender=through, dispatch_uid=f"{uid}-m2m")
    for model in (Person, Character, Show):
        uid = f"search-{model.__name__}"
        pre_save.connect(entity_saving, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(entity_renamed, sender=model, dispatch_uid=uid)


def tidy() -> None:
    """After a bulk (re)index on PostgreSQL: every story row was rewritten, so reclaim
    the dead versions and refresh the planner's statistics (it has none for the new
    tsvectors, and without them it may walk every published story instead of using
    the GIN index). Outside any transaction; a no-op on SQLite."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) articles_article")
