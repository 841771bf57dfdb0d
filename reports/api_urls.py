from django.urls import path

from . import api

urlpatterns = [
    path("reports/", api.ReportListCreateView.as_view(), name="report_list"),
    path("reports/batch/", api.ReportBatchView.as_view(), name="report_batch"),
    path("reports/<str:reference>/", api.ReportDetailApiView.as_view(), name="report_detail"),
]
