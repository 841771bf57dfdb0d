"""The bell in the header: the unread count, one indexed query, only when a page shows it.

The count stops at ``BELL_LIMIT`` (the bell shows "99+"): a bounded read of the index, never a
``COUNT`` over everything a person was ever told.
"""

from typing import Any

from .selectors import notifications_of

BELL_LIMIT = 100


def notifications(request: Any) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "is_api_client", False):
        return {}

    def unread() -> int:
        unread = notifications_of(user).filter(read_at__isnull=True)
        return len(unread.values_list("pk", flat=True)[:BELL_LIMIT])

    # A callable: the template calls it once (``{% with %}``), and pages without the header
    # never query.
    return {"notifications_unread": unread}
