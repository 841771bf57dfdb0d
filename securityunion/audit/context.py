"""Where the current request came from, for the audit events written while serving it."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    request_id: str


current_request: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)
