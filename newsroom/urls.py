from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from common.cache import public_page
from newsroom import search, sitemaps, views

admin.site.site_header = f"{settings.NEWSROOM_NAME} editors"
admin.site.site_title = f"{settings.NEWSROOM_NAME} admin"
admin.site.index_title = "Newsroom"

handler500 = "newsroom.views.server_error"

urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("", include(search.urlpatterns)),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path("sitemap-<str:section>.xml", sitemaps.section, name="sitemap-section"),
    path("news-sitemap.xml", sitemaps.news, name="news-sitemap"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("articles.urls")),
    path("", include("people.urls")),
    path("", include("shows.urls")),
]

if settings.NEWSROOM_BENCH_TRIVIAL_VIEW:
    # The baseline the load benchmarks (bench/) compare every page with.
    urlpatterns.append(path("bench/trivial/", views.trivial, name="bench-trivial"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
