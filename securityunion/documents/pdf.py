"""PDF rendering: one service, WeasyPrint, and a URL fetcher that reaches nothing outside.

Templates live in ``templates/pdf/`` and extend ``pdf/base.html`` (title page, running header
with the sensitivity marking, page x of y, generation time). The fetcher serves the project's
own static files and ``data:`` URIs; any other URL (http, file, ftp, a redirect) is refused, so
a value that slips into a document cannot make the server fetch anything (SSRF).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://pdf.securityunion.invalid/"


class FetchRefused(ValueError):
    pass


def _static_path(url: str) -> str | None:
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if parts.scheme != base.scheme or parts.netloc != base.netloc:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL) or ".." in path.split("/"):
        return None
    relative = path[len(settings.STATIC_URL) :]
    found = finders.find(relative)
    if found:
        return found
    collected = Path(settings.STATIC_ROOT) / relative  # hashed names after collectstatic
    return str(collected) if collected.is_file() else None


class StaticOnlyURLFetcher(URLFetcher):
    """Serves ``data:`` URIs and the project's static files; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = _static_path(url)
        if path is None:
            raise FetchRefused(f"PDF rendering fetches only the project's static files: {url}")
        with open(path, "rb") as handle:
            body = handle.read()
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render ``template_name`` (HTML under ``templates/pdf/``) to PDF bytes."""
    context = {
        "generated_at": timezone.now(),
        "sensitivity_marking": settings.SENSITIVITY_MARKING,
        "pdf_base_url": BASE_URL,
        **context,
    }
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyURLFetcher())
    return document.write_pdf()
