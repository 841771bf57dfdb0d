"""API plumbing shared by every app: one error format, cursor pagination, scoped viewsets."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from securityunion.access.policy import visible

from .workflow import StaleVersion, WorkflowError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error has the same shape::

        {"status": 400, "code": "invalid", "detail": "...", "errors": {"field": ["..."]}}

    ``errors`` is present for validation errors (400) only. Django's own ``PermissionDenied``,
    ``Http404`` and ``ValidationError`` and the workflow's errors are translated as well.
    """
    if isinstance(exc, StaleVersion):
        exc = Conflict(str(exc), code="stale_version")
    elif isinstance(exc, WorkflowError):
        exc = Conflict(str(exc), code="invalid_state")
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body: dict[str, Any] = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["detail"] = "The request is not valid; see errors."
        detail = exc.detail
        body["errors"] = _flatten(
            detail if isinstance(detail, dict) else {"non_field_errors": detail}
        )
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body["code"] = codes if isinstance(codes, str) else "error"
        body["detail"] = _flatten(getattr(exc, "detail", str(exc)))
    response.data = body
    return response


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination: constant cost per page however long the list."""

    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"
    ordering = "-id"


class ScopedQuerysetMixin:
    """For API views: the queryset always comes through the access policy."""

    queryset_model: Any = None

    def get_queryset(self):  # noqa: ANN201
        return visible(self.queryset_model._default_manager.all(), self.request.user)
