"""Intake of provider reports: validation, idempotent storage, matching against indicators.

Reports come in bulk (the API's batch endpoint takes 500), so creation is set-based; it draws
references, sets the initial status and audits through the same helpers as ``case_create``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.accounts.models import Organisation
from securityunion.casework.registry import announce_reported_items
from securityunion.casework.services import (
    access_refused,
    case_due_at,
    case_initial_status,
    case_may_create,
    case_references,
    cases_created_audit,
)

from ..conf import app_settings
from ..intake import CleanReport, validate_report
from ..matching import indicator_lookup, match_many
from ..models import IndicatorMatch, Provider, ProviderReport, ReportedItem


@dataclass
class IntakeResult:
    outcome: str  # created | replayed | conflict | invalid
    report: ProviderReport | None = None
    errors: dict[str, Any] = field(default_factory=dict)


def provider_for(organisation: Organisation) -> Provider:
    if organisation.type != Organisation.Type.COMPANY:
        raise PermissionDenied(_("Only companies submit reports."))
    provider, _created = Provider.objects.get_or_create(organisation=organisation)
    return provider


def _lock_references(provider: Provider, references: list[str]) -> None:
    """Serialise concurrent submissions of the same reference (a retry racing its original)."""
    if connection.vendor != "postgresql" or not references:
        return
    keys = sorted(
        {
            int.from_bytes(
                hashlib.sha256(f"{provider.pk}:{ref}".encode()).digest()[:8], "big", signed=True
            )
            for ref in references
        }
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [keys])


def _check_submitter(provider: Provider, actor: Any) -> None:
    """Only a member of the provider's organisation with ``reports_submit`` submits for it."""
    if not case_may_create(ProviderReport, actor):
        raise access_refused(
            actor=actor,
            target=provider,
            why="report submission not permitted",
            message=_("You may not submit reports."),
        )
    if actor.organisation_id is None or actor.organisation_id != provider.organisation_id:
        raise access_refused(
            actor=actor,
            target=provider,
            why="report submission for another organisation",
            message=_("You may submit reports only for your own organisation."),
        )


def reports_intake(*, provider: Provider, payloads: list[Any], actor: Any) -> list[IntakeResult]:
    """Validate and store reports; one result per payload, in order.

    Each report is all-or-nothing: an invalid one stores nothing and the others go on. The
    same ``provider_reference`` with the same body is a replay (the stored report, nothing
    new); with a different body it is a conflict. Concurrent identical submissions are
    serialised on an advisory lock per reference, so exactly one is created.

    The actor needs ``reports_submit`` and must belong to the provider's organisation,
    whoever calls (the API, the demo loader, a command); otherwise nothing is read or stored
    and the refusal is audited.
    """
    _check_submitter(provider, actor)
    results: list[IntakeResult | None] = [None] * len(payloads)
    clean: dict[int, CleanReport] = {}
    for index, payload in enumerate(payloads):
        outcome = validate_report(payload)
        if isinstance(outcome, CleanReport):
            clean[index] = outcome
        else:
            results[index] = IntakeResult("invalid", errors=outcome)
    if not clean:
        return results  # type: ignore[return-value]

    with transaction.atomic():
        references = [c.provider_reference for c in clean.values()]
        _lock_references(provider, references)
        existing = {
            r.provider_reference: r
            for r in ProviderReport.objects.filter(
                provider=provider, provider_reference__in=references
            )
        }
        first_in_batch: dict[str, int] = {}
        new_indexes: list[int] = []
        for index, report in clean.items():
            ref = report.provider_reference
            if ref in existing or ref in first_in_batch:
                continue
            first_in_batch[ref] = index
            new_indexes.append(index)

        created = _create_reports(provider, [clean[i] for i in new_indexes], actor)
        for index, report in zip(new_indexes, created, strict=True):
            results[index] = IntakeResult("created", report)
            existing[report.provider_reference] = report
        for index, cleaned in clean.items():
            if results[index] is not None:
                continue
            stored = existing[cleaned.provider_reference]
            same = stored.body_sha256 == cleaned.body_sha256
            results[index] = IntakeResult("replayed" if same else "conflict", stored)
        if created:
            item_ids = [item.pk for report in created for item in report.intake_items]
            transaction.on_commit(lambda: announce_reported_items(item_ids=item_ids))
    return results  # type: ignore[return-value]


