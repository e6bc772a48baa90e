"""Load benchmark: gunicorn (2 workers) on 127.0.0.1, wrk against every page type,
cached and uncached, with a trivial Django view measured in the same run.

    .venv/bin/python bench/load.py --backend sqlite --stories 1000
    .venv/bin/python bench/load.py --backend postgres --stories 100000 [--keep]

Each run builds a throwaway database (a temporary SQLite file, or the PostgreSQL
database ``newsroom_bench_perf``, dropped afterwards unless ``--keep``), fills it
with ``manage.py generate_content``, runs ANALYZE, then for each mode starts
gunicorn with gunicorn.conf.py (GUNICORN_WORKERS=2, access log off) and runs
``wrk -t2 -c16`` against: the trivial view, home, an article, a person, a show,
a tag, the site feed, a search, and the trivial view again. Cached mode uses the
page cache as configured (local memory with SQLite, Redis with PostgreSQL);
uncached mode sets NEWSROOM_PAGE_CACHE_SECONDS=0, so every request renders.

Results go to bench/results/load-<backend>-<stories>.json; bench/load_report.py
turns every results file into the table and chart in docs/benchmarks.md.
Needs wrk (``apt-get install -y wrk``); the PostgreSQL runs need psql and Redis.
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PG_DB = "newsroom_bench_perf"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
PAGES = ("trivial", "home", "article", "person", "show", "tag", "feed", "search")

PICK = """
import json
from urllib.parse import urlencode
from articles.models import Article
story = Article.objects.published().newest_first().first()
person = story.people.first()
show = story.shows.first()
tag = story.tags.first()
word = person.name.split()[-1]
print(json.dumps({
    "trivial": "/bench/trivial/",
    "home": "/",
    "article": story.get_absolute_url(),
    "person": person.get_absolute_url(),
    "show": show.get_absolute_url(),
    "tag": f"/tags/{tag.slug}/",
    "feed": "/feed/",
    "search": "/search/?" + urlencode({"q": word}),
}))
"""

ANALYZE = "from django.db import connection; connection.cursor().execute('ANALYZE')"


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, text=True, **kwargs)


def psql(sql):
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql])


def manage(env, *args, capture=False):
    done = run(
        [sys.executable, "manage.py", *args],
        env=env,
        capture_output=capture,
    )
    return done.stdout if capture else None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url, seconds, connections):
    out = run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", out, re.MULTILINE))
    if "99" not in latency:
        raise SystemExit(f"Could not read wrk's output for {url}:\n{out}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.MULTILINE)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": to_ms(latency["50"]),
        "p99_ms": to_ms(latency["99"]),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": errors,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def serve(env, port):
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial/", timeout=5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--stories", type=int, required=True)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL", "CACHE_KEY_PREFIX"}
    }
    env.update(
        DJANGO_ENV="development",
        DEBUG="false",
        NEWSROOM_BENCH_TRIVIAL_VIEW="1",
        GUNICORN_WORKERS="2",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
        LOG_LEVEL="WARNING",
        CACHE_KEY_PREFIX=f"bench-{uuid.uuid4().hex[:8]}",
    )
    tmp = tempfile.TemporaryDirectory(prefix="newsroom-bench-")
    if args.backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    else:
        psql(f"DROP DATABASE IF EXISTS {PG_DB}")
        psql(f"CREATE DATABASE {PG_DB}")
        env["DATABASE_URL"] = PG_URL
        env["CACHE_URL"] = REDIS_URL

    people, shows = max(20, args.stories * 3 // 20), max(10, args.stories // 20)
    print(f"Building {args.stories:,} stories on {args.backend}…", flush=True)
    started = time.monotonic()
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(
        env,
        "generate_content",
        f"--articles={args.stories}",
        f"--people={people}",
        f"--shows={shows}",
        "-v",
        "0",
    )
    manage(env, "shell", "-c", ANALYZE)
    print(f"  built in {time.monotonic() - started:.0f} s", flush=True)
    urls = json.loads(manage(env, "shell", "-c", PICK, capture=True).strip().splitlines()[-1])

    results = {
        "backend": args.backend,
        "cache": "redis" if args.backend == "postgres" else "local memory",
        "stories": args.stories,
        "duration_s": args.duration,
        "connections": args.connections,
        "workers": 2,
        "urls": urls,
        "modes": {},
    }
    try:
        for mode, seconds in (("cached", "600"), ("uncached", "0")):
            port = free_port()
            server = serve({**env, "NEWSROOM_PAGE_CACHE_SECONDS": seconds}, port)
            measured = {}
            try:
                for page in (*PAGES, "trivial (again)"):
                    url = f"http://127.0.0.1:{port}{urls[page.split()[0]]}"
                    wrk(url, args.warmup, args.connections)
                    measured[page] = wrk(url, args.duration, args.connections)
                    m = measured[page]
                    print(
                        f"  {mode:8} {page:16} {m['rps']:8.1f} req/s  p50 {m['p50_ms']:7.2f} ms"
                        f"  p99 {m['p99_ms']:7.2f} ms  errors {m['non_2xx']} {m['socket_errors']}",
                        flush=True,
                    )
            finally:
                server.terminate()
                server.wait(timeout=30)
            results["modes"][mode] = measured
    finally:
        if args.backend == "postgres" and not args.keep:
            psql(f"DROP DATABASE {PG_DB}")
        tmp.cleanup()

    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"load-{args.backend}-{args.stories}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
