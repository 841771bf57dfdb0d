from django.urls import path

from .audit_views import AuditEventListView

app_name = "audit"

urlpatterns = [
    path("", AuditEventListView.as_view(), name="event_list"),
]
