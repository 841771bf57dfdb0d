from django.urls import path

from .views import ApprovalDecisionView

app_name = "casework"

urlpatterns = [
    path("approvals/<int:pk>/decide/", ApprovalDecisionView.as_view(), name="approval_decide"),
]
