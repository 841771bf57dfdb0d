from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sessions/", views.SessionListView.as_view(), name="session_list"),
    path("sessions/<int:pk>/end/", views.SessionEndView.as_view(), name="session_end"),
    path("users/<int:pk>/roles/", views.UserRolesView.as_view(), name="user_roles"),
    path("api-clients/", views.ApiClientListView.as_view(), name="api_client_list"),
    path("api-clients/new/", views.ApiClientCreateView.as_view(), name="api_client_create"),
    path(
        "api-clients/<int:pk>/revoke/",
        views.ApiClientRevokeView.as_view(),
        name="api_client_revoke",
    ),
    path("invitations/new/", views.InvitationCreateView.as_view(), name="invitation_create"),
    path(
        "invitations/<str:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
