"""What the test app contributes through the shared extension points (see ``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

ANONYMISED_TITLE = "[anonymised]"
job_calls: list[str] = []


def tick() -> int:
    """The test app's periodic job: records that it ran (the tests look at ``job_calls``)."""
    job_calls.append("tick")
    return len(job_calls)


def closed_samples() -> Q:
    return Q(status="closed")


def on_hold() -> Q:
    """Samples whose title asks to keep them are held: retention never touches them."""
    return Q(title__startswith="KEEP")


def anonymise_samples(queryset: QuerySet) -> int:
    return queryset.update(title=ANONYMISED_TITLE)


def anonymised() -> Q:
    return Q(title=ANONYMISED_TITLE)


def benchmark_arguments(parser: Any) -> None:
    parser.add_argument("--samples", type=int, default=5, help="Sample cases to count.")


def benchmark(options: dict[str, Any], log: Any) -> dict[str, Any]:
    from .models import SampleCase

    log(f"counting up to {options['samples']} samples")
    return {"samples": options["samples"], "stored": SampleCase.objects.count()}
