"""Search benchmark: index build and query latency at scale, on SQLite or PostgreSQL.

Run against a database that already holds generated content (never the project's
own data), e.g. 100,000 stories and ~22,000 people, characters and shows:

    export DATABASE_URL=sqlite:////tmp/bench.sqlite3   # or postgres://…/nr_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_content --articles 100000 --people 10000 --shows 4000
    .venv/bin/python bench/bench_search.py [--queries 300] [--skip-rebuild]

Measures, with Python's own timers, one query at a time:
  * ``rebuild_search_index`` over every story (target: 100k stories in <= 2 min);
  * the whole /search/ page (Django test client: names, count, the ranked page of
    stories, highlighting, template) for distinct two-word queries and for
    misspelt names (targets: p95 <= 50 ms and <= 100 ms); each query is new, so
    the page cache never answers;
  * on PostgreSQL, EXPLAIN ANALYZE of the story and name queries (index use).
Writes bench/results/search-<database>.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.search import stories as story_search  # noqa: E402
from articles.search.index import rebuild, tidy  # noqa: E402
from articles.search.query import parse  # noqa: E402
from newsroom.fake_content import SENTENCES, TAGS  # noqa: E402
from newsroom.search import find_names  # noqa: E402
from people.models import Character, Person  # noqa: E402
from shows.models import Show  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(times_ms):
    return {
        "n": len(times_ms),
        "p50": statistics.median(times_ms),
        "p95": percentile(times_ms, 95),
        "p99": percentile(times_ms, 99),
        "max": max(times_ms),
    }


def misspell(word, rng):
    """One typing slip in the middle of a word: a swapped, dropped or changed letter."""
    i = rng.randint(1, len(word) - 3)
    slip = rng.choice(["swap", "drop", "change"])
    if slip == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if slip == "drop":
        return word[:i] + word[i + 1 :]
    letter = rng.choice([c for c in "aeioulnrst" if c != word[i]])
    return word[:i] + letter + word[i + 1 :]


def queries(n, rng):
    common = sorted(
        {w.strip(".,'{}").lower() for s in SENTENCES for w in s.split() if len(w) > 4} - {""}
    )
    common = [w for w in common if w.isalpha()]
    surnames = sorted({name.split()[-1] for name in Person.objects.values_list("name", flat=True)})
    titles = list(Show.objects.values_list("title", flat=True).distinct())
    characters = list(Character.objects.values_list("name", flat=True)[:5000])
    two_words, seen = [], set()
    while len(two_words) < n:
        kind = rng.choice(["topic", "topic+name", "title", "name+topic"])
        if kind == "topic":
            q = f"{rng.choice(common)} {rng.choice(common + TAGS)}"
        elif kind == "topic+name":
            q = f"{rng.choice(surnames)} {rng.choice(common)}"
        elif kind == "title":
            q = rng.choice(titles).lower()
        else:
            q = f"{rng.choice(characters).split()[0]} {rng.choice(common)}"
        if q not in seen:
            seen.add(q)
            two_words.append(q)
    misspelt = []
    names = [n for n in surnames if len(n) >= 6 and n.isalpha()]
    full = list(Person.objects.values_list("name", flat=True)[:20000]) + characters
    while len(misspelt) < n:
        if rng.random() < 0.5:
            q = misspell(rng.choice(names).lower(), rng)
        else:
            first, *rest = rng.choice(full).split()
            last = rest[-1] if rest else first
            if len(last) < 6 or not last.isalpha():
                continue
            q = f"{first} {misspell(last, rng)}".lower()
        if q not in seen:
            seen.add(q)
            misspelt.append(q)
    return two_words, misspelt


def time_pages(client, qs):
    times, empty = [], 0
    for q in qs:
        started = time.perf_counter()
        response = client.get("/search/", {"q": q})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (q, response.status_code)
        if b'class="card card-row' not in response.content:
            empty += 1
    return times, empty


def time_engine(qs):
    """The search work alone (names, count, the ranked page of ids), without the
    page around it: what the database and the matching cost."""
    times = []
    for q in qs:
        started = time.perf_counter()
        query = parse(q)
        find_names(query)
        story_search.ranked(story_search.matches(query))
        times.append((time.perf_counter() - started) * 1000)
    return times


def explain(query_text):
    """EXPLAIN ANALYZE of every query one search runs (as the page runs them)."""
    query = parse(query_text)
    with CaptureQueriesContext(connection) as captured:
        find_names(query)
        story_search.ranked(story_search.matches(query))
    out = []
    with connection.cursor() as cursor:
        for done in captured.captured_queries:
            sql = done["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "(SELECT")):
                cursor.execute(sql)  # SET pg_trgm.similarity_threshold
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            out.append(f"```\n{sql[:300]}{' …' if len(sql) > 300 else ''}\n\n{plan}\n```\n")
    return f"#### `{query_text}`\n\n" + "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--skip-rebuild", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    vendor = connection.vendor
    stories = Article.objects.count()
    entities = Person.objects.count() + Character.objects.count() + Show.objects.count()
    print(f"{vendor}: {stories:,} stories, {entities:,} people, characters and shows")
    lines = [
        f"## Search on {vendor}: {stories:,} stories, {entities:,} people, characters and shows",
        "",
    ]
    if not args.skip_rebuild:
        started = time.perf_counter()
        indexed, _ = rebuild(
            lambda done, total: done % 20000 == 0 and print(f"  indexed {done:,}/{total:,}")
        )
        took = time.perf_counter() - started
        started = time.perf_counter()
        tidy()  # as rebuild_search_index does: VACUUM ANALYZE on PostgreSQL
        tidied = time.perf_counter() - started
        print(f"rebuild: {indexed:,} stories in {took:.1f} s (+ {tidied:.1f} s tidy)")
        tidy_note = f" (+ {tidied:.1f} s VACUUM ANALYZE)" if vendor == "postgresql" else ""
        lines.append(
            f"- index build (`rebuild_search_index`): {indexed:,} stories in {took:.1f} s"
            + tidy_note
        )
    rng = random.Random(args.seed)
    two_words, misspelt = queries(args.queries, rng)
    client = Client()
    with override_settings(ALLOWED_HOSTS=["*"]):
        started = time.perf_counter()
        client.get("/search/", {"q": "warm up"})
        warm = (time.perf_counter() - started) * 1000
        print(f"first search (on SQLite, loads the name matcher): {warm:.0f} ms")
        lines.append(f"- first search in a fresh process (warm-up, not counted): {warm:.0f} ms")
        for label, qs, target in (
            ("two-word queries", two_words, 50),
            ("misspelt-name queries", misspelt, 100),
        ):
            engine = summary(time_engine(qs))
            print(f"  engine only: p50={engine['p50']:.1f} ms p95={engine['p95']:.1f} ms")
            lines.append(
                f"- {label}, search engine only (names, count, ranked ids): "
                f"p50 {engine['p50']:.1f} ms, p95 {engine['p95']:.1f} ms, "
                f"max {engine['max']:.1f} ms"
            )
            times, empty = time_pages(client, qs)
            s = summary(times)
            verdict = "met" if s["p95"] <= target else "NOT met"
            print(
                f"{label}: n={s['n']} p50={s['p50']:.1f} ms p95={s['p95']:.1f} ms "
                f"p99={s['p99']:.1f} ms max={s['max']:.1f} ms; {empty} with no stories; "
                f"target p95 <= {target} ms {verdict}"
            )
            lines.append(
                f"- {label} (whole page, {s['n']} distinct): p50 {s['p50']:.1f} ms, "
                f"p95 {s['p95']:.1f} ms, p99 {s['p99']:.1f} ms, max {s['max']:.1f} ms "
                f"({empty} found no story) — target p95 ≤ {target} ms: {verdict}"
            )
        lines.append(f"- sample two-word queries: {', '.join(two_words[:6])}")
        lines.append(f"- sample misspelt queries: {', '.join(misspelt[:6])}")
    if vendor == "postgresql":
        lines += [
            "",
            "### Query plans (EXPLAIN ANALYZE of each query a search runs)",
            "",
            explain(two_words[0]),
            explain("season finale"),
            explain(misspelt[0]),
        ]
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"search-{vendor}.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
