import uuid

from .context import RequestContext, current_request


class AuditContextMiddleware:
    """Remembers the client address and a request id for the audit events of this request.

    Behind a proxy, only ``REMOTE_ADDR`` as set by the trusted proxy configuration is used;
    client-supplied forwarding headers are never believed here.
    """

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001
        ctx = RequestContext(
            ip=request.META.get("REMOTE_ADDR") or None, request_id=uuid.uuid4().hex
        )
        token = current_request.set(ctx)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = ctx.request_id
        return response
