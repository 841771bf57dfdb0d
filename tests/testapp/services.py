"""The sample case type's services: creation goes through the shared ``case_create``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from securityunion.casework.services import case_create

from .models import SampleCase


def sample_case_create(*, title: str, country: Any, actor: Any) -> SampleCase:
    """A new sample case in ``country``: the focal point of that country creates it."""
    return case_create(
        model=SampleCase,
        actor=actor,
        fields={"title": title, "country": country},
        due_in=timedelta(days=30),
        audit_data={"title_length": len(title)},
    )
