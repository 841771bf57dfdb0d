"""User-aware reads of the reports area. The scopes are registered in ``apps.py``."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from securityunion.access.policy import visible

from .conf import app_settings
from .models import Forwarding, Indicator, ProviderReport, ReportedItem


def _forwarded_to_my_organisation(user: Any) -> Q:
    organisation = user.organisation
    if organisation is not None and organisation.slug == app_settings.EUROPOL_ORGANISATION_SLUG:
        return Q(Exists(Forwarding.objects.filter(report=OuterRef("pk"))))
    return Q(
        Exists(Forwarding.objects.filter(report=OuterRef("pk"), recipient_id=user.organisation_id))
    )


def _my_companys_reports(user: Any) -> Q:
    return Q(provider__organisation_id=user.organisation_id) if user.organisation_id else Q(pk=None)


def reports_visible_to(user: Any) -> QuerySet[ProviderReport]:
    return visible(ProviderReport.objects.all(), user)


def report_queue(user: Any) -> QuerySet[ProviderReport]:
    """The queue: urgent first, then the oldest."""
    return (
        reports_visible_to(user)
        .select_related("provider__organisation", "assignee", "country")
        .order_by("-urgent", "created_at", "id")
    )


def earlier_reports_of(report: ProviderReport, user: Any, limit: int = 50) -> list[ProviderReport]:
    """Other reports (visible to the user) that carried one of this report's items before."""
    condition = Q()
    for item in report.items.all():
        for name in ("md5", "sha1", "sha256", "pdq", "photodna_sha256", "url_sha256"):
            value = getattr(item, name)
            if value:
                condition |= Q(**{name: value})
    if not condition:
        return []
    items = ReportedItem.objects.filter(condition).exclude(report=report).values("report_id")
    return list(
        reports_visible_to(user)
        .filter(pk__in=items, created_at__lte=report.created_at)
        .order_by("-created_at")[:limit]
    )


def indicators_visible_to(user: Any) -> QuerySet[Indicator]:
    return visible(Indicator.objects.all(), user)
