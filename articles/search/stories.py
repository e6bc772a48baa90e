"""Ranked story search on whichever database the site runs on.

Both engines rank with the same weights — headline and linked names 1.0,
standfirst 0.4, body 0.2 (PostgreSQL's defaults for A, B and C) — and break ties
newest first. Both search only inside ``Article.objects.published()``: the
candidate stories are that queryset, compiled, joined to the index.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from articles.models import Article
from articles.search.index import CONFIG
from articles.search.query import Query

# bm25() column weights (headline, names, dek, body) and ts_rank() weights {D, C, B, A}.
BM25_WEIGHTS = "1.0, 1.0, 0.4, 0.2"
TS_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"


def _candidates(stories) -> tuple[str, list]:
    """The published stories among ``stories``, as SQL selecting id and publish_at."""
    qs = stories.published().order_by().values("id", "publish_at")
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def _tsquery(query: Query) -> tuple[str, list]:
    text, prefixes = query.websearch()
    parts, params = [], []
    if text:
        parts.append(f"websearch_to_tsquery('{CONFIG}', %s)")
        params.append(text)
    for word in prefixes:
        parts.append(f"to_tsquery('{CONFIG}', %s)")
        params.append(f"{word}:*")
    return "(" + " && ".join(parts) + ")", params


NEWEST = "c.publish_at DESC, c.id DESC"


def _sqlite(query: Query, candidates: str, params: list) -> tuple[str, list, str]:
    sql = (
        f"SELECT c.id FROM articles_search JOIN ({candidates}) c ON c.id = articles_search.rowid "
        "WHERE articles_search MATCH %s"
    )
    return sql, [*params, query.fts5()], f"bm25(articles_search, {BM25_WEIGHTS}), {NEWEST}"


def _postgresql(query: Query, candidates: str, params: list) -> tuple[str, list, str]:
    tsquery, tsparams = _tsquery(query)
    sql = (
        f"SELECT c.id FROM ({candidates}) c JOIN articles_article a ON a.id = c.id "
        f"CROSS JOIN (SELECT {tsquery} AS q) AS tsq WHERE a.search_document @@ tsq.q"
    )
    return (
        sql,
        [*params, *tsparams],
        f"ts_rank('{TS_WEIGHTS}', a.search_document, tsq.q) DESC, {NEWEST}",
    )


def matching_sql(query: Query, stories=None) -> tuple[str, list, str]:
    """SQL selecting the ids of the published stories that match (unordered), its
    parameters, and the ORDER BY that puts the best first."""
    candidates, params = _candidates(stories if stories is not None else Article.objects.all())
    build = _postgresql if connection.vendor == "postgresql" else _sqlite
    return build(query, candidates, params)


def count(query: Query, stories=None) -> int:
    """How many published stories match."""
    if not query:
        return 0
    sql, params, _ = matching_sql(query, stories)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS found", params)
        return cursor.fetchone()[0]


def best(query: Query, stories=None, *, offset: int = 0, limit: int = 20) -> list[int]:
    """One page of matching story ids, best first."""
    if not query:
        return []
    sql, params, best_first = matching_sql(query, stories)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY {best_first} LIMIT %s OFFSET %s", [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def newest(query: Query, stories=None, *, limit: int = 20) -> list[int]:
    """The newest matching story ids (feeds)."""
    if not query:
        return []
    sql, params, _ = matching_sql(query, stories)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY {NEWEST} LIMIT %s", [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def indexed_ids(query: Query) -> RawSQL:
    """Every indexed story that matches, published or scheduled (the admin's search),
    as a subquery of ids."""
    if connection.vendor == "postgresql":
        tsquery, params = _tsquery(query)
        return RawSQL(f"SELECT id FROM articles_article WHERE search_document @@ {tsquery}", params)
    return RawSQL(
        "SELECT rowid FROM articles_search WHERE articles_search MATCH %s", [query.fts5()]
    )
