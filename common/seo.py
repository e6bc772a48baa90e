"""schema.org pieces shared by every page's JSON-LD."""

from django.conf import settings

from common.site import absolute

CONTEXT = "https://schema.org"


def publisher(request=None) -> dict:
    # A logo joins this when the images issue lands.
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_NAME,
        "url": absolute("/", request),
    }


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None
