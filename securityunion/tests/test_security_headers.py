"""Response headers: the Content Security Policy and the other protections on every response,
no server banner, and templates that the policy does not break."""

import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from securityunion.lib.headers import NoServerHeaderMiddleware

REQUIRED_DIRECTIVES = {
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _policy(response) -> dict[str, str]:  # noqa: ANN001
    header = response.get("Content-Security-Policy", "")
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {d[0]: (d[1] if len(d) > 1 else "") for d in directives}


def _assert_policy(response) -> None:  # noqa: ANN001
    policy = _policy(response)
    for directive, value in REQUIRED_DIRECTIVES.items():
        assert policy.get(directive) == value, (directive, response.get("Content-Security-Policy"))
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def _assert_security_headers(response) -> None:  # noqa: ANN001
    _assert_policy(response)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in response


def test_a_page_carries_the_policy(client, auditor):
    client.force_login(auditor)
    _assert_policy(client.get("/"))


def test_the_sign_in_page_carries_the_policy(client, db):
    _assert_policy(client.get("/accounts/login/"))


def test_an_api_response_carries_the_policy(client, db):
    response = client.get("/api/v1/whoami/")
    assert response.status_code == 401
    _assert_policy(response)


def test_an_error_page_carries_the_policy(client, auditor):
    client.force_login(auditor)
    response = client.get("/reports/RPT-1999-000000/")
    assert response.status_code == 404
    _assert_security_headers(response)


def test_a_refusal_carries_the_policy(client, focal_point_fr):
    client.force_login(focal_point_fr)
    response = client.get("/reports/")
    assert response.status_code == 403
    _assert_security_headers(response)


def _routes(patterns, prefix=""):  # noqa: ANN001, ANN202
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _plain_routes() -> list[str]:
    """Every route without parameters, except sign-out (it would end the session)."""
    return sorted(
        "/" + route
        for route in _routes(get_resolver().url_patterns)
        if "<" not in route and "(" not in route and "^" not in route and "logout" not in route
    )


@pytest.mark.parametrize("role", ["auditor", "centre_supervisor", "administrator", None])
def test_every_html_response_carries_the_security_headers(client, make_user, role):
    user = make_user(role, "BE", username=f"walker_{role}")
    client.force_login(user)
    html = 0
    for path in _plain_routes():
        response = client.get(path)
        if response.get("Content-Type", "").startswith("text/html"):
            html += 1
            try:
                _assert_security_headers(response)
            except AssertionError as exc:
                raise AssertionError(f"{path}: {exc}") from exc
    assert html > 5


def test_anonymous_html_responses_carry_the_security_headers(client, db):
    for path in ("/", "/accounts/login/", "/reports/", "/api/docs/"):
        response = client.get(path, follow=True)
        assert response.get("Content-Type", "").startswith("text/html"), path
        _assert_security_headers(response)


# --- no server banner ----------------------------------------------------------------------


def test_the_application_removes_a_server_header():
    def view(request):  # noqa: ANN001, ANN202
        response = HttpResponse()
        response["Server"] = "WSGIServer/0.2 CPython/3.11"
        return response

    response = NoServerHeaderMiddleware(view)(RequestFactory().get("/"))
    assert "Server" not in response


def test_the_gunicorn_configuration_drops_the_server_banner():
    from gunicorn.http import wsgi

    runpy.run_path(str(Path(django_settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"))
    fake = SimpleNamespace(
        upgrade=False,
        should_close=lambda: True,
        req=SimpleNamespace(version=(1, 1)),
        status="200 OK",
        version="gunicorn",
        chunked=False,
    )
    headers = wsgi.Response.default_headers(fake)
    assert headers[0].startswith("HTTP/1.1 200")
    assert not [h for h in headers if h.lower().startswith("server:")]


def test_loading_the_gunicorn_configuration_twice_patches_once():
    from gunicorn.http import wsgi

    path = str(Path(django_settings.BASE_DIR) / "deploy" / "gunicorn.conf.py")
    runpy.run_path(path)
    patched = wsgi.Response.default_headers
    runpy.run_path(path)
    assert wsgi.Response.default_headers is patched


# --- the API documentation under the policy ------------------------------------------------


def test_the_api_docs_need_sign_in_by_default(client, db, settings):
    settings.API_DOCS_PUBLIC = False
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and "/accounts/login/" in docs["Location"]
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/?script=").status_code == 302


def test_api_docs_are_not_public_by_default_without_debug():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DEBUG": "0", "SECURITYUNION_TESTING": "1"}
    env.pop("API_DOCS_PUBLIC", None)
    code = "from securityunion import settings; print(settings.API_DOCS_PUBLIC)"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


def test_signed_in_staff_read_the_api_docs_under_the_policy(client, auditor, settings):
    settings.API_DOCS_PUBLIC = False
    client.force_login(auditor)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    _assert_security_headers(page)
    body = page.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert "<style" not in body and " style=" not in body
    script = re.search(r'<script src="([^"]*script[^"]*)"', body).group(1)
    init = client.get(script.replace("&amp;", "&"))
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in init.content.decode()
    assert client.get("/api/schema/").status_code == 200


def test_an_api_client_account_does_not_read_the_docs_by_session(client, db, settings):
    from securityunion.accounts.models import Organisation
    from securityunion.accounts.services import api_client_create

    settings.API_DOCS_PUBLIC = False
    company = Organisation.objects.create(
        slug="example-social", name="Example Social", type="company", country_id="IE"
    )
    api_client, _ = api_client_create(organisation=company)
    client.force_login(api_client.application.user)
    assert client.get("/api/schema/").status_code == 401


# --- templates -----------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I | re.S)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def _template_files() -> list[Path]:
    from django.apps import apps

    base = Path(django_settings.BASE_DIR)
    dirs = [base / "templates"]
    dirs += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        # The project's own apps: a virtualenv inside the checkout holds third-party ones.
        if Path(app.path).is_relative_to(base) and "site-packages" not in Path(app.path).parts
    ]
    return sorted(p for d in dirs if d.is_dir() for p in d.rglob("*.html"))


def _violations(path: Path, text: str) -> list[str]:
    found = []
    if INLINE_SCRIPT.search(text):
        found.append("inline <script>")
    if EVENT_HANDLER.search(text):
        found.append("on*= handler")
    is_page = "pdf" not in path.parts  # PDF templates are rendered by WeasyPrint, never served
    if is_page and STYLE_ATTRIBUTE.search(text):
        found.append("style= attribute")
    if is_page and STYLE_ELEMENT.search(text):
        found.append("<style> element")
    return found


def test_no_template_has_an_inline_script_handler_or_style():
    files = _template_files()
    assert len(files) > 10
    bad = {str(p): v for p in files if (v := _violations(p, p.read_text()))}
    assert bad == {}


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<button onclick="go()">Go</button>',
        '<body\n  onload="x()">',
        '<div style="color: red">',
        "<style>p { color: red }</style>",
    ],
)
def test_the_template_scan_finds_what_the_policy_forbids(snippet):
    assert _violations(Path("templates/page.html"), snippet)


def test_the_template_scan_accepts_a_script_file_and_plain_text():
    ok = '<script src="/static/js/app.js"></script><p>Turn on notifications</p>'
    assert not _violations(Path("templates/page.html"), ok)
