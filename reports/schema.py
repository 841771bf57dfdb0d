"""OpenAPI descriptions of the reporting API's payloads (documentation only).

Validation is done by ``reports.intake`` (plain functions, fast); these serializers describe
the same contract for ``/api/schema/`` and the generated client libraries.
"""

from rest_framework import serializers

from .intake import ABUSE_TYPES, ITEM_KINDS


class IpEventSchema(serializers.Serializer):
    ip = serializers.IPAddressField()
    at = serializers.DateTimeField()


class ReportedUserSchema(serializers.Serializer):
    account_id = serializers.CharField(required=False)
    username = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    ip_events = IpEventSchema(many=True, required=False)


class HashesSchema(serializers.Serializer):
    md5 = serializers.RegexField(r"^[0-9a-f]{32}$", required=False)
    sha1 = serializers.RegexField(r"^[0-9a-f]{40}$", required=False)
    sha256 = serializers.RegexField(r"^[0-9a-f]{64}$", required=False)
    pdq = serializers.RegexField(r"^[0-9a-f]{64}$", required=False)
    photodna = serializers.CharField(required=False, max_length=400)


class ItemInSchema(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ITEM_KINDS)
    hashes = HashesSchema(required=False)
    url = serializers.URLField(required=False)
    provider_item_id = serializers.CharField(required=False, max_length=200)
    publicly_available = serializers.BooleanField(required=False)
    removed_by_provider = serializers.BooleanField(required=False)


class ReportInSchema(serializers.Serializer):
    provider_reference = serializers.CharField(
        max_length=200, help_text="Your own id; unique per company. A retry returns the report."
    )
    abuse_type = serializers.ChoiceField(choices=ABUSE_TYPES)
    incident_at = serializers.DateTimeField(required=False)
    service = serializers.CharField(required=False, max_length=200)
    urgent = serializers.BooleanField(required=False, default=False)
    urgency_reason = serializers.CharField(required=False, help_text="Required when urgent.")
    countries = serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=2), required=False
    )
    reported_user = ReportedUserSchema(required=False)
    items = ItemInSchema(many=True, help_text="At least one; never file content.")
    notes = serializers.CharField(required=False, max_length=10_000)


class BatchInSchema(serializers.Serializer):
    reports = ReportInSchema(many=True, help_text="Up to 500 reports.")


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


class BatchResultSchema(serializers.Serializer):
    index = serializers.IntegerField()
    status = serializers.IntegerField(
        help_text="201 created, 200 replayed, 400 invalid, 409 conflict"
    )
    result = serializers.ChoiceField(choices=["created", "replayed", "invalid", "conflict"])
    body = serializers.DictField(help_text="The report, or the error in the API's error format.")


class BatchOutSchema(serializers.Serializer):
    results = BatchResultSchema(many=True)


class ErrorSchema(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(required=False)
