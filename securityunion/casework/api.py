"""API plumbing shared by every app: one error format, hardened parsing, cursor pagination,
the base view of the company API and scoped viewsets."""

from __future__ import annotations

import io
from base64 import b64decode
from typing import Any
from urllib import parse

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.handlers.wsgi import LimitedStream
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from securityunion.access.api import CompanyOAuth2Authentication
from securityunion.access.policy import visible
from securityunion.lib.network import client_ip

from .parsers import PayloadTooLarge, body_limit, read_capped
from .workflow import StaleVersion, WorkflowError

__all__ = ["Conflict", "MediaRefused", "PayloadTooLarge", "error_body", "exception_handler"]


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the resource.")
    default_code = "conflict"

    def __init__(self, detail: Any = None, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail, code)
        #: further members of the error body (e.g. the reference a conflict is about)
        self.extra = extra


class MediaRefused(exceptions.UnsupportedMediaType):
    """A body that is (or claims to be) a file: the centre never accepts media."""

    default_code = "media_refused"

    def __init__(self, detail: Any) -> None:
        exceptions.APIException.__init__(self, detail, self.default_code)


class ErrorSchema(serializers.Serializer):
    """The API's one error format (OpenAPI description)."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        required=False,
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Validation errors (400) only: field path -> messages.",
    )


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, StaleVersion):
        return Conflict(str(exc), code="stale_version")
    if isinstance(exc, WorkflowError):
        return Conflict(str(exc), code="invalid_state")
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def error_body(exc: exceptions.APIException) -> dict[str, Any]:
    """The API's error format for one exception (also used for one result of a batch)."""
    body: dict[str, Any] = {"status": exc.status_code}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["detail"] = str(_("The request is not valid; see errors."))
        detail = exc.detail
        body["errors"] = _flatten(
            detail if isinstance(detail, dict) else {"non_field_errors": detail}
        )
    else:
        codes = exc.get_codes()
        body["code"] = codes if isinstance(codes, str) else "error"
        body["detail"] = _flatten(exc.detail)
    body.update(getattr(exc, "extra", {}) or {})
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error has the same shape::

        {"status": 400, "code": "invalid", "detail": "...", "errors": {"field": ["..."]}}

    ``errors`` is present for validation errors (400) only. Django's own ``PermissionDenied``,
    ``Http404``, ``ValidationError`` and ``RequestDataTooBig`` and the workflow's errors are
    translated as well. Views raise exceptions; none builds an error body by hand.
    """
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        response.data = error_body(exc)
    return response


# --- pagination --------------------------------------------------------------------------


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination: constant cost per page however long the list.

    A cursor is opaque to clients; a garbage or crafted one is a 400, never a 500 (the
    position must be what the ordering field holds: an id).
    """

    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"
    ordering = "-id"
    invalid_cursor_message = _("Invalid cursor: use the next or previous link as given.")

    def decode_cursor(self, request):  # noqa: ANN001, ANN201
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            querystring = b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = parse.parse_qs(querystring, keep_blank_values=True, strict_parsing=True)
            if set(tokens) - {"o", "r", "p"} or any(len(v) != 1 for v in tokens.values()):
                raise ValueError("unknown cursor part")
            offset = pagination._positive_int(tokens.get("o", ["0"])[0])
            if offset > self.offset_cutoff:
                raise ValueError("offset")
            reverse = tokens.get("r", ["0"])[0]
            if reverse not in ("0", "1"):
                raise ValueError("reverse")
            position = tokens.get("p", [None])[0]
            if position is not None and not (position.isascii() and position.isdigit()):
                raise ValueError("position")
            if position is not None and len(position) > 19:
                raise ValueError("position")
        except (TypeError, ValueError):
            raise exceptions.ParseError(self.invalid_cursor_message) from None
        return pagination.Cursor(offset=offset, reverse=reverse == "1", position=position)


# --- the base view of the company API -----------------------------------------------------


class UnauthenticatedThrottle(AnonRateThrottle):
    """Per client address, for requests that do not (validly) authenticate.

    The address is the one sign-in throttling and the audit log use (``TRUSTED_PROXIES``),
    not DRF's own reading of ``X-Forwarded-For``.
    """

    scope = "anon"

    def get_ident(self, request):  # noqa: ANN001, ANN201
        return client_ip(request)


class ApiView(APIView):
    """What every API view shares, before any body is read:

    - authentication never parses the body (see ``CompanyOAuth2Authentication``);
    - a request that does not authenticate is throttled per client address *before* it is
      refused, so guessing tokens runs into 429 like anything else;
    - a NUL byte in the path or the query string is a 400 (databases refuse it);
    - the body limit (``max_body_bytes``) holds for the declared ``Content-Length`` and for
      what is actually streamed, chunked bodies included.
    """

    max_body_bytes: int | None = None

    def initial(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        try:
            self.perform_authentication(request)
        except exceptions.APIException:
            self._throttle_unauthenticated(request)
            raise
        if not (request.user and request.user.is_authenticated):
            self._throttle_unauthenticated(request)
        self._refuse_nul(request)
        super().initial(request, *args, **kwargs)
        if request.method in ("POST", "PUT", "PATCH"):
            self._check_body_size(request)

    def _throttle_unauthenticated(self, request) -> None:  # noqa: ANN001
        throttle = UnauthenticatedThrottle()
        if not throttle.allow_request(request, self):
            self.throttled(request, throttle.wait())

    def _refuse_nul(self, request) -> None:  # noqa: ANN001
        query = request._request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            raise exceptions.ParseError(_("NUL bytes are not allowed in the path or query."))
        if any("\x00" in str(value) for value in self.kwargs.values()):
            raise exceptions.ParseError(_("NUL bytes are not allowed in the path or query."))

    def _check_body_size(self, request) -> None:  # noqa: ANN001
        limit = body_limit(self)
        meta = request._request.META
        declared = meta.get("CONTENT_LENGTH") or ""
        if declared:
            try:
                length = int(declared)
            except ValueError:
                raise exceptions.ParseError(_("Invalid Content-Length.")) from None
            if length < 0:
                raise exceptions.ParseError(_("Invalid Content-Length."))
            if length > limit:
                raise PayloadTooLarge(
                    _("The body is larger than %d bytes. Send fewer items or reports.") % limit
                )
        elif "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower():
            # No declared length: count what arrives, and hand the parser what was read.
            raw = read_capped(meta.get("wsgi.input"), limit)
            django_request = request._request
            django_request._stream = LimitedStream(io.BytesIO(raw), len(raw))
            meta["CONTENT_LENGTH"] = str(len(raw))


class CompanyApiView(ApiView):
    """Company endpoints: OAuth 2 client credentials only (no session)."""

    authentication_classes = [CompanyOAuth2Authentication]


class ScopedQuerysetMixin:
    """For API views: the queryset always comes through the access policy."""

    queryset_model: Any = None

    def get_queryset(self):  # noqa: ANN201
        return visible(self.queryset_model._default_manager.all(), self.request.user)
