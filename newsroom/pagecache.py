"""The public page cache and the HTTP caching headers of public pages and feeds.

Views marked with ``common.cache.public_page`` (every public page and feed) are
cached whole, for anonymous readers only, under a key made of the content
version (``articles.freshness``) and the full URL. A change that can show on a
page renews the version in the same transaction, so every cached page is
retired at once in every worker and on every server; see docs/architecture.md.

Never cached, never served from the cache: requests carrying a session cookie
or an ``Authorization`` header (editors, logged-in users), methods other than
GET and HEAD, views not marked (the admin, previews), and responses that are not
a plain 200, set a cookie, touched the session, or say ``private``/``no-store``.

Every marked response gets an ``ETag`` (and ``Last-Modified``) and answers a
matching conditional request with 304; anonymous ones get
``Cache-Control: public, max-age=0, s-maxage=…, stale-while-revalidate=…`` for a
CDN, logged-in ones ``private, no-cache``; both ``Vary: Cookie``.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from articles import freshness
from common.cache import is_public_page

# Response headers worth keeping with a cached page; the outer middleware adds
# the rest (security headers, X-Frame-Options) to every response as it leaves.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Vary",
    "Link",
    "X-Robots-Tag",
)
STATUS_HEADER = "X-Page-Cache"


def is_personal(request) -> bool:
    """A request that may belong to someone logged in: never given or stored a
    shared page."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


def page_key(request, version) -> str:
    query = request.META.get("QUERY_STRING", "")
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(f"{freshness.key_part(version)}|{url}".encode()).hexdigest()
    return f"page:{settings.CACHE_MIDDLEWARE_KEY_PREFIX}:{digest}"


def tiers() -> list:
    """Where pages are kept, nearest first: this process's memory (when the shared
    cache is elsewhere, e.g. Redis), then the configured cache."""
    return [caches["pages-local"], cache] if "pages-local" in settings.CACHES else [cache]


def fetch(key):
    found = tiers()
    for depth, tier in enumerate(found):
        stored = tier.get(key)
        if stored is not None:
            for nearer in found[:depth]:
                nearer.set(key, stored, settings.NEWSROOM_PAGE_CACHE_SECONDS)
            return stored
    return None


def store(key, stored) -> None:
    for tier in tiers():
        tier.set(key, stored, settings.NEWSROOM_PAGE_CACHE_SECONDS)


def shareable(response) -> bool:
    """Whether the view itself allows shared caches to keep this response."""
    directives = response.get("Cache-Control", "").lower()
    return not any(word in directives for word in ("private", "no-store", "no-cache"))


def storable(request, response) -> bool:
    """Whether this response is the same for every anonymous reader."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.accessed:
        return False
    return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


def shared_headers(response, version) -> None:
    """Validators and CDN directives for a page anyone may be given."""
    if not response.has_header("ETag"):
        set_response_etag(response)
    moment = freshness.last_modified(version)
    if moment and not response.has_header("Last-Modified"):
        response.headers["Last-Modified"] = http_date(moment.timestamp())
    if "max-age" not in response.get("Cache-Control", ""):
        # Browsers ask again each time (a cheap 304); shared caches keep it briefly.
        patch_cache_control(response, max_age=0)
    patch_cache_control(
        response,
        public=True,
        s_maxage=settings.NEWSROOM_CDN_MAX_AGE,
        stale_while_revalidate=settings.NEWSROOM_CDN_STALE_SECONDS,
    )
    patch_vary_headers(response, ("Cookie",))


def private(response):
    """For one reader only: no shared cache keeps it, and the browser asks again."""
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    patch_vary_headers(response, ("Cookie",))
    return response


def freeze(response) -> dict:
    return {
        "content": response.content,
        "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
    }


def thaw(stored: dict) -> HttpResponse:
    return HttpResponse(stored["content"], headers=stored["headers"])


def answer(request, response):
    """``response``, or a 304 when the request's validators match it."""
    modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(modified) if modified else None,
        response=response,
    )


class PublicPageCacheMiddleware:
    """Serves and stores public pages and feeds for anonymous readers (see above).

    Goes last in MIDDLEWARE: it decides in ``process_view``, once the URL has
    resolved to a view, and the middleware above it still adds its headers to
    every response, cached or not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_public_page(view_func) or request.method not in ("GET", "HEAD"):
            return None
        if is_personal(request):
            request._public_page = "personal"
            return None
        version = freshness.current()
        request._public_page = version
        if settings.NEWSROOM_PAGE_CACHE_SECONDS <= 0:
            return None
        key = page_key(request, version)
        stored = fetch(key)
        if stored is not None:
            response = thaw(stored)
            response.headers[STATUS_HEADER] = "hit"
            return answer(request, response)
        request._page_cache_key = key
        return None

    def __call__(self, request):
        response = self.get_response(request)
        marked = getattr(request, "_public_page", None)
        if marked is None or response.headers.get(STATUS_HEADER) == "hit":
            return response
        if marked == "personal":
            return private(response)
        if response.status_code not in (200, 304) or not shareable(response):
            return response
        if response.status_code == 200 and not storable(request, response):
            return private(response)
        shared_headers(response, marked)
        key = getattr(request, "_page_cache_key", None)
        if key and response.status_code == 200:
            store(key, freeze(response))
            response.headers[STATUS_HEADER] = "miss"
        return answer(request, response)
