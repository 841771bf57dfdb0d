"""Every write of the reports area: intake, assessment decisions, forwarding, holds, indicators."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability, is_visible
from securityunion.accounts.models import Organisation
from securityunion.audit import verbs
from securityunion.audit.services import audit_record, audit_record_many
from securityunion.casework.models import Approval
from securityunion.casework.notices import notices_defer
from securityunion.casework.references import references_next
from securityunion.casework.registry import announce_reported_items
from securityunion.casework.services import case_assign, case_transition

from .conf import app_settings
from .intake import CleanReport, validate_report
from .matching import indicator_lookup, match_many
from .models import (
    Forwarding,
    Indicator,
    IndicatorMatch,
    LegalHold,
    Provider,
    ProviderReport,
    ReportedItem,
)
from .pdq_index import pdq_index_changed

# --- intake --------------------------------------------------------------------------------


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


def reports_intake(*, provider: Provider, payloads: list[Any], actor: Any) -> list[IntakeResult]:
    """Validate and store reports; one result per payload, in order.

    Each report is all-or-nothing: an invalid one stores nothing and the others go on. The
    same ``provider_reference`` with the same body is a replay (the stored report, nothing
    new); with a different body it is a conflict. Concurrent identical submissions are
    serialised on an advisory lock per reference, so exactly one is created.
    """
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
    references = references_next(ProviderReport.REFERENCE_PREFIX, len(cleaned))
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
                status=ProviderReport.Status.RECEIVED,
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
                due_at=now + timedelta(hours=hours),
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
    audit_record_many(
        actor=actor,
        verb=verbs.CREATE,
        targets=reports,
        data=[
            {"via": "api", "items": r.item_count, "known": r.has_known_items, "urgent": r.urgent}
            for r in reports
        ],
    )
    return reports


# --- assessment decisions ------------------------------------------------------------------


def europol() -> Organisation | None:
    return Organisation.objects.filter(slug=app_settings.EUROPOL_ORGANISATION_SLUG).first()


def forwarding_candidates(report: ProviderReport) -> list[Organisation]:
    """Europol, and the law-enforcement authorities of the report's candidate countries."""
    countries = list(report.candidate_countries.values_list("pk", flat=True))
    if report.country_id and report.country_id not in countries:
        countries.append(report.country_id)
    return list(
        Organisation.objects.filter(
            Q(slug=app_settings.EUROPOL_ORGANISATION_SLUG)
            | Q(type=Organisation.Type.LAW_ENFORCEMENT, country__in=countries)
        ).order_by("name")
    )


def report_propose_forward(
    *, report: ProviderReport, recipient_ids: list[int], actor: Any, reason: str = ""
) -> Approval:
    allowed = {org.pk for org in forwarding_candidates(report)}
    chosen = sorted({int(pk) for pk in recipient_ids})
    if not chosen:
        raise ValidationError({"recipients": _("Choose Europol and/or a national authority.")})
    if not set(chosen) <= allowed:
        raise ValidationError(
            {"recipients": _("Reports go to Europol or the authorities of candidate countries.")}
        )
    return case_transition(  # type: ignore[return-value]
        case=report,
        transition="forward",
        actor=actor,
        reason=reason,
        data={"recipients": chosen},
    )


def report_propose_unfounded(
    *, report: ProviderReport, reason_code: str, text: str, actor: Any
) -> Approval:
    if reason_code not in ProviderReport.UnfoundedReason.values:
        raise ValidationError({"reason_code": _("Choose a reason code.")})
    return case_transition(  # type: ignore[return-value]
        case=report,
        transition="unfounded",
        actor=actor,
        reason=text,
        data={"reason_code": reason_code},
    )


def report_mark_duplicate(
    *, report: ProviderReport, duplicate_of: str, actor: Any, reason: str
) -> ProviderReport:
    original = ProviderReport.objects.filter(reference=duplicate_of.strip()).first()
    if original is None or original.pk == report.pk or not is_visible(actor, original):
        raise ValidationError({"duplicate_of": _("Give the reference of another report.")})
    return case_transition(  # type: ignore[return-value]
        case=report,
        transition="mark_duplicate",
        actor=actor,
        reason=reason,
        data={"duplicate_of": original.pk, "duplicate_of_reference": original.reference},
    )


def reports_assign(*, reports: list[ProviderReport], assignee: Any, actor: Any) -> int:
    if assignee is not None and not has_capability(assignee, "reports_assess"):
        raise ValidationError({"assignee": _("Reports are assigned to caseworkers.")})
    return case_assign(cases=reports, assignee=assignee, actor=actor, capability="reports_assign")


# --- law enforcement -----------------------------------------------------------------------


