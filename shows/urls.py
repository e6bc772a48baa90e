from django.urls import path

from shows import views

app_name = "shows"

urlpatterns = [
    path("shows/", views.ShowIndexView.as_view(), name="index"),
    path("shows/<slug:slug>/", views.ShowDetailView.as_view(), name="detail"),
]
