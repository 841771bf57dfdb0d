from django.urls import path

from . import views

app_name = "firearms"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("seizures/", views.SeizureListView.as_view(), name="seizure_list"),
    path("seizures/new/", views.SeizureFormView.as_view(), name="seizure_create"),
    path("seizures/<str:reference>/", views.SeizureDetailView.as_view(), name="seizure_detail"),
    path("seizures/<str:reference>/edit/", views.SeizureFormView.as_view(), name="seizure_edit"),
    path(
        "seizures/<str:reference>/transition/",
        views.SeizureTransitionView.as_view(),
        name="seizure_transition",
    ),
    path("seizures/<str:reference>/items/", views.ItemAddView.as_view(), name="item_add"),
    path(
        "seizures/<str:reference>/items/<int:item>/",
        views.ItemEditView.as_view(),
        name="item_edit",
    ),
    path(
        "seizures/<str:reference>/items/remove/",
        views.ItemRemoveView.as_view(),
        name="item_remove",
    ),
    path("seizures/<str:reference>/pdf/", views.SeizurePdfView.as_view(), name="seizure_pdf"),
]
