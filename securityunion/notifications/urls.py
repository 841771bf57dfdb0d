from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="read_all"),
    path("preferences/", views.NotificationPreferencesView.as_view(), name="preferences"),
    path("<int:pk>/read/", views.NotificationReadView.as_view(), name="read"),
]
