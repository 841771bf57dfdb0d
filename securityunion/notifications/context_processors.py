"""The bell in the header: the unread count, one indexed query, only when a page shows it."""

from typing import Any

from .selectors import notifications_of


def notifications(request: Any) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "is_api_client", False):
        return {}

    def unread() -> int:
        return notifications_of(user).filter(read_at__isnull=True).count()

    # A callable: the template calls it once (``{% with %}``), and pages without the header
    # never query.
    return {"notifications_unread": unread}
