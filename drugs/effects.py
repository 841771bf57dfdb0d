"""What the drugs workflows' transitions do besides changing the status."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def update_reviewed(
    *, case: Any, actor: Any, data: dict[str, Any], reason: str, previous: str
) -> None:
    """A coordinator accepted or returned a progress update: who, when and their comments,
    written before the status so that a returned update always carries its comments."""
    case.reviewed_by = actor
    case.reviewed_at = timezone.now()
    case.review_comment = reason
    case.save(update_fields=["reviewed_by", "reviewed_at", "review_comment"])
