"""Re-linking benchmark: `manage.py link_mentions --all` over 10,000 stories on SQLite.

Builds a throwaway SQLite database (never the project's), loads the evaluation
set's talent database, writes N stories made from the evaluation stories, and
times the real command end to end (matcher build, detection, link writes).

    .venv/bin/python bench/bench_relink.py [--stories 10000]

Target (issue "Mention detection"): 10,000 stories in at most 60 s.
"""

import argparse
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EVALSET = ROOT / "tests" / "mentions" / "evalset"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-relink-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DEBUG"] = "0"  # no per-query logging, as in production
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models.signals import post_save
    from django.utils import timezone

    from articles.mentions.linking import link_after_save
    from articles.models import Article, ArticleCharacter, ArticlePerson, ArticleShow

    call_command("migrate", verbosity=0)
    talent = json.loads((EVALSET / "talent.json").read_text())
    call_command("import_entities", str(EVALSET / "talent.json"), stdout=io.StringIO())
    texts = []
    for path in sorted((EVALSET / "stories").glob("*.txt")):
        lines = path.read_text().split("\n\n")
        texts.append((lines[0].strip(), "".join(f"<p>{p.strip()}</p>" for p in lines[1:])))

    # Stories arrive without detection (bulk insert), as after a big import.
    post_save.disconnect(link_after_save, sender=Article, dispatch_uid="link-mentions")
    now = timezone.now()
    Article.objects.bulk_create(
        (
            Article(
                headline=texts[i % len(texts)][0][:240],
                slug=f"bench-story-{i}",
                body=texts[i % len(texts)][1],
                status="published",
                publish_at=now,
            )
            for i in range(args.stories)
        ),
        batch_size=1000,
    )

    started = time.perf_counter()
    cpu = time.process_time()
    out = io.StringIO()
    call_command("link_mentions", "--all", stdout=out)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    links = sum(m.objects.count() for m in (ArticlePerson, ArticleCharacter, ArticleShow))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    names = sum(len(talent.get(k, [])) for k in ("people", "shows", "characters"))

    rows = [
        ("stories", f"{args.stories:,}"),
        ("talent entries", f"{names}"),
        ("links written", f"{links:,}"),
        ("wall time, end to end", f"{wall:.1f} s (target ≤ 60 s)"),
        ("CPU time", f"{cpu:.1f} s"),
        ("per story", f"{wall / args.stories * 1000:.2f} ms"),
        ("peak RSS", f"{peak_mb:.0f} MB"),
    ]
    print(out.getvalue().strip())
    print("\n| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
