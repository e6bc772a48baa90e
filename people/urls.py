from django.urls import path

from common.cache import public_page
from people import views

app_name = "people"

urlpatterns = [
    path("people/", public_page(views.PersonIndexView.as_view()), name="index"),
    path("people/<slug:slug>/", public_page(views.PersonDetailView.as_view()), name="detail"),
    path(
        "characters/<slug:slug>/",
        public_page(views.CharacterDetailView.as_view()),
        name="character",
    ),
]
