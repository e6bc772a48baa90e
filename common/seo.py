"""schema.org pieces shared by every page's JSON-LD."""

from django.conf import settings

from common.site import absolute

CONTEXT = "https://schema.org"


def publisher(request=None) -> dict:
    # No logo yet: the brand mark is an SVG (static/img/favicon.svg) and search engines
    # want a raster logo; add a static PNG here when the brand has one.
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_NAME,
        "url": absolute("/", request),
    }


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None
