"""The companies' notice inbox over the API (``/api/v1/notices/``)."""

from datetime import UTC

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from securityunion.access.policy import get_for_user_or_404, visible
from securityunion.audit.services import audit_read

from .models import Notice
from .notices import notice_acknowledge, notice_respond


class NoticeSerializer(serializers.ModelSerializer):
    created = serializers.DateTimeField(source="visible_from", default_timezone=UTC)
    acknowledged_at = serializers.DateTimeField(default_timezone=UTC, read_only=True)
    responded_at = serializers.DateTimeField(default_timezone=UTC, read_only=True)
    report = serializers.CharField(source="subject_reference")
    response = serializers.CharField(source="response_text")

    class Meta:
        model = Notice
        fields = [
            "id",
            "type",
            "created",
            "status",
            "report",
            "items",
            "text",
            "data",
            "acknowledged_at",
            "response",
            "responded_at",
        ]


class NoticeFilterSet(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=Notice.Type.choices)
    status = django_filters.ChoiceFilter(choices=Notice.Status.choices)

    class Meta:
        model = Notice
        fields = ["type", "status"]


class NoticeListView(generics.ListAPIView):
    """What the centre sent the caller's company, newest first."""

    required_capability = "notices_receive"
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


class _NoticeActionView(APIView):
    required_capability = "notices_receive"

    def get_notice(self, pk: int) -> Notice:
        return get_for_user_or_404(Notice.objects.all(), self.request.user, pk=pk)


class NoticeAcknowledgeView(_NoticeActionView):
    @extend_schema(request=None, responses=NoticeSerializer)
    def post(self, request, pk: int):  # noqa: ANN001, ANN201
        notice = notice_acknowledge(notice=self.get_notice(pk), actor=request.user)
        return Response(NoticeSerializer(notice).data)


class NoticeResponseSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000, allow_blank=False, trim_whitespace=True)


class NoticeRespondView(_NoticeActionView):
    @extend_schema(request=NoticeResponseSerializer, responses=NoticeSerializer)
    def post(self, request, pk: int):  # noqa: ANN001, ANN201
        notice = self.get_notice(pk)
        payload = NoticeResponseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        notice = notice_respond(
            notice=notice, actor=request.user, text=payload.validated_data["text"]
        )
        return Response(NoticeSerializer(notice).data)
