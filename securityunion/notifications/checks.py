"""A deployment check: links in mails must point at the real address of the back office."""

from typing import Any

from django.conf import settings
from django.core import checks

from .conf import app_settings


@checks.register(checks.Tags.security, deploy=True)
def base_url_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    url = app_settings.NOTIFICATIONS_BASE_URL
    if settings.DEBUG or (url.startswith("https://") and "localhost" not in url):
        return []
    return [
        checks.Warning(
            "NOTIFICATIONS_BASE_URL is not the https address of the back office: links in "
            "notification mails would not open.",
            hint="Set NOTIFICATIONS_BASE_URL, e.g. https://backoffice.example.eu",
            id="notifications.W001",
        )
    ]
