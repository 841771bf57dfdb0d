"""The firearms API (``/api/v1/firearms/``): a national system or a signed-in focal point lists,
reads and creates its own country's seizures and their items. Session or OAuth, as the rest
of the API; the scoping is the pages' (another country's seizure is a 404).

The scopes ``firearms:read`` / ``firearms:write`` are declared but not yet offered to OAuth
clients (today those are companies, which hold no firearms capability): a token is refused
with ``insufficient_scope`` until national systems get clients of their own."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from securityunion.access.policy import get_for_user_or_404
from securityunion.audit import verbs
from securityunion.audit.services import audit_read, audit_record
from securityunion.casework.api import ApiView, CursorPagination, ErrorSchema

from . import selectors
from .filters import SeizureFilterSet
from .models import SeizureCase
from .serializers import SeizedItemInSerializer, SeizedItemSerializer, SeizureCaseSerializer
from .services import item_add, seizure_create

READ = "firearms:read"
WRITE = "firearms:write"


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSchema) for code in codes}


def _valid(serializer_class, request, **kwargs):  # noqa: ANN001, ANN003, ANN202
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class SeizureListCreateApiView(ApiView):
    required_capability = selectors.SEE_ANY
    required_scopes = {"GET": READ, "POST": WRITE}
    pagination_class = CursorPagination

    @extend_schema(
        operation_id="firearms_seizures_list",
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("context", str),
            OpenApiParameter("smuggling_mode", str),
            OpenApiParameter("category", str),
            OpenApiParameter("seized_from", str),
            OpenApiParameter("seized_to", str),
        ],
        responses={200: SeizureCaseSerializer(many=True), **_errors(400, 401, 403, 429)},
    )
    def get(self, request):  # noqa: ANN001, ANN201
        qs = selectors.seizures_visible_to(request.user)
        filterset = SeizureFilterSet(request.query_params, queryset=qs)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        qs = filterset.qs.prefetch_related(
            "transit_countries", "items__eu_category", "items__case"
        ).select_related("origin_country", "destination_country")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        audit_read(actor=request.user, objects=page, what="firearms.seizurecase")
        return paginator.get_paginated_response(SeizureCaseSerializer(page, many=True).data)

    @extend_schema(
        operation_id="firearms_seizures_create",
        request=SeizureCaseSerializer,
        responses={201: SeizureCaseSerializer, **_errors(400, 401, 403, 429)},
    )
    def post(self, request):  # noqa: ANN001, ANN201
        if "country" in request.data:
            raise exceptions.ValidationError(
                {"country": ["The country is the one of your account."]}
            )
        data = dict(_valid(SeizureCaseSerializer, request))
        case = seizure_create(actor=request.user, data=data)
        return Response(SeizureCaseSerializer(case).data, status=status.HTTP_201_CREATED)


class SeizureDetailApiView(ApiView):
    required_capability = selectors.SEE_ANY
    required_scopes = {"GET": READ}

    @extend_schema(
        operation_id="firearms_seizures_retrieve",
        responses={200: SeizureCaseSerializer, **_errors(401, 403, 404, 429)},
    )
    def get(self, request, reference: str):  # noqa: ANN001, ANN201
        case = get_for_user_or_404(SeizureCase.objects.all(), request.user, reference=reference)
        audit_record(actor=request.user, verb=verbs.VIEW, target=case, data={"via": "api"})
        return Response(SeizureCaseSerializer(case).data)


class ItemListCreateApiView(ApiView):
    required_capability = selectors.SEE_ANY
    required_scopes = {"GET": READ, "POST": WRITE}
    pagination_class = CursorPagination

    @extend_schema(
        operation_id="firearms_items_list",
        parameters=[OpenApiParameter("seizure", str, description="A seizure's reference")],
        responses={200: SeizedItemSerializer(many=True), **_errors(400, 401, 403, 404, 429)},
    )
    def get(self, request):  # noqa: ANN001, ANN201
        qs = selectors.items_visible_to(request.user)
        reference = request.query_params.get("seizure")
        if reference:
            case = get_for_user_or_404(SeizureCase.objects.all(), request.user, reference=reference)
            qs = qs.filter(case=case)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        audit_read(actor=request.user, objects=page, what="firearms.seizeditem")
        return paginator.get_paginated_response(SeizedItemSerializer(page, many=True).data)

    @extend_schema(
        operation_id="firearms_items_create",
        request=SeizedItemInSerializer,
        responses={201: SeizedItemSerializer, **_errors(400, 401, 403, 404, 409, 429)},
    )
    def post(self, request):  # noqa: ANN001, ANN201
        reference = request.data.get("seizure") if hasattr(request.data, "get") else None
        if not isinstance(reference, str) or not reference:
            raise exceptions.ValidationError({"seizure": ["Give the seizure's reference."]})
        # Out of the user's scope: a 404 like a missing case (audited), before anything else.
        case = get_for_user_or_404(SeizureCase.objects.all(), request.user, reference=reference)
        if not selectors.enters_data_for(request.user, case):
            raise exceptions.PermissionDenied()
        data = dict(_valid(SeizedItemInSerializer, request))
        data.pop("case", None)
        item = item_add(case=case, actor=request.user, data=data)
        return Response(SeizedItemSerializer(item).data, status=status.HTTP_201_CREATED)
