"""The reports area's public pages (no sign-in), included by the project at ``/transparency/``."""

from django.urls import path

from . import views_statistics

urlpatterns = [
    path("", views_statistics.TransparencyView.as_view(), name="transparency"),
]
