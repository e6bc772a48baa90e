from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.navigation import nav_sections


def site(request):
    return {"SITE_NAME": settings.NEWSROOM_NAME}


def navigation(request):
    # Lazy: pages that print no menu (the admin) never look it up.
    return {"nav_sections": SimpleLazyObject(nav_sections)}
