"""Indicator lists: all-or-nothing CSV import and the lifecycle of an indicator.

An indicator's status follows ``INDICATOR_WORKFLOW`` through the shared ``case_transition``
(capability, optimistic lock, audit of the reason; the PDQ index's token is renewed by the
transitions' effect).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.actors import actor_audit_data
from securityunion.casework.services import access_refused, case_transition
from securityunion.casework.workflow import StaleVersion, WorkflowError

from ..matching import indicator_lookup
from ..models import Indicator
from ..pdq_index import pdq_index_changed

INDICATOR_COLUMNS = ("algorithm", "value", "category", "source")


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
    from ..intake import HASH_HINTS, clean_hash, is_web_url

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

    The actor needs ``indicators_verify`` (a caseworker cannot add to the lists that mark
    reported material as known); a refusal is audited. Rows already on the list (same
    algorithm, value and source) are left as they are. Errors are reported by line number;
    with any error nothing is stored.
    """
    if not has_capability(actor, "indicators_verify"):
        raise access_refused(
            actor=actor,
            why="indicator import not permitted",
            message=_("You may not import indicators."),
            indicator_import=str(source)[:100],
        )
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
                **actor_audit_data(actor),
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


def indicator_set_status(
    *,
    indicator: Indicator,
    status: str,
    actor: Any,
    reason: str = "",
    expected_version: int | None = None,
) -> Indicator:
    """Move ``indicator`` to ``status`` through the workflow transition that leads there."""
    transition = next((t for t in Indicator.workflow.transitions if t.target == status), None)
    if transition is None:
        raise ValidationError(
            {
                "status": _("An indicator cannot go from %(a)s to %(b)s.")
                % {"a": indicator.status, "b": status}
            }
        )
    try:
        return case_transition(  # type: ignore[return-value]
            case=indicator,
            transition=transition.name,
            actor=actor,
            reason=reason,
            expected_version=expected_version,
        )
    except StaleVersion:
        raise
    except WorkflowError:
        raise ValidationError(
            {
                "status": _("An indicator cannot go from %(a)s to %(b)s.")
                % {"a": Indicator.objects.get(pk=indicator.pk).status, "b": status}
            }
        ) from None
