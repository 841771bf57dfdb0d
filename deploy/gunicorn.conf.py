"""gunicorn settings: ``gunicorn -c deploy/gunicorn.conf.py securityunion.wsgi``.

gunicorn announces itself in a ``Server: gunicorn`` header on every response and offers no
setting to drop it; this file removes the line from the headers its HTTP/1 responses write
(the patch is made in the master before the workers fork). The application itself sends no
``Server`` header (``securityunion.lib.headers.NoServerHeaderMiddleware``).
"""

import multiprocessing
import os

from gunicorn.http import wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
# Request line and header limits well below gunicorn's defaults: the API takes JSON bodies only.
limit_request_line = 8190
limit_request_fields = 100


def _without_server_header(default_headers):  # noqa: ANN001, ANN202
    def headers(self):  # noqa: ANN001, ANN202
        return [h for h in default_headers(self) if not h.lower().startswith("server:")]

    headers.without_server = True
    return headers


if not getattr(wsgi.Response.default_headers, "without_server", False):
    wsgi.Response.default_headers = _without_server_header(wsgi.Response.default_headers)
