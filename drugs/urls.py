from django.urls import path

from . import views

app_name = "drugs"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="index"),
    path("priorities/<int:number>/", views.PriorityView.as_view(), name="priority"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/new/", views.ActionCreateView.as_view(), name="action_create"),
    path("actions/<str:number>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<str:number>/edit/", views.ActionEditView.as_view(), name="action_edit"),
    path(
        "actions/<str:number>/transition/",
        views.ActionTransitionView.as_view(),
        name="action_transition",
    ),
    path(
        "actions/<str:number>/updates/",
        views.ProgressSubmitView.as_view(),
        name="update_submit",
    ),
    path("updates/<int:pk>/review/", views.ProgressReviewView.as_view(), name="update_review"),
    path(
        "updates/<int:pk>/resubmit/", views.ProgressResubmitView.as_view(), name="update_resubmit"
    ),
]
