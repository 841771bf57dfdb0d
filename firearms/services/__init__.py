"""Firearms services: seizure cases and their items (``seizures.py``)."""

from .seizures import (
    item_add,
    item_remove,
    item_update,
    seizure_create,
    seizure_transition,
    seizure_update,
)

__all__ = [
    "item_add",
    "item_remove",
    "item_update",
    "seizure_create",
    "seizure_transition",
    "seizure_update",
]