def forwarding_to(report: ProviderReport, actor: Any) -> Forwarding:
    """The forwarding of ``report`` to the actor's organisation."""
    forwarding = report.forwardings.filter(recipient_id=actor.organisation_id).first()
    if forwarding is None:
        raise PermissionDenied(_("This report was not forwarded to your organisation."))
    return forwarding


def _own_forwarding(forwarding: Forwarding, actor: Any) -> None:
    if not has_capability(actor, "reports_acknowledge") or (
        forwarding.recipient_id != actor.organisation_id
    ):
        raise PermissionDenied(_("Only the recipient acknowledges a forwarding."))


def _forwarding_update(
    *, forwarding: Forwarding, actor: Any, feedback: str | None = None
) -> Forwarding:
    """The recipient acknowledges a forwarding and, optionally, gives feedback (audited)."""
    with transaction.atomic():
        locked = Forwarding.objects.select_for_update().get(pk=forwarding.pk)
        _own_forwarding(locked, actor)
        now = timezone.now()
        fields = []
        if locked.acknowledged_at is None:
            locked.acknowledged_at, locked.acknowledged_by = now, actor
            fields += ["acknowledged_at", "acknowledged_by"]
        if feedback is not None:
            locked.feedback, locked.feedback_at = feedback, now
            fields += ["feedback", "feedback_at"]
        if fields:
            locked.save(update_fields=fields)
            audit_record(
                actor=actor,
                verb=verbs.UPDATE,
                target=locked.report,
                data={
                    "forwarding": locked.pk,
                    "acknowledged": True,
                    "feedback": feedback is not None,
                },
            )
    return locked


def forwarding_acknowledge(*, forwarding: Forwarding, actor: Any) -> Forwarding:
    return _forwarding_update(forwarding=forwarding, actor=actor)


def forwarding_feedback(*, forwarding: Forwarding, actor: Any, text: str) -> Forwarding:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"feedback": _("Write the feedback.")})
    return _forwarding_update(forwarding=forwarding, actor=actor, feedback=text)


def active_hold_until(report: ProviderReport, *, fresh: bool = False) -> datetime | None:
    """When the report's last active legal hold ends (None without one).

    Reads ``report.holds.all()``, so a list that prefetched the holds pays no query per row;
    ``fresh`` reads the database instead, for a service that has just placed or lifted one.
    """
    now = timezone.now()
    holds = LegalHold.objects.filter(report=report) if fresh else report.holds.all()
    ends = [h.expires_at for h in holds if h.lifted_at is None and h.expires_at > now]
    return max(ends) if ends else None


@transaction.atomic
def legal_hold_place(
    *, report: ProviderReport, actor: Any, reason: str, expires_at: datetime
) -> LegalHold:
    """Block notices to the company (and so to its user) until ``expires_at``, at most 18 months."""
    if not has_capability(actor, "reports_place_legal_hold") or not is_visible(actor, report):
        raise PermissionDenied(_("You may not place a legal hold on this report."))
    reason = (reason or "").strip()
    now = timezone.now()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the legal ground for the hold.")
    if expires_at <= now:
        errors["expires_at"] = _("The hold must end in the future.")
    elif expires_at > now + timedelta(days=app_settings.LEGAL_HOLD_MAX_DAYS):
        errors["expires_at"] = _("A legal hold lasts at most 18 months.")
    if errors:
        raise ValidationError(errors)
    hold = LegalHold.objects.create(
        report=report,
        placed_by=actor,
        organisation=actor.organisation,
        reason=reason,
        placed_at=now,
        expires_at=expires_at,
    )
    notices_defer(subject=report, until=active_hold_until(report, fresh=True))
    audit_record(
        actor=actor,
        verb=verbs.CREATE,
        target=report,
        data={"legal_hold": hold.pk, "expires_at": expires_at.isoformat()},
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, actor: Any) -> LegalHold:
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.organisation_id != actor.organisation_id or not has_capability(
        actor, "reports_place_legal_hold"
    ):
        raise PermissionDenied(_("Only the authority that placed a hold lifts it."))
    if locked.lifted_at is None:
        locked.lifted_at = timezone.now()
        locked.save(update_fields=["lifted_at"])
        notices_defer(subject=locked.report, until=active_hold_until(locked.report, fresh=True))
        audit_record(
            actor=actor,
            verb=verbs.UPDATE,
            target=locked.report,
            data={"legal_hold": locked.pk, "lifted": True},
        )
    return locked


# --- indicators ----------------------------------------------------------------------------

