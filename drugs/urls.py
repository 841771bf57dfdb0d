from django.urls import path, register_converter

from . import views


class ActionNumberConverter:
    """An action's number as the model allows it (12, 3.2, 1.2.3): anything else is a 404
    before a query is made."""

    regex = r"[0-9]{1,3}(?:\.[0-9]{1,3}){0,2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(ActionNumberConverter, "action_number")

app_name = "drugs"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="index"),
    path("priorities/<int:number>/", views.PriorityView.as_view(), name="priority"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/new/", views.ActionCreateView.as_view(), name="action_create"),
    path("actions/<action_number:number>/", views.ActionDetailView.as_view(), name="action_detail"),
    path(
        "actions/<action_number:number>/edit/", views.ActionEditView.as_view(), name="action_edit"
    ),
    path(
        "actions/<action_number:number>/transition/",
        views.ActionTransitionView.as_view(),
        name="action_transition",
    ),
    path(
        "actions/<action_number:number>/updates/",
        views.ProgressSubmitView.as_view(),
        name="update_submit",
    ),
    path("updates/<int:pk>/review/", views.ProgressReviewView.as_view(), name="update_review"),
    path(
        "updates/<int:pk>/resubmit/", views.ProgressResubmitView.as_view(), name="update_resubmit"
    ),
]
