"""The company reporting API (a contract: companies build clients against it).

Payloads are validated by plain functions (``reports.intake``) rather than serializers, so the
batch endpoint stays fast; responses are plain dicts. A company sees only its own reports.
"""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from securityunion.access.policy import get_for_user_or_404, visible
from securityunion.audit import verbs
from securityunion.audit.services import audit_read, audit_record
from securityunion.casework.api import CursorPagination
from securityunion.casework.visibility import ITEMS, OUTCOME, SUMMARY

from . import schema
from .conf import app_settings
from .filters import ReportApiFilterSet
from .intake import MEDIA_MESSAGE
from .models import ProviderReport
from .selectors import company_report_view
from .services import IntakeResult, active_hold_until, provider_for, reports_intake


def _too_large(request, limit: int) -> Response | None:  # noqa: ANN001
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return Response(
            {
                "status": 413,
                "code": "too_large",
                "detail": f"The body is larger than {limit} bytes. Send fewer items or reports.",
            },
            status=413,
        )
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type.startswith(("multipart/", "image/", "video/", "application/octet-stream")):
        return Response(
            {"status": 415, "code": "media_refused", "detail": MEDIA_MESSAGE}, status=415
        )
    return None


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


def _result_body(result: IntakeResult) -> tuple[int, dict[str, Any]]:
    if result.outcome == "invalid":
        return 400, {
            "status": 400,
            "code": "invalid",
            "detail": "The report is not valid; see errors.",
            "errors": result.errors,
        }
    if result.outcome == "conflict":
        return 409, {
            "status": 409,
            "code": "conflict",
            "detail": "This provider_reference was already used for a different report.",
            "reference": result.report.reference,
        }
    if result.outcome == "created":
        return 201, report_representation(result.report)
    # A replay may come after the decision: a legal hold withholds it here as everywhere.
    return 200, report_representation(result.report, hold_until=active_hold_until(result.report))


class ReportListCreateView(APIView):
    """``POST`` submits one report; ``GET`` lists the company's own reports."""

    required_capability = "reports_submit"
    pagination_class = CursorPagination

    @extend_schema(
        operation_id="reports_create",
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):  # noqa: ANN001, ANN201
        refused = _too_large(request, app_settings.REPORT_API_MAX_BYTES)
        if refused:
            return refused
        provider = provider_for(request.user.organisation)
        result = reports_intake(provider=provider, payloads=[request.data], actor=request.user)[0]
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
        responses=schema.ReportOutSchema(many=True),
    )
    def get(self, request):  # noqa: ANN001, ANN201
        qs = visible(ProviderReport.objects.all(), request.user, "reports_submit")
        filterset = ReportApiFilterSet(request.query_params, queryset=qs)
        if not filterset.is_valid():
            return Response(
                {
                    "status": 400,
                    "code": "invalid",
                    "detail": "Invalid filters.",
                    "errors": filterset.errors,
                },
                status=400,
            )
        qs = filterset.qs.prefetch_related("items", "candidate_countries", "holds")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        audit_read(actor=request.user, objects=page, what="reports.providerreport")
        return paginator.get_paginated_response(
            [report_representation(r, hold_until=active_hold_until(r)) for r in page]
        )


class ReportDetailApiView(APIView):
    required_capability = "reports_submit"

    @extend_schema(
        operation_id="reports_retrieve",
        responses={200: schema.ReportOutSchema, 404: schema.ErrorSchema},
    )
    def get(self, request, reference: str):  # noqa: ANN001, ANN201
        qs = ProviderReport.objects.prefetch_related("items", "candidate_countries")
        report = get_for_user_or_404(qs, request.user, "reports_submit", reference=reference)
        audit_record(actor=request.user, verb=verbs.VIEW, target=report, data={"via": "api"})
        return Response(report_representation(report, hold_until=active_hold_until(report)))


class ReportBatchView(APIView):
    """``{"reports": [... up to 500 ...]}``: one result per report, in order."""

    required_capability = "reports_submit"

    @extend_schema(
        operation_id="reports_batch", request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT
    )
    def post(self, request):  # noqa: ANN001, ANN201
        refused = _too_large(request, app_settings.REPORT_BATCH_MAX_BYTES)
        if refused:
            return refused
        data = request.data
        reports = data.get("reports") if isinstance(data, dict) else None
        if not isinstance(reports, list) or not reports:
            return Response(
                {
                    "status": 400,
                    "code": "invalid",
                    "detail": 'Send {"reports": [...]}.',
                    "errors": {"reports": ["A non-empty list of reports is required."]},
                },
                status=400,
            )
        if len(reports) > app_settings.REPORT_BATCH_MAX_REPORTS:
            return Response(
                {
                    "status": 413,
                    "code": "too_many",
                    "detail": f"At most {app_settings.REPORT_BATCH_MAX_REPORTS} reports per batch.",
                },
                status=413,
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
