"""Ranked story search on whichever database the site runs on.

Both engines rank with the same weights — headline and linked names 1.0,
standfirst 0.4, body 0.2 (PostgreSQL's defaults for A, B and C) — and break ties
newest first. Both search only inside ``Article.objects.published()``: the
candidate stories are that queryset, compiled, joined to the index.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, FloatField
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
# Results a reader can page through (50 pages); counting stops there.
MAX_RESULTS = 1000


def _sqlite(query: Query, candidates: str, params: list) -> tuple[str, list, str, str]:
    # CROSS JOIN keeps the FTS index as the outer loop (SQLite would otherwise walk
    # every published story and run the MATCH once for each of them).
    sql = (
        f"SELECT c.id FROM articles_search CROSS JOIN ({candidates}) c "
        "ON c.id = articles_search.rowid WHERE articles_search MATCH %s"
    )
    best_first = f"bm25(articles_search, {BM25_WEIGHTS}), {NEWEST}"
    return sql, [*params, query.fts5()], best_first, "articles_search.rowid"


def _postgresql(query: Query, stories) -> tuple[str, list, str, str]:
    # One pass over articles_article: the match is a condition of the published()
    # queryset itself, so PostgreSQL can combine the GIN index with the others.
    tsquery, tsparams = _tsquery(query)
    matches = RawSQL(f"search_document @@ {tsquery}", tsparams, output_field=BooleanField())
    rank = RawSQL(
        f"ts_rank('{TS_WEIGHTS}', search_document, {tsquery})", tsparams, output_field=FloatField()
    )
    qs = stories.published().order_by().filter(matches).annotate(rank=rank)
    sql, params = qs.values("id", "publish_at", "rank").query.sql_with_params()
    return f"SELECT c.id FROM ({sql}) c WHERE TRUE", list(params), f"c.rank DESC, {NEWEST}", "c.id"


def matching_sql(query: Query, stories=None) -> tuple[str, list, str, str]:
    """SQL selecting the ids of the published stories that match (unordered), its
    parameters, the ORDER BY that puts the best first, and the story id column."""
    stories = stories if stories is not None else Article.objects.all()
    if connection.vendor == "postgresql":
        return _postgresql(query, stories)
    candidates, params = _candidates(stories)
    return _sqlite(query, candidates, params)


def newest_matches(query: Query, stories=None) -> list[int]:
    """The ids of up to MAX_RESULTS + 1 matching published stories, newest (highest
    id) first: how many match, as far as anyone can page, and where the ranking
    window starts — one walk of the index."""
    if not query:
        return []
    sql, params, _, story_id = matching_sql(query, stories)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY {story_id} DESC LIMIT %s", [*params, MAX_RESULTS + 1])
        return [row[0] for row in cursor.fetchall()]


def count(query: Query, stories=None) -> int:
    """How many published stories match, counting no further than MAX_RESULTS + 1."""
    return len(newest_matches(query, stories))


def best(
    query: Query,
    stories=None,
    *,
    offset: int = 0,
    limit: int = 20,
    newest: list[int] | None = None,
) -> list[int]:
    """One page of matching story ids, best first. When more than MAX_RESULTS match
    (``newest``, from :func:`newest_matches`), only the newest MAX_RESULTS are ranked:
    ranking all 75,000 matches of "season finale" costs 75-100 ms on SQLite and
    more on PostgreSQL, ranking the newest 1,000 a few milliseconds."""
    if not query or offset >= MAX_RESULTS:
        return []
    if newest is None:
        newest = newest_matches(query, stories)
    sql, params, best_first, story_id = matching_sql(query, stories)
    if len(newest) > MAX_RESULTS:
        sql, params = f"{sql} AND {story_id} >= %s", [*params, newest[MAX_RESULTS - 1]]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY {best_first} LIMIT %s OFFSET %s", [*params, limit, offset])
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
