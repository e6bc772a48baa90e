"""Absolute URLs for the public site.

One rule for every canonical link, feed, sitemap, JSON-LD block and WebSub
topic: ``NEWSROOM_SITE_URL`` when it is set, otherwise the request's own
scheme and host (which ``ALLOWED_HOSTS`` already restricts).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def origin(request=None) -> str:
    """``https://news.example.com``: no trailing slash."""
    if settings.NEWSROOM_SITE_URL:
        return settings.NEWSROOM_SITE_URL
    if request is None:
        raise ImproperlyConfigured("Set NEWSROOM_SITE_URL to build URLs outside a request.")
    return f"{request.scheme}://{request.get_host()}"


def absolute(path: str, request=None) -> str:
    """An absolute URL for a site path such as ``/people/zoe-marchetti/``."""
    if urlsplit(path).scheme:
        return path
    return origin(request) + ("" if path.startswith("/") else "/") + path


def host(request=None) -> str:
    """The host name alone (no port), e.g. for ``tag:`` URIs."""
    return urlsplit(origin(request)).hostname or "localhost"
