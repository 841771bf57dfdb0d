"""Limits of the public complaint pages per client address, in the shared cache.

A fixed window per (page, address), like the sign-in throttle
(``securityunion.accounts.throttle``): every submission and every status look-up counts, and
once the limit is reached the address is refused until the window closes. Keys are hashed, so
the cache holds no addresses.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from .conf import app_settings


def _key(kind: str, ip: str) -> str:
    return f"complaint-{kind}:{hashlib.sha256(ip.encode()).hexdigest()}"


def _limit(kind: str) -> int:
    if kind == "submit":
        return app_settings.COMPLAINT_SUBMISSIONS_PER_ADDRESS
    return app_settings.COMPLAINT_LOOKUPS_PER_ADDRESS


def used_up(kind: str, ip: str) -> bool:
    return cache.get(_key(kind, ip or "unknown"), 0) >= _limit(kind)


def count(kind: str, ip: str) -> None:
    key = _key(kind, ip or "unknown")
    window = app_settings.COMPLAINT_THROTTLE_WINDOW_SECONDS
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)
