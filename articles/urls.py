from django.urls import path, register_converter

from articles import feeds, views
from common.urls import FourDigitYear, TwoDigit

register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigit, "dd")

app_name = "articles"

urlpatterns = [
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("preview/<str:token>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("archive/<yyyy:year>/<dd:month>/", views.MonthArchiveView.as_view(), name="archive"),
    # Feeds: every list of stories has RSS, Atom and JSON Feed (articles.feeds).
    # The people/characters/shows feeds live here because only this app knows
    # stories; their pages live in those apps.
    *feeds.SiteFeed.urls("", "site_feed"),
    *feeds.SectionFeed.urls("section/<slug:slug>/", "section_feed"),
    *feeds.TagFeed.urls("tags/<slug:slug>/", "tag_feed"),
    *feeds.AuthorFeed.urls("authors/<slug:slug>/", "author_feed"),
    *feeds.PersonFeed.urls("people/<slug:slug>/", "person_feed"),
    *feeds.CharacterFeed.urls("characters/<slug:slug>/", "character_feed"),
    *feeds.ShowFeed.urls("shows/<slug:slug>/", "show_feed"),
]
