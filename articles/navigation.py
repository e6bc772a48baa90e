"""The section menu every page prints, cached so that it costs pages no query."""

from django.core.cache import cache

from articles.models import Section

NAV_CACHE_KEY = "nav:sections:v1"
# A section save or delete clears the key (articles.signals); the timeout bounds
# staleness where another process's cache cannot be cleared (local memory).
NAV_CACHE_SECONDS = 600


def nav_sections() -> list[dict]:
    return cache.get_or_set(
        NAV_CACHE_KEY,
        lambda: [
            {"name": s.name, "url": s.get_absolute_url(), "position": s.position}
            for s in Section.objects.all()
        ],
        NAV_CACHE_SECONDS,
    )


def forget_nav_sections(**kwargs) -> None:
    cache.delete(NAV_CACHE_KEY)
