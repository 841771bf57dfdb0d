from django.urls import path

from . import views

app_name = "victims"

urlpatterns = [
    path("", views.VictimCaseListView.as_view(), name="index"),
    path("new/", views.VictimCaseCreateView.as_view(), name="create"),
    path("<str:reference>/", views.VictimCaseDetailView.as_view(), name="detail"),
    path(
        "<str:reference>/transition/",
        views.VictimCaseTransitionView.as_view(),
        name="transition",
    ),
    path("<str:reference>/personal/", views.PersonalDataView.as_view(), name="personal"),
    path("<str:reference>/assistance/", views.AssistanceView.as_view(), name="assistance"),
    path("<str:reference>/assign/", views.AssignView.as_view(), name="assign"),
    path("<str:reference>/pdf/", views.VictimCasePdfView.as_view(), name="pdf"),
    path(
        "<str:reference>/information/pdf/",
        views.VictimInformationPdfView.as_view(),
        name="information_pdf",
    ),
]