INDICATOR_COLUMNS = ("algorithm", "value", "category", "source")
INDICATOR_TRANSITIONS = {
    Indicator.Status.PROPOSED: (Indicator.Status.VERIFIED, Indicator.Status.RETIRED),
    Indicator.Status.VERIFIED: (Indicator.Status.ACTIVE, Indicator.Status.RETIRED),
    Indicator.Status.ACTIVE: (Indicator.Status.QUARANTINED, Indicator.Status.RETIRED),
    Indicator.Status.QUARANTINED: (Indicator.Status.ACTIVE, Indicator.Status.RETIRED),
    Indicator.Status.RETIRED: (),
}


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _indicator_row(
    row: dict[str, str], line: int, default_source: str
) -> tuple[Indicator | None, str]:
    from .intake import HASH_HINTS, clean_hash, is_web_url

    algorithm = (row.get("algorithm") or "").strip().lower()
    value = (row.get("value") or "").strip()
    category = (row.get("category") or "").strip()
    source = (row.get("source") or "").strip() or default_source
    if algorithm not in Indicator.Algorithm.values:
        return None, _("unknown algorithm %(a)r (use %(all)s)") % {
            "a": algorithm,
            "all": ", ".join(Indicator.Algorithm.values),
        }
    if not value:
        return None, _("empty value")
    if algorithm == "url":
        if not is_web_url(value):
            return None, _("not an http or https URL")
    else:
        cleaned = clean_hash(algorithm, value)
        if cleaned is None:
            return None, _("malformed %(a)s value: expected %(hint)s") % {
                "a": algorithm,
                "hint": HASH_HINTS[algorithm],
            }
        value = cleaned
    if not category:
        return None, _("empty category")
    if not source:
        return None, _("no source (give the column or --source)")
    if len(category) > 64 or len(source) > 100:
        return None, _("category or source too long")
    return (
        Indicator(
            algorithm=algorithm,
            value=value,
            lookup=indicator_lookup(algorithm, value),
            category=category,
            source=source,
        ),
        "",
    )


def indicators_import(
    *, text: str, source: str, status: str, actor: Any, max_errors: int = 100
) -> ImportResult:
    """Import a CSV (``algorithm,value,category,source``): all rows or none.

    Rows already on the list (same algorithm, value and source) are left as they are. Errors
    are reported by line number; with any error nothing is stored.
    """
    if status not in (Indicator.Status.ACTIVE, Indicator.Status.PROPOSED):
        raise ValidationError({"status": _("Import as active or proposed.")})
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("algorithm", "value", "category") if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append((1, _("missing column(s): %s") % ", ".join(missing)))
        return result
    rows: list[Indicator] = []
    seen: set[tuple[str, str, str]] = set()
    for line, row in enumerate(reader, start=2):
        indicator, error = _indicator_row(row, line, source)
        if error:
            result.errors.append((line, error))
            if len(result.errors) >= max_errors:
                break
            continue
        key = (indicator.algorithm, indicator.lookup, indicator.source)
        if key in seen:
            continue
        seen.add(key)
        indicator.status = status
        rows.append(indicator)
    if result.errors:
        return result
    if not rows:
        result.errors.append((1, _("the file holds no indicator")))
        return result
    with transaction.atomic():
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            # Rows already on the list are found through the unique index, never by counting
            # the table (which holds millions of indicators).
            existing = _existing_keys(chunk)
            Indicator.objects.bulk_create(
                [r for r in chunk if (r.algorithm, r.lookup, r.source) not in existing],
                ignore_conflicts=True,
            )
            result.unchanged += len(existing)
        result.created = len(rows) - result.unchanged
        if status == Indicator.Status.ACTIVE and any(r.algorithm == "pdq" for r in rows):
            pdq_index_changed()
        audit_record(
            actor=actor,
            verb=verbs.CREATE,
            data={
                "indicator_import": source,
                "status": status,
                "rows": len(rows),
                "created": result.created,
            },
        )
    return result


def _existing_keys(rows: list[Indicator]) -> set[tuple[str, str, str]]:
    """Which of ``rows`` are on their list already (one query on the unique index)."""
    keys = {(r.algorithm, r.lookup, r.source) for r in rows}
    found = Indicator.objects.filter(
        algorithm__in={k[0] for k in keys},
        lookup__in={k[1] for k in keys},
        source__in={k[2] for k in keys},
    ).values_list("algorithm", "lookup", "source")
    return keys & set(found)


@transaction.atomic
def indicator_set_status(
    *, indicator: Indicator, status: str, actor: Any, reason: str = ""
) -> Indicator:
    if not has_capability(actor, "indicators_verify"):
        raise PermissionDenied(_("You may not change indicators."))
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if status not in INDICATOR_TRANSITIONS.get(locked.status, ()):
        raise ValidationError(
            {
                "status": _("An indicator cannot go from %(a)s to %(b)s.")
                % {"a": locked.status, "b": status}
            }
        )
    previous = locked.status
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])  # a PDQ one changes the index
    audit_record(
        actor=actor,
        verb=verbs.TRANSITION,
        target=locked,
        data={"from": previous, "to": status, "reason": reason},
    )
    return locked
