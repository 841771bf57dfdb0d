"""The company reporting API (a contract: companies build clients against it).

Payloads are validated by plain functions (``reports.intake``) rather than serializers, so the
batch endpoint stays fast; the serializers in ``reports.schema`` describe the same contract
for the OpenAPI schema. A company sees only its own reports. Errors are exceptions, turned
into the one error format by ``securityunion.casework.api.exception_handler``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from securityunion.access.policy import get_for_user_or_404, visible
from securityunion.audit import verbs
from securityunion.audit.services import audit_read, audit_record
from securityunion.casework.api import (
    CompanyApiView,
    Conflict,
    CursorPagination,
    MediaRefused,
    PayloadTooLarge,
    error_body,
)
from securityunion.casework.visibility import ITEMS, OUTCOME, SUMMARY

from . import schema
from .conf import app_settings
from .filters import ReportApiFilterSet
from .intake import MEDIA_MESSAGE
from .models import ProviderReport
from .selectors import company_report_view, company_told_from
from .services import IntakeResult, provider_for, reports_intake

_MEDIA_TYPES = ("multipart/", "image/", "video/", "audio/", "application/octet-stream")


def _refuse_media(request) -> None:  # noqa: ANN001
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type.startswith(_MEDIA_TYPES):
        raise MediaRefused(MEDIA_MESSAGE)


def report_representation(report: ProviderReport, *, hold_until: Any = None) -> dict[str, Any]:
    """What the company sees of its report. During a legal hold the decision is withheld.

    The fields are this API's contract; which of them carry what is decided by
    ``selectors.company_report_view``, the same decision the pages and case files render.
    """
    view = company_report_view(report, hold_until=hold_until)
    summary = view[SUMMARY]
    data: dict[str, Any] = {
        "reference": report.reference,
        "provider_reference": report.provider_reference,
        "status": summary.data["status"],
        "received_at": report.created_at,
        "abuse_type": report.abuse_type,
        "urgent": report.urgent,
        "countries": summary.data["countries"],
        "items": [
            {"provider_item_id": item.provider_item_id, "kind": item.kind, "known": item.known}
            for item in view[ITEMS].rows
        ],
        "outcome": None,
    }
    if view[OUTCOME]:
        outcome: dict[str, Any] = {"decided_at": report.decided_at}
        if report.duplicate_of_id:
            outcome["decision"] = "duplicate"
        elif report.unfounded_reason:
            outcome["decision"] = "manifestly_unfounded"
            outcome["reason_code"] = report.unfounded_reason
            outcome["reasons"] = report.outcome_text
        else:
            outcome["decision"] = "forwarded"
        data["outcome"] = outcome
    return data


def _result_error(result: IntakeResult) -> exceptions.APIException | None:
    if result.outcome == "invalid":
        return exceptions.ValidationError(result.errors)
    if result.outcome == "conflict":
        return Conflict(
            _("This provider_reference was already used for a different report."),
            code="conflict",
            reference=result.report.reference,
        )
    return None


def _result_body(result: IntakeResult) -> tuple[int, dict[str, Any]]:
    error = _result_error(result)
    if error is not None:
        return error.status_code, error_body(error)
    if result.outcome == "created":
        return 201, report_representation(result.report)
    # A replay may come after the decision: a legal hold withholds it here as everywhere.
    return 200, report_representation(result.report, hold_until=company_told_from(result.report))


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    described = {
        400: "Invalid: the error format, with field errors",
        401: "No valid token",
        403: "The token lacks the scope, or the client the capability",
        404: "Not found (or not the company's own)",
        409: "Conflict",
        413: "The body is larger than the endpoint's limit",
        415: "Not JSON, or media (the centre never accepts media)",
        429: "Throttled",
    }
    return {
        code: OpenApiResponse(
            schema.ConflictSchema if code == 409 else schema.ErrorSchema, described[code]
        )
        for code in codes
    }


class ReportListCreateView(CompanyApiView):
    """``POST`` submits one report; ``GET`` lists the company's own reports."""

    required_capability = "reports_submit"
    required_scopes = {"POST": "reports:submit", "GET": "reports:read"}
    pagination_class = CursorPagination

    @property
    def max_body_bytes(self) -> int:
        return app_settings.REPORT_API_MAX_BYTES

    @extend_schema(
        operation_id="reports_create",
        request=schema.ReportInSchema,
        responses={
            201: OpenApiResponse(schema.ReportOutSchema, "Created"),
            200: OpenApiResponse(
                schema.ReportOutSchema, "Replayed: the same provider_reference and body"
            ),
            **_errors(400, 401, 403, 409, 413, 415, 429),
        },
    )
    def post(self, request):  # noqa: ANN001, ANN201
        _refuse_media(request)
        provider = provider_for(request.user.organisation)
        result = reports_intake(provider=provider, payloads=[request.data], actor=request.user)[0]
        error = _result_error(result)
        if error is not None:
            raise error
        code, body = _result_body(result)
        if result.outcome == "replayed":
            audit_record(
                actor=request.user,
                verb=verbs.VIEW,
                target=result.report,
                data={"via": "api", "replay": True},
            )
        return Response(body, status=code)

    @extend_schema(
        operation_id="reports_list",
        parameters=[
            OpenApiParameter("status", str, enum=ProviderReport.Status.values),
            OpenApiParameter("received_after", OpenApiTypes.DATETIME),
            OpenApiParameter("received_before", OpenApiTypes.DATETIME),
        ],
        responses={200: schema.ReportOutSchema(many=True), **_errors(400, 401, 403, 429)},
    )
    def get(self, request):  # noqa: ANN001, ANN201
        qs = visible(ProviderReport.objects.all(), request.user, "reports_submit")
        filterset = ReportApiFilterSet(request.query_params, queryset=qs)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        qs = filterset.qs.prefetch_related("items", "candidate_countries", "holds", "forwardings")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        audit_read(actor=request.user, objects=page, what="reports.providerreport")
        return paginator.get_paginated_response(
            [report_representation(r, hold_until=company_told_from(r)) for r in page]
        )


