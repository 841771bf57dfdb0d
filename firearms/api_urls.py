from django.urls import path

from . import api

urlpatterns = [
    path(
        "firearms/seizures/", api.SeizureListCreateApiView.as_view(), name="firearms_seizure_list"
    ),
    path(
        "firearms/seizures/<str:reference>/",
        api.SeizureDetailApiView.as_view(),
        name="firearms_seizure_detail",
    ),
    path("firearms/items/", api.ItemListCreateApiView.as_view(), name="firearms_item_list"),
]
