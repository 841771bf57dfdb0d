from django.urls import path

from . import complaint_views, views, views_statistics

app_name = "reports"

urlpatterns = [
    path("", views.ReportQueueView.as_view(), name="index"),
    path("assign/", views.ReportBulkAssignView.as_view(), name="bulk_assign"),
    path("forwarded/", views.ForwardedReportListView.as_view(), name="forwarded"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/import/", views.IndicatorUploadView.as_view(), name="indicator_import"),
    path(
        "indicators/import/<uuid:pk>/",
        views.IndicatorImportView.as_view(),
        name="indicator_import_detail",
    ),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path(
        "indicators/<int:pk>/status/", views.IndicatorStatusView.as_view(), name="indicator_status"
    ),
    path("complaints/", complaint_views.ComplaintListView.as_view(), name="complaint_list"),
    path(
        "complaints/<str:reference>/",
        complaint_views.ComplaintDetailView.as_view(),
        name="complaint_detail",
    ),
    path(
        "complaints/<str:reference>/pdf/",
        complaint_views.ComplaintPdfView.as_view(),
        name="complaint_pdf",
    ),
    path(
        "complaints/<str:reference>/transition/",
        complaint_views.ComplaintTransitionView.as_view(),
        name="complaint_transition",
    ),
    path(
        "complaints/<str:reference>/decision/",
        complaint_views.ComplaintDecisionView.as_view(),
        name="complaint_decision",
    ),
    path(
        "complaints/<str:reference>/link/",
        complaint_views.ComplaintLinkView.as_view(),
        name="complaint_link",
    ),
    path(
        "complaints/<str:reference>/matches/<int:match>/unlink/",
        complaint_views.ComplaintUnlinkView.as_view(),
        name="complaint_unlink",
    ),
    path("corrections/", complaint_views.CorrectionListView.as_view(), name="correction_list"),
    path(
        "corrections/<int:pk>/acknowledge/",
        complaint_views.CorrectionAcknowledgeView.as_view(),
        name="correction_acknowledge",
    ),
    path("statistics/", views_statistics.StatisticsView.as_view(), name="statistics"),
    path("statistics/csv/", views_statistics.StatisticsCsvView.as_view(), name="statistics_csv"),
    path("statistics/pdf/", views_statistics.StatisticsPdfView.as_view(), name="statistics_pdf"),
    path("<str:reference>/", views.ReportDetailView.as_view(), name="detail"),
    path("<str:reference>/pdf/", views.ReportPdfView.as_view(), name="pdf"),
    path("<str:reference>/take/", views.ReportTakeView.as_view(), name="take"),
    path("<str:reference>/assign/", views.ReportReassignView.as_view(), name="reassign"),
    path("<str:reference>/transition/", views.ReportTransitionView.as_view(), name="transition"),
    path("<str:reference>/forward/", views.ReportForwardView.as_view(), name="forward"),
    path("<str:reference>/unfounded/", views.ReportUnfoundedView.as_view(), name="unfounded"),
    path("<str:reference>/duplicate/", views.ReportDuplicateView.as_view(), name="duplicate"),
    path(
        "<str:reference>/acknowledge/",
        views.ForwardingAcknowledgeView.as_view(),
        name="acknowledge",
    ),
    path("<str:reference>/feedback/", views.ForwardingFeedbackView.as_view(), name="feedback"),
    path("<str:reference>/hold/", views.LegalHoldPlaceView.as_view(), name="hold"),
    path(
        "<str:reference>/hold/<int:hold>/lift/", views.LegalHoldLiftView.as_view(), name="hold_lift"
    ),
]
