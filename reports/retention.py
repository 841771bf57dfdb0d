"""Retention rules of the reports app (registered in ``apps.py``).

- A report decided "manifestly unfounded" is deleted ``REPORT_UNFOUNDED_RETENTION_DAYS``
  (default two years) after the decision, with its items, indicator matches, forwardings,
  lapsed holds, approvals and notices. Never while a legal hold on it is active, and never
  while another report points at it as its duplicate.
- Forwarded and duplicate reports have no rule here: law enforcement's use of them decides,
  and that is not the centre's to cut short. Exported case files are purged by the documents
  job; the audit log is never purged.
- A decided complaint loses the complainant's text, contact address and content URL
  ``COMPLAINT_PERSONAL_DATA_RETENTION_DAYS`` (default two years) after the decision; the
  decision, its statement of reasons and the matches stay for accountability.
- A finished indicator upload (its counts and row errors) is deleted
  ``INDICATOR_IMPORT_RETENTION_DAYS`` (default 90) after it was asked for; queued and running
  ones are the time-out job's.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .conf import app_settings


def _unfounded() -> Q:
    from .models import ProviderReport

    decided_unfounded = Q(
        status__in=[ProviderReport.Status.MANIFESTLY_UNFOUNDED, ProviderReport.Status.CLOSED]
    ) & ~Q(unfounded_reason="")
    referenced_as_duplicate = Exists(ProviderReport.objects.filter(duplicate_of=OuterRef("pk")))
    return decided_unfounded & ~Q(referenced_as_duplicate)


def under_active_hold() -> Q:
    """Reports with a legal hold that is neither lifted nor expired: kept, whatever their age."""
    from .models import LegalHold

    return Q(
        Exists(
            LegalHold.objects.filter(
                report=OuterRef("pk"), lifted_at__isnull=True, expires_at__gt=timezone.now()
            )
        )
    )


def unfounded_report_retention() -> dict[str, Any]:
    return {
        "name": "reports.unfounded_reports",
        "days": lambda: app_settings.REPORT_UNFOUNDED_RETENTION_DAYS,
        "action": "delete",
        "date_field": "decided_at",
        "scope": _unfounded,
        "held": under_active_hold,
        "description": "Reports decided manifestly unfounded, after the retention period.",
    }


def indicator_import_retention() -> dict[str, Any]:
    from .models import IndicatorImport

    return {
        "name": "reports.indicator_imports",
        "days": lambda: app_settings.INDICATOR_IMPORT_RETENTION_DAYS,
        "action": "delete",
        "date_field": "created_at",
        "scope": lambda: Q(status__in=[IndicatorImport.Status.DONE, IndicatorImport.Status.FAILED]),
        "description": "Finished indicator uploads (counts and row errors), after 90 days.",
    }


def _erase_complainant_data(qs: Any) -> int:
    return qs.update(
        description="",
        contact_email="",
        content_url="",
        personal_data_erased_at=timezone.now(),
    )


def complaint_personal_data_retention() -> dict[str, Any]:
    return {
        "name": "reports.complaint_personal_data",
        "days": lambda: app_settings.COMPLAINT_PERSONAL_DATA_RETENTION_DAYS,
        "action": "anonymise",
        "date_field": "decided_at",
        "scope": lambda: Q(decided_at__isnull=False),
        "anonymise": _erase_complainant_data,
        "anonymised": lambda: Q(personal_data_erased_at__isnull=False),
        "description": "The complainant's text, address and URL, two years after the decision.",
    }
