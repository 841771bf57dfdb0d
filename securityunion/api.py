"""API endpoints of the shared layer."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from securityunion.access.mixins import AUTHENTICATED
from securityunion.casework.api import ApiView


class WhoAmIView(ApiView):
    """Who the token (or the signed-in staff member) is: lets a company check its client
    credentials. Any valid token may ask, whatever its scopes."""

    required_capability = AUTHENTICATED
    required_scopes = ()

    @extend_schema(
        responses=inline_serializer(
            "WhoAmI",
            {
                "username": serializers.CharField(),
                "organisation": serializers.CharField(allow_null=True),
                "organisation_type": serializers.CharField(allow_null=True),
                "country": serializers.CharField(allow_null=True),
                "api_client": serializers.BooleanField(),
            },
        )
    )
    def get(self, request):  # noqa: ANN001, ANN201
        user = request.user
        org = user.organisation
        return Response(
            {
                "username": user.get_username(),
                "organisation": org.slug if org else None,
                "organisation_type": org.type if org else None,
                "country": user.country_id,
                "api_client": user.is_api_client,
            }
        )
