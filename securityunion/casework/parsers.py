"""Request body parsing for the API: bounded reads, and a 400 for what ``json`` accepts but
nothing downstream can handle. Imports nothing of REST framework's views (the settings load
this module while ``rest_framework.views`` is being imported)."""

from __future__ import annotations

import io
import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, renderers, status

MAX_JSON_DEPTH = 32
#: The body limit of an API view that declares no ``max_body_bytes`` of its own.
DEFAULT_MAX_BODY_BYTES = 256 * 1024
_READ_CHUNK = 64 * 1024


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The body is too large.")
    default_code = "too_large"


def _check_json_value(value: Any) -> None:
    """Refuse what ``json`` accepts but nothing downstream can handle: deep nesting and lone
    surrogates (``"\\ud800"`` decodes to a string that cannot be encoded again)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise exceptions.ParseError(
                    _("The body contains a lone surrogate (invalid Unicode).")
                ) from None
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise exceptions.ParseError(
                    _("The body is nested deeper than %d levels.") % MAX_JSON_DEPTH
                )
            children = item.items() if isinstance(item, dict) else ((None, v) for v in item)
            for key, child in children:
                if key is not None:
                    stack.append((key, depth))
                stack.append((child, depth + 1))


def body_limit(view: Any) -> int:
    return getattr(view, "max_body_bytes", None) or DEFAULT_MAX_BODY_BYTES


class SafeJSONParser(parsers.BaseParser):
    """JSON, read in bounded chunks: never more than the view's ``max_body_bytes``; a malformed,
    too deep or not encodable body is a 400, never a 500.

    Not a subclass of REST framework's ``JSONParser``: for those the framework reads
    ``request.body`` first, under Django's form limit ``DATA_UPLOAD_MAX_MEMORY_SIZE``, which
    would then have to be as large as the batch endpoint's. This parser reads the stream
    itself, under the limit of the endpoint it serves.
    """

    media_type = "application/json"
    renderer_class = renderers.JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None):  # noqa: ANN001, ANN201
        parser_context = parser_context or {}
        limit = body_limit(parser_context.get("view"))
        raw = read_capped(stream, limit)
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
            data = json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            if isinstance(error, RecursionError):
                raise exceptions.ParseError(
                    _("The body is nested deeper than %d levels.") % MAX_JSON_DEPTH
                ) from None
            raise exceptions.ParseError(_("The body is not valid JSON.")) from None
        _check_json_value(data)
        return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_capped(stream: Any, limit: int) -> bytes:
    """Read at most ``limit`` bytes; one more is a 413 (however the body was sent)."""
    if stream is None:
        return b""
    buffer = io.BytesIO()
    while True:
        chunk = stream.read(min(_READ_CHUNK, limit + 1 - buffer.tell()))
        if not chunk:
            break
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise PayloadTooLarge(
                _("The body is larger than %d bytes. Send fewer items or reports.") % limit
            )
    return buffer.getvalue()