def _create_reports(
    provider: Provider, cleaned: list[CleanReport], actor: Any
) -> list[ProviderReport]:
    if not cleaned:
        return []
    now = timezone.now()
    all_items = [item for report in cleaned for item in report.items]
    matches = match_many(all_items)
    references = case_references(ProviderReport, len(cleaned))
    initial = case_initial_status(ProviderReport)
    reports = []
    cursor = 0
    known_by_report = []
    for report, reference in zip(cleaned, references, strict=True):
        item_matches = matches[cursor : cursor + len(report.items)]
        cursor += len(report.items)
        known = any(item_matches)
        known_by_report.append(item_matches)
        hours = (
            app_settings.REPORT_TARGET_HOURS_URGENT
            if report.urgent
            else app_settings.REPORT_TARGET_HOURS
        )
        reports.append(
            ProviderReport(
                reference=reference,
                status=initial,
                provider=provider,
                provider_reference=report.provider_reference,
                body_sha256=report.body_sha256,
                abuse_type=report.abuse_type,
                incident_at=report.incident_at,
                service=report.service,
                urgent=report.urgent,
                urgency_reason=report.urgency_reason,
                reported_user=report.reported_user,
                notes=report.notes,
                has_known_items=known,
                item_count=len(report.items),
                country_id=report.countries[0] if report.countries else None,
                created_at=now,
                due_at=case_due_at(timedelta(hours=hours), now=now),
            )
        )
    ProviderReport.objects.bulk_create(reports, batch_size=500)
    through = ProviderReport.candidate_countries.through
    through.objects.bulk_create(
        [
            through(providerreport_id=report.pk, country_id=code)
            for report, clean_report in zip(reports, cleaned, strict=True)
            for code in clean_report.countries
        ],
        batch_size=2000,
    )
    items = []
    for report, clean_report, item_matches in zip(reports, cleaned, known_by_report, strict=True):
        for position, (item, found) in enumerate(
            zip(clean_report.items, item_matches, strict=True)
        ):
            hashes = item.hashes
            items.append(
                ReportedItem(
                    report=report,
                    position=position,
                    kind=item.kind,
                    md5=hashes.get("md5", ""),
                    sha1=hashes.get("sha1", ""),
                    sha256=hashes.get("sha256", ""),
                    pdq=hashes.get("pdq", ""),
                    photodna=hashes.get("photodna", ""),
                    photodna_sha256=indicator_lookup("photodna", hashes["photodna"])
                    if hashes.get("photodna")
                    else "",
                    url=item.url,
                    url_sha256=item.url_sha256,
                    provider_item_id=item.provider_item_id,
                    publicly_available=item.publicly_available,
                    removed_by_provider=item.removed_by_provider,
                    known=bool(found),
                )
            )
    ReportedItem.objects.bulk_create(items, batch_size=2000)
    # What the API answers with, without reading the rows back.
    by_report: dict[int, list[ReportedItem]] = {}
    for item in items:
        by_report.setdefault(item.report_id, []).append(item)
    for report, clean_report in zip(reports, cleaned, strict=True):
        report.intake_items = by_report.get(report.pk, [])
        report.intake_countries = sorted(clean_report.countries)
    flat_matches = [m for group in known_by_report for m in group]
    IndicatorMatch.objects.bulk_create(
        [
            IndicatorMatch(
                item=item, indicator_id=m.indicator_id, algorithm=m.algorithm, distance=m.distance
            )
            for item, found in zip(items, flat_matches, strict=True)
            for m in found
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    cases_created_audit(
        actor=actor,
        cases=reports,
        data=[
            {"via": "api", "items": r.item_count, "known": r.has_known_items, "urgent": r.urgent}
            for r in reports
        ],
    )
    return reports
