from django.urls import path

from .views import ApprovalDecisionView, ExportPdfView, ExportView

app_name = "casework"

urlpatterns = [
    path("approvals/<int:pk>/decide/", ApprovalDecisionView.as_view(), name="approval_decide"),
    path("exports/<uuid:pk>/", ExportView.as_view(), name="export"),
    path("exports/<uuid:pk>/pdf/", ExportPdfView.as_view(), name="export_pdf"),
]
