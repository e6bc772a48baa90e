"""A breaking story's spike: many readers on one story and its feed while the
newsroom keeps correcting it.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/spike.py
    DATABASE_URL=postgres://…/newsroom_bench_perf CACHE_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/spike.py

Uses an existing database (e.g. one bench/load.py kept). Starts gunicorn with
gunicorn.conf.py and two workers, then for ``--seconds`` runs two wrk clients at
once — ``--connections`` on the newest story's page and as many on the site
feed — while a third process adds a correction to that story every
``--every`` seconds (each one retires every cached page, so the story is
rendered again under full load). Prints req/s, p50/p99 and errors for both, and
checks that the last correction is on the page at the end. Writes
bench/results/spike-<vendor>.json.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ROOT, serve, wrk

STORY = """
from articles.models import Article
print(Article.objects.published().newest_first().first().get_absolute_url())
"""

CORRECT = """
import time
from articles.models import Article, Correction
story = Article.objects.published().newest_first().first()
for n in range({count}):
    time.sleep({every})
    Correction.objects.create(article=story, note="Spike correction {{}} of {count}.".format(n + 1))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=100, help="per wrk client")
    parser.add_argument("--every", type=float, default=3.0, help="seconds between corrections")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a database with content (see bench/load.py).")
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "NEWSROOM_BENCH_TRIVIAL_VIEW": "1",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
        "CACHE_KEY_PREFIX": f"spike-{uuid.uuid4().hex[:8]}",
    }
    manage = [sys.executable, "manage.py", "shell", "-c"]
    story = (
        subprocess.run(
            [*manage, STORY], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = serve(env, port)
    base = f"http://127.0.0.1:{port}"
    count = int(args.seconds // args.every)
    results = {}
    try:
        editor = subprocess.Popen(
            [*manage, CORRECT.format(count=count, every=args.every)], cwd=ROOT, env=env
        )

        def load(name, path):
            results[name] = wrk(base + path, args.seconds, args.connections)

        clients = [
            threading.Thread(target=load, args=("story", story)),
            threading.Thread(target=load, args=("feed", "/feed/")),
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        editor.wait(timeout=60)
        time.sleep(2)
        with urllib.request.urlopen(base + story, timeout=10) as response:
            fresh = f"Spike correction {count} of {count}." in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
    vendor = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    report = {
        "database": vendor,
        "seconds": args.seconds,
        "connections_per_client": args.connections,
        "corrections": count,
        "last_correction_on_page": fresh,
        **results,
    }
    for name in ("story", "feed"):
        m = results[name]
        print(
            f"{name:6} {m['rps']:8.1f} req/s  p50 {m['p50_ms']:7.2f} ms  p99 {m['p99_ms']:8.2f} ms"
            f"  non-2xx {m['non_2xx']}  socket errors: {m['socket_errors'] or 'none'}"
        )
    print(f"{count} corrections during the spike; the last one on the page: {fresh}")
    out = ROOT / "bench" / "results" / f"spike-{vendor}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
