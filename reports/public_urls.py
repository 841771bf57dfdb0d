"""The public pages of the reports area (no sign-in): the complaint form and its status."""

from django.urls import path

from . import complaint_views

app_name = "complaints"

urlpatterns = [
    path("new/", complaint_views.ComplaintCreateView.as_view(), name="new"),
    path("status/", complaint_views.ComplaintStatusView.as_view(), name="status"),
]
