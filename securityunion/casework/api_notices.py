"""The companies' notice inbox over the API (``/api/v1/notices/``).

Every kind of notice comes through it (information requests and outcomes about reports,
reinstatement notices, removal notices about victim cases...): each names its subject as
``{"type": ..., "reference": ...}``; ``report`` stays for report notices.
"""

from datetime import UTC

import django_filters
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.response import Response

from securityunion.access.policy import get_for_user_or_404, visible
from securityunion.audit.services import audit_read

from .api import CompanyApiView, ErrorSchema
from .models import Notice
from .notices import (
    notice_acknowledge,
    notice_confirm,
    notice_respond,
    notice_subject_type,
    notice_type_of,
)
from .registry import notice_type_choices


class NoticeSubjectSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text="What the notice is about: report, complaint, victim_case, ..."
    )
    reference = serializers.CharField(help_text="Its reference (e.g. RPT-2026-000042).")


class NoticeSerializer(serializers.ModelSerializer):
    type = serializers.CharField(
        help_text="The kind of notice: information_request and outcome (about a report), "
        "reinstatement (an upheld complaint: restore the content, then confirm it with "
        "POST .../confirm/ and done_at; its subject is a complaint), and the kinds other areas "
        "register (e.g. removal notices). Unknown kinds may appear: treat them as plain notices."
    )
    created = serializers.DateTimeField(source="visible_from", default_timezone=UTC)
    subject = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField(
        help_text="The report's reference for notices about a report, else null."
    )
    confirmable = serializers.SerializerMethodField(
        help_text="Whether POST .../confirm/ applies (the company confirms it carried it out)."
    )
    acknowledged_at = serializers.DateTimeField(default_timezone=UTC, read_only=True)
    response = serializers.CharField(source="response_text")
    responded_at = serializers.DateTimeField(default_timezone=UTC, read_only=True)
    done_at = serializers.DateTimeField(default_timezone=UTC, read_only=True)
    confirmed_at = serializers.DateTimeField(default_timezone=UTC, read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "type",
            "created",
            "status",
            "subject",
            "report",
            "items",
            "text",
            "data",
            "acknowledged_at",
            "response",
            "responded_at",
            "confirmable",
            "done_at",
            "confirmed_at",
        ]

    @extend_schema_field(NoticeSubjectSerializer)
    def get_subject(self, notice: Notice) -> dict:
        return {"type": notice_subject_type(notice), "reference": notice.subject_reference}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_report(self, notice: Notice) -> str | None:
        return notice.subject_reference if notice_subject_type(notice) == "report" else None

    def get_confirmable(self, notice: Notice) -> bool:
        kind = notice_type_of(notice)
        return bool(kind and kind.confirmable)


class NoticeFilterSet(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=notice_type_choices)
    status = django_filters.ChoiceFilter(choices=Notice.Status.choices)

    class Meta:
        model = Notice
        fields = ["type", "status"]


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSchema) for code in codes}


@extend_schema(
    parameters=[
        OpenApiParameter(
            "type",
            str,
            description="A notice type (information_request, outcome, reinstatement, ...).",
        )
    ],
    responses={200: NoticeSerializer(many=True), **_errors(400, 401, 403, 429)},
)
class NoticeListView(generics.ListAPIView, CompanyApiView):
    """What the centre sent the caller's company, newest first."""

    required_capability = "notices_receive"
    required_scopes = {"GET": "notices:read"}
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet

    queryset = Notice.objects.none()  # for the schema; requests go through get_queryset

    def get_queryset(self):  # noqa: ANN201
        if getattr(self, "swagger_fake_view", False):
            return Notice.objects.none()
        return visible(Notice.objects.all(), self.request.user).order_by("-id")

    def list(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        response = super().list(request, *args, **kwargs)
        audit_read(
            actor=request.user,
            objects=[Notice(pk=row["id"]) for row in response.data.get("results", [])],
            what="casework.notice",
        )
        return response


class _NoticeActionView(CompanyApiView):
    """An action on one notice of the caller's company."""

    required_capability = "notices_receive"
    required_scopes = {"POST": "notices:write"}

    def get_notice(self, pk: int) -> Notice:
        return get_for_user_or_404(Notice.objects.all(), self.request.user, pk=pk)


class NoticeAcknowledgeView(_NoticeActionView):
    """The company has read the notice (repeating it changes nothing)."""

    @extend_schema(request=None, responses={200: NoticeSerializer, **_errors(401, 403, 404, 429)})
    def post(self, request, pk: int):  # noqa: ANN001, ANN201
        notice = notice_acknowledge(notice=self.get_notice(pk), actor=request.user)
        return Response(NoticeSerializer(notice).data)


class NoticeResponseSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000, allow_blank=False, trim_whitespace=True)


class NoticeRespondView(_NoticeActionView):
    """Answer a notice that asks for an answer (an information request)."""

    @extend_schema(
        request=NoticeResponseSerializer,
        responses={200: NoticeSerializer, **_errors(400, 401, 403, 404, 409, 413, 415, 429)},
    )
    def post(self, request, pk: int):  # noqa: ANN001, ANN201
        notice = self.get_notice(pk)
        payload = NoticeResponseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        notice = notice_respond(
            notice=notice, actor=request.user, text=payload.validated_data["text"]
        )
        return Response(NoticeSerializer(notice).data)


class NoticeConfirmSerializer(serializers.Serializer):
    done_at = serializers.DateTimeField(
        help_text="When the company carried out the removal or reinstatement (ISO 8601 with "
        "a time zone): not in the future, not before the notice. Sending the same time again "
        "is a harmless replay; another time after a confirmation is a 409."
    )


class NoticeConfirmView(_NoticeActionView):
    """The company confirms it carried out what the notice asked."""

    @extend_schema(
        request=NoticeConfirmSerializer,
        responses={
            200: NoticeSerializer,
            **_errors(400, 401, 403, 404, 409, 413, 415, 429),
        },
        description="Only for notices whose `confirmable` is true (409 otherwise).",
    )
    def post(self, request, pk: int):  # noqa: ANN001, ANN201
        notice = self.get_notice(pk)
        payload = NoticeConfirmSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        notice = notice_confirm(
            notice=notice, actor=request.user, done_at=payload.validated_data["done_at"]
        )
        return Response(NoticeSerializer(notice).data)
