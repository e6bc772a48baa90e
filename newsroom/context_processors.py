from django.conf import settings

from articles.navigation import nav_sections


def site(request):
    return {"SITE_NAME": settings.NEWSROOM_NAME}


def navigation(request):
    return {"nav_sections": nav_sections()}
