"""The API's shapes for seizure cases and items (shape only: the rules are the services')."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from securityunion.accounts.models import Country

from .models import EuCategory, ItemKind, ProceedingStatus, SeizedItem, SeizureCase
from .services.seizures import CASE_FIELDS, ITEM_FIELDS
from .workflow import SeizureStatus


@extend_schema_field(OpenApiTypes.STR)
class _NamedChoiceField(serializers.ChoiceField):
    """A choice whose field name (``kind``, ``status``) other endpoints use for other choice
    sets: documented as a string with its values in the description, so that the schema's
    existing enum components keep their names."""

    def __init__(self, choices, **kwargs):  # noqa: ANN001, ANN003
        values = ", ".join(f"`{value}`" for value, _label in choices)
        kwargs.setdefault("help_text", f"One of {values}.")
        super().__init__(choices=choices, **kwargs)


class _CountryField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):  # noqa: ANN003
        super().__init__(slug_field="code", queryset=Country.objects.all(), **kwargs)


class SeizedItemSerializer(serializers.ModelSerializer):
    kind = _NamedChoiceField(ItemKind.choices)
    seizure = serializers.SlugRelatedField(source="case", slug_field="reference", read_only=True)
    eu_category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=EuCategory.objects.filter(active=True),
        required=False,
        allow_null=True,
    )
    manufacture_country = _CountryField(required=False, allow_null=True)
    # Explicit bounds: a model integer field's implied bounds depend on the database backend,
    # and the published schema must not. The model's rules still run in the service.
    quantity = serializers.IntegerField(min_value=1, max_value=2_147_483_647, required=False)
    manufacture_year = serializers.IntegerField(
        min_value=1800, max_value=2100, required=False, allow_null=True
    )

    class Meta:
        model = SeizedItem
        fields = ("id", "seizure", *ITEM_FIELDS)
        read_only_fields = ("id", "seizure")

    def validate(self, attrs):  # noqa: ANN001, ANN201
        # The model's rules (``SeizedItem.clean``) run in the service, with field errors.
        return attrs


class SeizedItemInSerializer(SeizedItemSerializer):
    seizure = serializers.SlugRelatedField(
        source="case", slug_field="reference", queryset=SeizureCase.objects.all()
    )


class SeizureCaseSerializer(serializers.ModelSerializer):
    status = _NamedChoiceField(SeizureStatus.choices, read_only=True)
    # The investigation's and the prosecution's statuses share one choice set (one enum).
    prosecution_status = _NamedChoiceField(ProceedingStatus.choices, required=False)
    country = serializers.CharField(source="country_id", read_only=True)
    origin_country = _CountryField(required=False, allow_null=True)
    destination_country = _CountryField(required=False, allow_null=True)
    transit_countries = _CountryField(many=True, required=False)
    items = SeizedItemSerializer(many=True, read_only=True)

    class Meta:
        model = SeizureCase
        fields = (
            "reference",
            "status",
            "country",
            *CASE_FIELDS,
            "transit_countries",
            "review_comments",
            "version",
            "items",
        )
        read_only_fields = ("reference", "status", "country", "review_comments", "version")
