import uuid

from securityunion.lib.network import client_ip

from .context import RequestContext, current_request


class AuditContextMiddleware:
    """Remembers the client address and a request id for the audit events of this request.

    The address is the real client (``securityunion.lib.network.client_ip``): behind the
    proxies named in ``TRUSTED_PROXIES`` it is read from the right end of ``X-Forwarded-For``;
    from anyone else the header is ignored. Also sets ``request.client_ip``.
    """

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001
        request.client_ip = client_ip(request) or None
        ctx = RequestContext(ip=request.client_ip, request_id=uuid.uuid4().hex)
        token = current_request.set(ctx)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = ctx.request_id
        return response
