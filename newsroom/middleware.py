"""Site-wide middleware."""

import base64
import hashlib
import re
import time
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponsePermanentRedirect

from articles.models import Article


class OldArticleAddressMiddleware:
    """A story's old addresses (before a slug or date change) answer with a
    permanent redirect to where it is now, instead of the 404 they would get.

    Runs only on a 404, so ordinary pages pay nothing. The old address points at
    the story, not at the next address, so renames never build chains; a story
    that is no longer public stays a 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        article = (
            Article.objects.published()
            .filter(redirects__old_path=request.path_info)
            .only("slug", "publish_at", "created_at")
            .first()
        )
        if article is None:
            return response
        target = article.get_absolute_url()
        if request.META.get("QUERY_STRING"):
            target = f"{target}?{request.META['QUERY_STRING']}"
        return HttpResponsePermanentRedirect(target)


SEARCH_PREFIX = "/search/"


class RequestSizeLimitMiddleware:
    """Refuse, before anything reads them, requests no page could answer: a body
    larger than anything the site accepts (NEWSROOM_MAX_REQUEST_BYTES), and a NUL
    character in the address or query string (no slug, search or id contains
    one, and PostgreSQL refuses it in any query, which would be a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.NEWSROOM_MAX_REQUEST_BYTES

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        # Search reads whatever a reader pasted: it drops the NULs and searches the rest.
        searching = request.path.startswith(SEARCH_PREFIX)
        if "\x00" in request.path or (not searching and "\x00" in unquote_plus(query)):
            return HttpResponseBadRequest(
                "Bad request: the address contains a NUL character.", content_type="text/plain"
            )
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(length)
        except ValueError:
            return HttpResponseBadRequest("Bad Content-Length.", content_type="text/plain")
        if size < 0:
            return HttpResponseBadRequest("Bad Content-Length.", content_type="text/plain")
        if size > self.limit:
            return HttpResponse(
                f"Request too large: the limit is {self.limit // (1024 * 1024)} MB.",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)


_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_DATA_TYPES = (b"application/json", b"application/ld+json")


class AdminContentSecurityPolicyMiddleware:
    """Admin pages get NEWSROOM_ADMIN_CSP instead of the public policy, plus the hash
    of each inline script they carry (the rich-text editor's import map), so the
    admin works with no 'unsafe-inline' script anywhere."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(self.prefix):
            return response
        policy = {k: list(v) for k, v in settings.NEWSROOM_ADMIN_CSP.items()}
        if not getattr(response, "streaming", False) and b"<script" in response.content:
            for attrs, body in _INLINE_SCRIPT.findall(response.content):
                if b"src=" in attrs or any(t in attrs for t in _DATA_TYPES) or not body.strip():
                    continue
                digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
                policy["script-src"].append(f"'sha256-{digest}'")
        response._csp_config = policy
        return response


class SecurityHeadersMiddleware:
    """Headers Django has no setting for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SessionIdleMiddleware:
    """Sliding expiry for signed-in editors: activity renews the session, at most
    once every REFRESH seconds (not on every request, which would write the
    session row each time), so SESSION_COOKIE_AGE of inactivity signs them out."""

    REFRESH = 300
    ACTIVE_KEY = "_active_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.ACTIVE_KEY, 0) >= self.REFRESH:
                # Modifying the session saves it: a new expiry in the row and the cookie.
                session[self.ACTIVE_KEY] = now
        return self.get_response(request)
