"""Failed sign-ins, counted per account and per client address in the shared cache.

A fixed window per key: the first failure opens it, and once ``limit`` failures are counted the
key is refused until the window closes. Keys are hashed, so the cache holds no user names.
The address is the real client's (``network.client_ip``), so one person behind a corporate
proxy cannot lock out everyone else behind it.
"""

from __future__ import annotations

from django.conf import settings

from securityunion.lib.ratelimit import window_counts, window_hit, window_key


def _key(kind: str, value: str) -> str:
    return window_key(f"login-failures:{kind}", value.strip().lower())


def _limits() -> dict[str, int]:
    return {
        "account": settings.LOGIN_FAILURES_PER_ACCOUNT,
        "address": settings.LOGIN_FAILURES_PER_ADDRESS,
    }


def _keys(*, username: str, ip: str) -> dict[str, str]:
    keys = {}
    if username:
        keys["account"] = _key("account", username)
    if ip:
        keys["address"] = _key("address", ip)
    return keys


def login_throttled(*, username: str, ip: str) -> str | None:
    """``"account"`` or ``"address"`` when that key has used up its failures, else ``None``."""
    keys = _keys(username=username, ip=ip)
    counts = window_counts(list(keys.values()))
    limits = _limits()
    for kind, key in keys.items():
        if counts.get(key, 0) >= limits[kind]:
            return kind
    return None


def login_failure_record(*, username: str, ip: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in _keys(username=username, ip=ip).values():
        window_hit(key, window)
