"""gunicorn settings for Newsroom: `make run`, the benchmarks (bench/) and every app
server in production (docs/deploy.md) start it with `-c gunicorn.conf.py`.

Each value can be overridden from the environment (GUNICORN_*), or on the command
line, which wins over this file.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, as many as the machine can keep busy: pages are CPU-bound once the
# database answers from memory (2 x cores + 1, the usual rule).
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request that takes longer than this is stuck: the worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Long enough for a load balancer's reused connection, short enough not to hold
# sync workers (the load balancer's idle timeout should be longer than this).
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Replace each worker after this many requests, give or take the jitter, so slow
# leaks never build up and the workers never all restart at once. High, because a
# cached page takes about a millisecond: a few thousand would mean a restart every
# few seconds under a spike.
max_requests = _int("GUNICORN_MAX_REQUESTS", 50000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 5000)

# Load Django once in the master and fork the workers from it: a replaced worker
# is serving again at once instead of after a second of imports, and the workers
# share the loaded code's memory. (Nothing connects to the database at import;
# each worker opens its own connection. A code change needs a full restart, not
# a HUP.)
preload_app = True

# The heartbeat file lives in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Behind a load balancer: trust its X-Forwarded-* headers only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# One line per request on stdout: client, time, request, status, bytes, referrer,
# user agent, microseconds taken, and whether the page cache answered.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = (
    '%(h)s %(t)s "%(r)s" %(s)s %(B)s "%(f)s" "%(a)s" %(D)sus cache=%({x-page-cache}o)s'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn's control socket defaults to one path per user: several instances on a
# host (the benchmarks, the two-server test) would fight over it, and nothing here
# uses it.
control_socket_disable = True
