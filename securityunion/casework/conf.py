"""Settings that belong to one app, declared with their defaults in the app's own ``conf.py``.

An app lists its settings once::

    # myapp/conf.py
    from securityunion.casework.conf import AppSettings, Setting

    app_settings = AppSettings(
        MYAPP_TARGET_HOURS=Setting(int, 5 * 24),
        MYAPP_HOLD_MAX_DAYS=Setting(int, 548, env=False),  # a rule, not a deployment choice
    )

and reads them as ``app_settings.MYAPP_TARGET_HOURS``. Each value is looked up when it is read,
in this order: a Django setting of the same name (so ``override_settings`` and a deployment's
settings module win), then the environment variable of that name (for settings that allow it),
then the default. The shared settings module names none of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _cast(kind: Callable[[str], Any], raw: str, name: str) -> Any:
    if kind is bool:
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean.")
    try:
        return kind(raw)
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(f"{name}={raw!r}: {error}") from None


@dataclass(frozen=True)
class Setting:
    """One app setting: how to read it from the environment, and its default."""

    cast: Callable[[str], Any]
    default: Any
    env: bool = True  # False: a fixed rule of the app, overridable only by a Django setting


def app_setting(
    name: str, default: Any, *, cast: Callable[[str], Any] = str, env: bool = True
) -> Any:
    """The value of one app setting: Django setting, else environment, else ``default``."""
    if hasattr(settings, name):
        return getattr(settings, name)
    if env and name in os.environ:
        return _cast(cast, os.environ[name], name)
    return default


class AppSettings:
    """An app's settings with their defaults; attribute access resolves through ``app_setting``."""

    def __init__(self, **declared: Setting) -> None:
        self._declared = declared

    def __getattr__(self, name: str) -> Any:
        declared = self.__dict__.get("_declared", {})
        if name not in declared:
            raise AttributeError(f"No app setting {name!r}.")
        spec = declared[name]
        return app_setting(name, spec.default, cast=spec.cast, env=spec.env)

    def __dir__(self) -> list[str]:
        return sorted(self._declared)

    def names(self) -> tuple[str, ...]:
        return tuple(self._declared)
