"""Response headers the application never sends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class NoServerHeaderMiddleware:
    """No ``Server`` banner on any response (it names software and versions to an attacker).

    The application server's own banner is removed by its configuration
    (``deploy/gunicorn.conf.py``).
    """

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        if "Server" in response:
            del response["Server"]
        return response
