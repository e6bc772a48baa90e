from django.urls import path

from common.cache import public_page
from shows import views

app_name = "shows"

urlpatterns = [
    path("shows/", public_page(views.ShowIndexView.as_view()), name="index"),
    path("shows/<slug:slug>/", public_page(views.ShowDetailView.as_view()), name="detail"),
]