class ReportDetailApiView(CompanyApiView):
    """One of the company's own reports, by the centre's reference."""

    required_capability = "reports_submit"
    required_scopes = {"GET": "reports:read"}

    @extend_schema(
        operation_id="reports_retrieve",
        responses={200: schema.ReportOutSchema, **_errors(400, 401, 403, 404, 429)},
    )
    def get(self, request, reference: str):  # noqa: ANN001, ANN201
        qs = ProviderReport.objects.prefetch_related("items", "candidate_countries")
        report = get_for_user_or_404(qs, request.user, "reports_submit", reference=reference)
        audit_record(actor=request.user, verb=verbs.VIEW, target=report, data={"via": "api"})
        return Response(report_representation(report, hold_until=company_told_from(report)))


class ReportBatchView(CompanyApiView):
    """``{"reports": [... up to 500 ...]}``: one result per report, in order."""

    required_capability = "reports_submit"
    required_scopes = {"POST": "reports:submit"}

    @property
    def max_body_bytes(self) -> int:
        return app_settings.REPORT_BATCH_MAX_BYTES

    @extend_schema(
        operation_id="reports_batch",
        request=schema.BatchInSchema,
        responses={
            200: OpenApiResponse(schema.BatchOutSchema, "One result per report, in the order sent"),
            **_errors(400, 401, 403, 413, 415, 429),
        },
    )
    def post(self, request):  # noqa: ANN001, ANN201
        _refuse_media(request)
        data = request.data
        reports = data.get("reports") if isinstance(data, dict) else None
        if not isinstance(reports, list) or not reports:
            raise exceptions.ValidationError(
                {"reports": [_("A non-empty list of reports is required.")]}
            )
        if len(reports) > app_settings.REPORT_BATCH_MAX_REPORTS:
            raise PayloadTooLarge(
                _("At most %d reports per batch.") % app_settings.REPORT_BATCH_MAX_REPORTS,
                code="too_many",
            )
        provider = provider_for(request.user.organisation)
        results = reports_intake(provider=provider, payloads=reports, actor=request.user)
        prefetch_related_objects(
            [r.report for r in results if r.outcome in ("replayed", "conflict")],
            "items",
            "candidate_countries",
            "holds",
        )
        body = []
        for index, result in enumerate(results):
            code, item = _result_body(result)
            body.append({"index": index, "status": code, "result": result.outcome, "body": item})
        return Response({"results": body}, status=status.HTTP_200_OK)
