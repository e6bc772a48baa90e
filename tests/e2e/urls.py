"""The site's URLs plus its media, served the way `make run` serves them (DEBUG adds the
same pattern), so the browser checks see every picture. MEDIA_ROOT is read per request:
tests point it at a folder of their own."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from newsroom.urls import handler500
from newsroom.urls import urlpatterns as site

__all__ = ["handler500", "urlpatterns"]


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site]
