"""Mixed public traffic against gunicorn: errors, 5xx and worker memory growth.

    .venv/bin/python bench/bench_load_mixed.py [--seconds 60] [--connections 32]
        [--stories 1000] [--database-url postgres://…]

Builds a throwaway database (a temp SQLite file unless --database-url is given),
loads the demo and N generated stories, starts gunicorn on 127.0.0.1 with 2
workers (no max_requests, so worker recycling cannot hide a leak), warms up,
samples each worker's RSS, runs wrk with a Lua script spreading requests over
home, stories, people, characters, shows, sections, tags, feeds and search, then
samples RSS again. Target (issue "Hardening"): zero errors, zero 5xx, worker
memory growth under 10% over the run.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LUA = r"""
local paths = {}
local statuses = {}
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT %d %d %d %d %d %d %.1f %.1f %.1f\n",
    summary.requests, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")

    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir}/bench.sqlite3",
        "MEDIA_ROOT": str(workdir / "media"),
    }
    python = sys.executable
    run = lambda *cmd: subprocess.run([python, "manage.py", *cmd], cwd=ROOT, env=env, check=True)  # noqa: E731
    run("migrate", "-v0")
    run("load_demo", "-v0")
    if args.stories:
        run("generate_content", "-v0", "--articles", str(args.stories), "--people", "300",
            "--shows", "100")  # fmt: skip
    paths_file = workdir / "paths.txt"
    listing = subprocess.run(
        [python, "-c", PATHS_SCRIPT], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    paths_file.write_text(listing)
    script = workdir / "mixed.lua"
    script.write_text(LUA)

    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "newsroom.wsgi", "-c", "gunicorn.conf.py",
         "-b", f"127.0.0.1:{port}", "-w", "2", "--max-requests", "0", "--timeout", "60",
         "--access-logfile", "-"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        time.sleep(3)
        url = f"http://127.0.0.1:{port}"
        # 10 s: as long as a reader waits; wrk's default of 2 s would count slow pages
        # as errors (they are reported as latency instead).
        wrk = ["wrk", "-t2", f"-c{args.connections}", "--timeout", "10s", "-s", str(script)]
        subprocess.run([*wrk, "-d10s", url, "--", str(paths_file)], capture_output=True, check=True)
        before = {pid: rss_mb(pid) for pid in worker_pids(server.pid)}
        result = subprocess.run(
            [*wrk, f"-d{args.seconds}s", url, "--", str(paths_file)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        after = {pid: rss_mb(pid) for pid in worker_pids(server.pid)}
    finally:
        server.terminate()
        _, log = server.communicate(timeout=30)
    fives = sum(1 for line in log.splitlines() if re.search(r'" 5\d\d ', line))
    numbers = next(line for line in result.stdout.splitlines() if line.startswith("RESULT"))
    requests, connect, read, write, status, timeout, p50, p99, rps = numbers.split()[1:]
    growth = {pid: (after[pid] - before[pid]) / before[pid] * 100 for pid in before if pid in after}
    report = {
        "database": "PostgreSQL" if args.database_url else "SQLite",
        "seconds": args.seconds,
        "connections": args.connections,
        "paths": len(listing.splitlines()),
        "requests": int(requests),
        "req/s": float(rps),
        "p50 ms": float(p50),
        "p99 ms": float(p99),
        "socket errors (connect/read/write)": int(connect) + int(read) + int(write),
        "timeouts (no answer within 10 s)": int(timeout),
        "non-2xx/3xx": int(status),
        "5xx in access log": fives,
        "worker RSS before (MB)": [round(v, 1) for v in before.values()],
        "worker RSS after (MB)": [round(after[p], 1) for p in before if p in after],
        "worker memory growth %": [round(g, 1) for g in growth.values()],
    }
    print(json.dumps(report, indent=2))
    print("\n| measure | value |\n|---|---|")
    for key, value in report.items():
        print(f"| {key} | {value} |")
    shutil.rmtree(workdir, ignore_errors=True)


PATHS_SCRIPT = r"""
import django, random
django.setup()
from articles.models import Article, Author, Section
from people.models import Character, Person
from shows.models import Show
from taggit.models import Tag
random.seed(7)
paths = ["/", "/people/", "/shows/", "/feed/", "/feed/atom/", "/feed/json/", "/sitemap.xml"]
stories = list(Article.objects.published().order_by("?")[:300])
paths += [a.get_absolute_url() for a in stories]
paths += [p.get_absolute_url() for p in Person.objects.order_by("?")[:60]]
paths += [c.get_absolute_url() for c in Character.objects.order_by("?")[:40]]
paths += [s.get_absolute_url() for s in Show.objects.order_by("?")[:40]]
paths += [s.get_absolute_url() + suffix for s in Section.objects.all() for suffix in ("", "feed/")]
paths += [f"/tags/{t.slug}/" for t in Tag.objects.all()[:20]]
paths += [f"/search/?q={w}" for w in ("harbor", "finale", "marchetti", "lights", "season")]
paths += [a.get_absolute_url() + "?page=2" for a in Author.objects.all()[:3]]
random.shuffle(paths)
print("\n".join(paths))
"""

if __name__ == "__main__":
    main()
