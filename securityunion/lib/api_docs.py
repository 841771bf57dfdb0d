"""The API schema and documentation pages: public only when ``API_DOCS_PUBLIC`` says so."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


def _signed_in(user: Any) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and not getattr(user, "is_api_client", False)
    )


def api_docs_view(view: Callable[..., Any], *, page: bool = False) -> Callable[..., Any]:
    """``view`` for signed-in staff, or for everyone while ``API_DOCS_PUBLIC`` is on.

    Decided per request, so the setting can change without reloading the URLconf. An
    anonymous request gets what the sign-in middleware gives: the sign-in page for the
    documentation ``page``, a 401 in the API's error format for the schema.
    """

    @functools.wraps(view)
    def guarded(request: Any, *args: Any, **kwargs: Any) -> Any:
        if settings.API_DOCS_PUBLIC or _signed_in(getattr(request, "user", None)):
            return view(request, *args, **kwargs)
        if page:
            return redirect_to_login(request.get_full_path())
        return JsonResponse(
            {
                "status": 401,
                "code": "not_authenticated",
                "detail": "Authentication credentials were not provided.",
            },
            status=401,
        )

    return guarded


api_schema = api_docs_view(SpectacularAPIView.as_view())
# Swagger UI with its start-up script served as a file of its own (``?script``): the page
# needs no inline script or style under the Content Security Policy.
api_docs_page = api_docs_view(
    SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="api/docs.html"),
    page=True,
)
