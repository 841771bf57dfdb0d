"""OpenAPI descriptions of the reporting API's payloads (documentation only).

Validation is done by ``reports.intake`` (plain functions, fast); these serializers describe
the same contract (its limits included) for ``/api/schema/`` and the generated client
libraries.
"""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from securityunion.casework.api import ErrorSchema

from . import intake
from .intake import ABUSE_TYPES, ITEM_KINDS

__all__ = ["ErrorSchema"]


class IpEventSchema(serializers.Serializer):
    ip = serializers.IPAddressField()
    at = serializers.DateTimeField()


class ReportedUserSchema(serializers.Serializer):
    account_id = serializers.CharField(required=False, max_length=intake.MAX_ACCOUNT_ID)
    username = serializers.CharField(required=False, max_length=intake.MAX_USERNAME)
    email = serializers.EmailField(required=False, max_length=intake.MAX_EMAIL)
    ip_events = IpEventSchema(many=True, required=False, max_length=100)


class HashesSchema(serializers.Serializer):
    md5 = serializers.RegexField(r"^[0-9a-f]{32}$", required=False)
    sha1 = serializers.RegexField(r"^[0-9a-f]{40}$", required=False)
    sha256 = serializers.RegexField(r"^[0-9a-f]{64}$", required=False)
    pdq = serializers.RegexField(r"^[0-9a-f]{64}$", required=False)
    photodna = serializers.CharField(
        required=False,
        min_length=16,
        max_length=400,
        help_text="144 bytes: base64, hexadecimal or comma-separated values 0-255.",
    )


class ItemInSchema(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ITEM_KINDS)
    hashes = HashesSchema(required=False)
    url = serializers.URLField(
        required=False,
        max_length=intake.MAX_URL,
        help_text="http or https; a query string of at most 512 characters carrying no data.",
    )
    provider_item_id = serializers.RegexField(
        r"^[A-Za-z0-9._:@/#-]+$", required=False, max_length=intake.MAX_ITEM_ID
    )
    publicly_available = serializers.BooleanField(required=False)
    removed_by_provider = serializers.BooleanField(required=False)


class ReportInSchema(serializers.Serializer):
    provider_reference = serializers.CharField(
        max_length=intake.MAX_REFERENCE,
        help_text="Your own id; unique per company. A retry returns the report.",
    )
    abuse_type = serializers.ChoiceField(choices=ABUSE_TYPES)
    incident_at = serializers.DateTimeField(required=False)
    service = serializers.CharField(required=False, max_length=intake.MAX_SERVICE)
    urgent = serializers.BooleanField(required=False, default=False)
    urgency_reason = serializers.CharField(
        required=False, max_length=intake.MAX_URGENCY_REASON, help_text="Required when urgent."
    )
    countries = serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=2), required=False
    )
    reported_user = ReportedUserSchema(required=False)
    items = ItemInSchema(
        many=True,
        min_length=1,
        max_length=intake.MAX_ITEMS,
        help_text="At least one; never file content.",
    )
    notes = serializers.CharField(
        required=False,
        max_length=intake.MAX_TEXT,
        help_text="Free text. Encoded data (data: URIs, base64 or hex runs) is refused.",
    )


class BatchInSchema(serializers.Serializer):
    reports = ReportInSchema(many=True, min_length=1, max_length=500, help_text="Up to 500.")


class ItemOutSchema(serializers.Serializer):
    provider_item_id = serializers.CharField()
    kind = serializers.ChoiceField(choices=ITEM_KINDS)
    known = serializers.BooleanField(help_text="A hash or the URL matches an active indicator.")


class OutcomeSchema(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["forwarded", "manifestly_unfounded", "duplicate"])
    decided_at = serializers.DateTimeField()
    reason_code = serializers.CharField(required=False)
    reasons = serializers.CharField(required=False)


class ReportOutSchema(serializers.Serializer):
    reference = serializers.CharField()
    provider_reference = serializers.CharField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    abuse_type = serializers.ChoiceField(choices=ABUSE_TYPES)
    urgent = serializers.BooleanField()
    countries = serializers.ListField(child=serializers.CharField())
    items = ItemOutSchema(many=True)
    outcome = OutcomeSchema(allow_null=True)


class ConflictSchema(ErrorSchema):
    reference = serializers.CharField(
        help_text="The report already stored under this provider_reference."
    )


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="BatchResultBody",
        serializers=[ReportOutSchema, ErrorSchema, ConflictSchema],
        resource_type_field_name=None,
    )
)
class BatchResultBodyField(serializers.DictField):
    pass


class BatchResultSchema(serializers.Serializer):
    index = serializers.IntegerField()
    status = serializers.IntegerField(
        help_text="201 created, 200 replayed, 400 invalid, 409 conflict"
    )
    result = serializers.ChoiceField(choices=["created", "replayed", "invalid", "conflict"])
    body = BatchResultBodyField(help_text="The report, or the error in the API's error format.")


class BatchOutSchema(serializers.Serializer):
    results = BatchResultSchema(many=True)
