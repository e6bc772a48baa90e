"""EXPLAIN ANALYZE every query the public pages run, on a big database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_perf \\
        .venv/bin/python bench/explain.py > bench/results/explain-postgres.md

Renders each page type once with Django's test client (page cache off), captures
the SQL it ran, and prints PostgreSQL's plan for every SELECT with its timing.
A sequential scan of a big table shows up as ``Seq Scan`` and is counted at
the end. Works on SQLite too (EXPLAIN QUERY PLAN, no timings).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["NEWSROOM_PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article  # noqa: E402

BIG_TABLES = (
    "articles_article",
    "articles_articleperson",
    "articles_articleshow",
    "articles_articlecharacter",
    "articles_articleauthor",
    "taggit_taggeditem",
)


def pages():
    story = Article.objects.published().newest_first().first()
    person, show = story.people.first(), story.shows.first()
    character = story.characters.first()
    return {
        "home": "/",
        "article": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "tag": f"/tags/{story.tags.first().slug}/",
        "author": story.authors.first().get_absolute_url(),
        "archive": f"/archive/{timezone.localtime(story.publish_at):%Y/%m}/",
        "person": person.get_absolute_url(),
        "character": character.get_absolute_url() if character else "/people/",
        "show": show.get_absolute_url(),
        "site feed": "/feed/",
        "person feed": f"{person.get_absolute_url()}feed/",
        "tag feed": f"/tags/{story.tags.first().slug}/feed/",
        "people A-Z": "/people/?letter=m",
        "search": f"/search/?q={person.name.split()[-1]}",
    }


def explain(sql):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def main():
    client = Client()
    seq_scans = []
    print(f"# EXPLAIN on {connection.vendor}, {Article.objects.published().count():,} stories\n")
    for name, url in pages().items():
        client.get(url)  # warm caches (section menu, matcher, ContentType)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        print(f"## {name}: `{url}` ({status}, {len(queries)} queries)\n")
        for n, query in enumerate(queries.captured_queries, 1):
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            plan = explain(sql)
            print(f"{n}. `{sql[:160]}{'…' if len(sql) > 160 else ''}`\n")
            print("```\n" + plan + "\n```\n")
            for line in plan.splitlines():
                if "Seq Scan" in line and any(t in line for t in BIG_TABLES):
                    seq_scans.append(f"{name} #{n}: {line.strip()}")
    print("## Sequential scans of big tables\n")
    print("\n".join(f"- {s}" for s in seq_scans) or "None.")


if __name__ == "__main__":
    main()
