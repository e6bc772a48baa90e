"""A short, growing wait between wrong passwords, before django-axes locks out.

After ``NEWSROOM_LOGIN_THROTTLE_AFTER`` failures for an account name or from an
address (within the last 15 minutes), each further try must wait 5, 10, 20…
seconds (at most a minute) after the previous failure. Attempts inside the
wait are refused without checking the password, so guessing is slow long
before the hard lockout at AXES_FAILURE_LIMIT failures. Counts live in the
cache: if the cache is down the throttle steps aside and the lockout (in the
database) still holds.
"""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW = 15 * 60
MAX_WAIT = 60


def _keys(username: str, ip: str) -> list[str]:
    return [f"login-fail:user:{username.casefold()[:150]}", f"login-fail:ip:{ip}"]


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def record_failure(username: str, ip: str) -> None:
    now = time.time()
    for key in _keys(username, ip):
        count, _ = cache.get(key) or (0, now)
        cache.set(key, (count + 1, now), WINDOW)


def clear(username: str, ip: str) -> None:
    cache.delete_many(_keys(username, ip))


def wait_seconds(username: str, ip: str) -> int:
    """Seconds this sign-in must still wait; 0 when it may go ahead."""
    after = settings.NEWSROOM_LOGIN_THROTTLE_AFTER
    longest = 0.0
    now = time.time()
    for key in _keys(username, ip):
        count, last = cache.get(key) or (0, now)
        if count >= after:
            wait = min(MAX_WAIT, 5 * 2 ** (count - after))
            longest = max(longest, last + wait - now)
    return max(0, int(longest + 0.999))
