"""User-aware reads of the reports area. The scopes are registered in ``apps.py``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import visible
from securityunion.accounts.models import Organisation

from .models import Forwarding, Indicator, LegalHold, ProviderReport, ReportedItem


def forwarding_candidates(report: ProviderReport) -> list[Organisation]:
    """Europol, and the law-enforcement authorities of the report's candidate countries."""
    countries = list(report.candidate_countries.values_list("pk", flat=True))
    if report.country_id and report.country_id not in countries:
        countries.append(report.country_id)
    return list(
        Organisation.objects.filter(
            Q(slug=settings.EUROPOL_ORGANISATION_SLUG)
            | Q(type=Organisation.Type.LAW_ENFORCEMENT, country__in=countries)
        ).order_by("name")
    )


def forwarding_to(report: ProviderReport, actor: Any) -> Forwarding:
    """The forwarding of ``report`` to the actor's organisation."""
    forwarding = report.forwardings.filter(recipient_id=actor.organisation_id).first()
    if forwarding is None:
        raise PermissionDenied(_("This report was not forwarded to your organisation."))
    return forwarding


def active_hold_until(report: ProviderReport, *, fresh: bool = False) -> datetime | None:
    """When the report's last active legal hold ends (None without one).

    Reads ``report.holds.all()``, so a list that prefetched the holds pays no query per row;
    ``fresh`` reads the database instead, for a service that has just placed or lifted one.
    """
    now = timezone.now()
    holds = LegalHold.objects.filter(report=report) if fresh else report.holds.all()
    ends = [h.expires_at for h in holds if h.lifted_at is None and h.expires_at > now]
    return max(ends) if ends else None


def _forwarded_to_my_organisation(user: Any) -> Q:
    organisation = user.organisation
    if organisation is not None and organisation.slug == settings.EUROPOL_ORGANISATION_SLUG:
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
