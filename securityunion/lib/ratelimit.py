"""Fixed-window counters in the shared cache, for throttles (sign-in failures, public forms).

The first hit opens a window of ``window`` seconds; the count is kept until it closes. Keys are
hashed, so the cache holds no user names or addresses.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def window_key(prefix: str, value: str) -> str:
    """A cache key for ``value`` under ``prefix`` that does not contain ``value``."""
    return f"{prefix}:{hashlib.sha256(value.encode()).hexdigest()}"


def window_hit(key: str, window: int) -> None:
    """Count one hit on ``key``; the first opens its window."""
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)


def window_counts(keys: list[str]) -> dict[str, int]:
    """The current counts of ``keys`` (a missing key has none), in one cache round trip."""
    found = cache.get_many(keys)
    return {key: int(found.get(key, 0)) for key in keys}
