from django.urls import path, register_converter

from articles import views
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
]
