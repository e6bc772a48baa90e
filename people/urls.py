from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("people/", views.PersonIndexView.as_view(), name="index"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="detail"),
    path("characters/<slug:slug>/", views.CharacterDetailView.as_view(), name="character"),
]
