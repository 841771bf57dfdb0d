"""Limits of the public complaint pages per client address, in the shared cache.

A fixed window per (page, address), like the sign-in throttle
(``securityunion.accounts.throttle``): every submission and every status look-up counts, and
once the limit is reached the address is refused until the window closes. Keys are hashed, so
the cache holds no addresses.
"""

from __future__ import annotations

from securityunion.lib.ratelimit import window_counts, window_hit, window_key

from .conf import app_settings


def _key(kind: str, ip: str) -> str:
    return window_key(f"complaint-{kind}", ip or "unknown")


def _limit(kind: str) -> int:
    if kind == "submit":
        return app_settings.COMPLAINT_SUBMISSIONS_PER_ADDRESS
    return app_settings.COMPLAINT_LOOKUPS_PER_ADDRESS


def used_up(kind: str, ip: str) -> bool:
    key = _key(kind, ip)
    return window_counts([key])[key] >= _limit(kind)


def count(kind: str, ip: str) -> None:
    window_hit(_key(kind, ip), app_settings.COMPLAINT_THROTTLE_WINDOW_SECONDS)
