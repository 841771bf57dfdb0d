from django.urls import include, path

from . import views

urlpatterns = [
    path("testapp/", views.SampleListView.as_view(), name="sample_list"),
    path("testapp/<str:reference>/", views.SampleDetailView.as_view(), name="sample_detail"),
    path(
        "testapp/<str:reference>/transition/",
        views.SampleTransitionView.as_view(),
        name="sample_transition",
    ),
    path("testapp/<str:reference>/pdf/", views.SamplePdfView.as_view(), name="sample_pdf"),
    path("", include("securityunion.urls")),
]
