"""Ranked story search on whichever database the site runs on.

Both engines rank with the same weights — headline and linked names 1.0,
standfirst 0.4, body 0.2 (PostgreSQL's defaults for A, B and C) — and break ties
newest first. Both search only inside ``Article.objects.published()``: the
candidate stories are that queryset, compiled, joined to the index.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField
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


# Results a reader can page through (50 pages); counting stops one past it.
MAX_RESULTS = 1000


@dataclass(frozen=True, slots=True)
class Match:
    id: int
    score: float  # higher is better
    publish_at: object  # for the tie-break; compared only with others of one search


def _sqlite_from(query: Query, stories) -> tuple[str, list]:
    """FROM and WHERE: the index joined to the published stories among ``stories``.
    CROSS JOIN keeps the FTS index as the outer loop (SQLite would otherwise walk
    every published story and run the MATCH once for each of them)."""
    candidates, params = _candidates(stories)
    sql = (
        f"FROM articles_search CROSS JOIN ({candidates}) c ON c.id = articles_search.rowid "
        "WHERE articles_search MATCH %s"
    )
    return sql, [*params, query.fts5()]


def _sqlite_matches(query: Query, stories) -> tuple[str, list]:
    # The index gives its rows newest (highest rowid) first without sorting.
    source, params = _sqlite_from(query, stories)
    sql = (
        f"SELECT c.id, -bm25(articles_search, {BM25_WEIGHTS}), c.publish_at {source} "
        "ORDER BY articles_search.rowid DESC LIMIT %s"
    )
    return sql, [*params, MAX_RESULTS + 1]


def _postgresql_filter(query: Query, stories):
    """``stories.published()`` with the match as one more condition of the same query,
    so PostgreSQL can combine the GIN index with the others."""
    tsquery, tsparams = _tsquery(query)
    matches = RawSQL(f"search_document @@ {tsquery}", tsparams, output_field=BooleanField())
    return stories.published().order_by().filter(matches)


def _postgresql_matches(query: Query, stories) -> tuple[str, list]:
    inner, params = (
        _postgresql_filter(query, stories).values("id", "publish_at").query.sql_with_params()
    )
    tsquery, tsparams = _tsquery(query)
    # The newest matches first, then their rank: ts_rank reads each story's whole
    # tsvector, so it runs on these rows only, not on every match.
    sql = (
        f"SELECT w.id, ts_rank('{TS_WEIGHTS}', a.search_document, {tsquery}), w.publish_at "
        f"FROM (SELECT c.id, c.publish_at FROM ({inner}) c ORDER BY c.id DESC LIMIT %s) w "
        "JOIN articles_article a ON a.id = w.id"
    )
    return sql, [*tsparams, *params, MAX_RESULTS + 1]


def matches(query: Query, stories=None) -> list[Match]:
    """Up to MAX_RESULTS + 1 matching published stories, newest (highest id) first,
    each with its relevance: how many match, as far as anyone can page, and what to
    rank — in one walk of the index. A query matching more than MAX_RESULTS stories
    is ranked among its newest MAX_RESULTS: ranking all 75,000 matches of "season
    finale" costs 75-100 ms, ranking 1,000 a few milliseconds."""
    if not query:
        return []
    stories = stories if stories is not None else Article.objects.all()
    build = _postgresql_matches if connection.vendor == "postgresql" else _sqlite_matches
    sql, params = build(query, stories)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [Match(pk, score, published) for pk, score, published in cursor.fetchall()]
    rows.sort(key=lambda m: m.id, reverse=True)
    return rows


def ranked(found: list[Match]) -> list[int]:
    """Story ids best first (ties: newest first), among the first MAX_RESULTS."""
    best = sorted(found[:MAX_RESULTS], key=lambda m: (m.score, m.publish_at, m.id), reverse=True)
    return [m.id for m in best]


def matching_sql(query: Query, stories=None) -> tuple[str, list]:
    """SQL selecting the ids of the published stories that match, unordered (feeds
    add their own order)."""
    stories = stories if stories is not None else Article.objects.all()
    if connection.vendor == "postgresql":
        sql, params = _postgresql_filter(query, stories).values("id").query.sql_with_params()
        return sql, list(params)
    source, params = _sqlite_from(query, stories)
    return f"SELECT c.id {source}", params


def indexed_ids(query: Query) -> RawSQL:
    """Every indexed story that matches, published or scheduled (the admin's search),
    as a subquery of ids."""
    if connection.vendor == "postgresql":
        tsquery, params = _tsquery(query)
        return RawSQL(f"SELECT id FROM articles_article WHERE search_document @@ {tsquery}", params)
    return RawSQL(
        "SELECT rowid FROM articles_search WHERE articles_search MATCH %s", [query.fts5()]
    )
