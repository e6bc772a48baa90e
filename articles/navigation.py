"""The section menu every page prints, cached so that it costs pages no query."""

from django.core.cache import cache

from articles import freshness
from articles.models import Section

NAV_CACHE_KEY = "nav:sections:v2"
# Kept under the content version, which a section save or delete renews, so every
# worker on every server moves to the new menu with the pages that print it.
NAV_CACHE_SECONDS = 600


def nav_key() -> str:
    return f"{NAV_CACHE_KEY}:{freshness.key_part(freshness.current())}"


def nav_sections() -> list[dict]:
    return cache.get_or_set(
        nav_key(),
        lambda: [
            {
                "id": s.pk,
                "name": s.name,
                "slug": s.slug,
                "url": s.get_absolute_url(),
                "position": s.position,
            }
            for s in Section.objects.all()
        ],
        NAV_CACHE_SECONDS,
    )


def forget_nav_sections(**kwargs) -> None:
    cache.delete(nav_key())
