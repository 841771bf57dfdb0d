"""Every write of the drugs area (see ``actions`` and ``updates``)."""

from .actions import action_create, action_update
from .updates import progress_update_resubmit, progress_update_review, progress_update_submit

__all__ = [
    "action_create",
    "action_update",
    "progress_update_resubmit",
    "progress_update_review",
    "progress_update_submit",
]
