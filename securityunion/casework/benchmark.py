"""Plumbing for ``manage.py benchmark``: a throw-away PostgreSQL database, COPY seeding, a real
gunicorn server on loopback, a small HTTP client, and timing helpers.

Figures are ratios measured in the same run on the same machine (the baseline next to the
subject), so they mean something on a 2-core box. Nothing here runs in the test suite.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

ROOT = Path(settings.BASE_DIR)


def median_ms(samples: Sequence[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


class BenchDatabase:
    """A fresh database next to the configured one; the default connection is moved onto it."""

    def __init__(self, keep: bool = False) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("The benchmark needs PostgreSQL: set DATABASE_URL.")
        self.original = dict(connections.databases["default"])
        self.name = f"{self.original['NAME']}_bench"
        self.keep = keep

    def _admin(self, sql: str) -> None:
        import psycopg

        params = {
            "dbname": "postgres",
            "user": self.original.get("USER") or None,
            "password": self.original.get("PASSWORD") or None,
            "host": self.original.get("HOST") or None,
            "port": self.original.get("PORT") or None,
        }
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
            conn.execute(sql)

    def url(self) -> str:
        o = self.original
        auth = o.get("USER") or "postgres"
        if o.get("PASSWORD"):
            auth += ":" + o["PASSWORD"]
        return (
            f"postgres://{auth}@{o.get('HOST') or '127.0.0.1'}:{o.get('PORT') or 5432}/{self.name}"
        )

    def __enter__(self) -> BenchDatabase:
        connection.close()
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')
        connections.databases["default"]["NAME"] = self.name
        connection.settings_dict["NAME"] = self.name
        call_command("migrate", verbosity=0, interactive=False)
        from securityunion.access.services import roles_sync

        roles_sync()
        return self

    def __exit__(self, *exc: Any) -> None:
        connection.close()
        connections.databases["default"]["NAME"] = self.original["NAME"]
        connection.settings_dict["NAME"] = self.original["NAME"]
        if not self.keep:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Plain psycopg ``COPY ... FROM STDIN``: the ingest ceiling the API is compared with."""
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # also sets the visibility map for index-only scans


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str) -> dict[str, str]:
    """The environment of a production-like process: fresh secrets and keys of its own, which
    the settings accept only when they are not the development ones."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(32),
        "AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": "locmemcache://",
        "API_THROTTLE_USER": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("SECURITYUNION_TESTING", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("AUDIT_SIGNING_KEY_FILE", None)
    return env


@contextmanager
def gunicorn(database_url: str, workers: int = 2):  # noqa: ANN201
    """The real HTTP stack (gunicorn, production settings) on a loopback port."""
    port = _free_port()
    env = production_env(database_url)
    process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments, no shell  # nosec B603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "securityunion.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


class Http:
    """A keep-alive JSON client for loopback benchmarks (bounded by the caller's loops)."""

    def __init__(self, port: int, token: str = "") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.token = token

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        data = body if isinstance(body, bytes | str) or body is None else json.dumps(body)
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        self.conn.request(method, path, body=data, headers=all_headers)
        response = self.conn.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw
