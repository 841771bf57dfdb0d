"""Retention: each record type declares how long it is kept and what happens then.

An app registers its rules in ``apps.py`` ``ready()``::

    register_retention(
        Request,
        days=lambda: app_settings.MYAPP_REJECTED_RETENTION_DAYS,
        action="delete",
        date_field="decided_at",
        scope=lambda: Q(status="rejected"),
        held=lambda: Q(Exists(Hold.objects.filter(request=OuterRef("pk"), active=True))),
    )

- ``days``: an int or a callable returning one (read at run time, so an app setting works).
- ``action``: ``"delete"`` (the row and what cascades from it, plus the shared approvals and
  notices that point at it) or ``"anonymise"`` (``anonymise(queryset) -> count``; rows matched
  by ``anonymised`` are done and left alone).
- ``scope``: which rows of the model the rule covers (default: all).
- ``held``: rows that must be kept whatever their age (legal holds); they are never touched.

``retention_apply`` (a scheduled job, and ``manage.py retention``) works in batches, one
transaction per batch, and records each batch in the audit log with the ids and counts only.
``retention_preview`` (``manage.py retention --dry-run``) counts what would go and changes
nothing. The audit log itself is never subject to retention.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

DELETE = "delete"
ANONYMISE = "anonymise"
BATCH_SIZE = 500  # ids per audit event stay below the audit log's list bound
PROTECTED_APPS = frozenset({"audit"})  # audit events and seals are never purged


@dataclass(frozen=True)
class RetentionRule:
    name: str
    model: type[models.Model]
    days: int | Callable[[], int]
    action: str
    date_field: str
    scope: Callable[[], Q] | None = None
    held: Callable[[], Q] | None = None
    anonymise: Callable[[QuerySet], int] | None = None
    anonymised: Callable[[], Q] | None = None
    description: str = ""

    def period(self) -> timedelta:
        days = self.days() if callable(self.days) else self.days
        return timedelta(days=int(days))

    def due(self, now: datetime) -> QuerySet:
        """Rows past their retention period, not under a hold, not yet anonymised."""
        qs = self.model._default_manager.filter(**{f"{self.date_field}__lte": now - self.period()})
        if self.scope is not None:
            qs = qs.filter(self.scope())
        if self.anonymised is not None:
            qs = qs.exclude(self.anonymised())
        if self.held is not None:
            qs = qs.exclude(self.held())
        return qs


@dataclass(frozen=True)
class RetentionResult:
    name: str
    model: str
    action: str
    count: int
    oldest: datetime | None = None
    removed: dict[str, int] | None = None


retention_rules: dict[str, RetentionRule] = {}


def register_retention(
    model: type[models.Model],
    *,
    days: int | Callable[[], int],
    action: str = DELETE,
    date_field: str,
    anonymise: Callable[[QuerySet], int] | None = None,
    anonymised: Callable[[], Q] | None = None,
    held: Callable[[], Q] | None = None,
    scope: Callable[[], Q] | None = None,
    name: str | None = None,
    description: str = "",
) -> RetentionRule:
    """Declare a retention rule for ``model``; registering the same rule again is a no-op."""
    label = model._meta.label_lower
    if model._meta.app_label in PROTECTED_APPS:
        raise ImproperlyConfigured(f"{label} is never subject to retention.")
    if action not in (DELETE, ANONYMISE):
        raise ImproperlyConfigured(f"Retention of {label}: action is 'delete' or 'anonymise'.")
    if action == ANONYMISE and (anonymise is None or anonymised is None):
        raise ImproperlyConfigured(
            f"Retention of {label}: 'anonymise' needs anonymise= and anonymised= (done rows)."
        )
    model._meta.get_field(date_field)  # FieldDoesNotExist names a typo at start-up
    rule = RetentionRule(
        name=name or label,
        model=model,
        days=days,
        action=action,
        date_field=date_field,
        scope=scope,
        held=held,
        anonymise=anonymise,
        anonymised=anonymised,
        description=description,
    )
    existing = retention_rules.get(rule.name)
    if existing is not None and existing != rule:
        raise ImproperlyConfigured(f"Retention rule {rule.name} is registered twice.")
    retention_rules[rule.name] = rule
    return rule


def retention_preview(*, now: datetime | None = None) -> list[RetentionResult]:
    """What each rule would remove now: count and oldest date. Reads only."""
    now = now or timezone.now()
    results = []
    for rule in sorted(retention_rules.values(), key=lambda r: r.name):
        due = rule.due(now)
        figures = due.aggregate(oldest=Min(rule.date_field))
        results.append(
            RetentionResult(
                rule.name,
                rule.model._meta.label_lower,
                rule.action,
                due.count(),
                oldest=figures["oldest"],
            )
        )
    return results


def _shared_dependants(model: type[models.Model], pks: list[Any]) -> list[QuerySet]:
    """Approvals and notices of the shared layer that point at the purged rows generically."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Approval, Notice

    content_type = ContentType.objects.get_for_model(model)
    object_ids = [str(pk) for pk in pks]
    return [
        Approval.objects.filter(content_type=content_type, object_id__in=object_ids),
        Notice.objects.filter(content_type=content_type, object_id__in=object_ids),
    ]


def _apply_batch(rule: RetentionRule, now: datetime) -> tuple[int, dict[str, int]]:
    """One batch in one transaction: lock due rows, re-check them, act, audit. Returns counts."""
    from securityunion.audit import verbs
    from securityunion.audit.services import audit_record

    with transaction.atomic():
        # Re-evaluated under the lock: a row put under a hold since the last look stays.
        pks = list(
            rule.due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by(rule.date_field, "pk")
            .values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not pks:
            return 0, {}
        batch = rule.model._default_manager.filter(pk__in=pks)
        if rule.action == DELETE:
            removed: dict[str, int] = {}
            for dependants in _shared_dependants(rule.model, pks):
                _, per_model = dependants.delete()
                for label, n in per_model.items():
                    removed[label] = removed.get(label, 0) + n
            _, per_model = batch.delete()
            for label, n in per_model.items():
                removed[label] = removed.get(label, 0) + n
            count = per_model.get(rule.model._meta.label, 0)
        else:
            count = rule.anonymise(batch)
            removed = {rule.model._meta.label: count}
        audit_record(
            actor=None,
            verb=verbs.PURGE,
            data={
                "retention_rule": rule.name,
                "model": rule.model._meta.label_lower,
                "action": rule.action,
                "ids": [pk if isinstance(pk, int) else str(pk) for pk in pks],
                "count": count,
                "counts": {label.lower(): n for label, n in removed.items() if n},
            },
        )
    return count, removed


def retention_apply(
    *, now: datetime | None = None, max_batches: int = 1000
) -> list[RetentionResult]:
    """Apply every rule in batches until nothing is due (or ``max_batches`` per rule)."""
    now = now or timezone.now()
    results = []
    for rule in sorted(retention_rules.values(), key=lambda r: r.name):
        total = 0
        removed: dict[str, int] = {}
        for _ in range(max_batches):
            count, batch_removed = _apply_batch(rule, now)
            for label, n in batch_removed.items():
                removed[label] = removed.get(label, 0) + n
            total += count
            if count < BATCH_SIZE:
                break
        if total:
            logger.info("Retention %s: %s %s rows", rule.name, rule.action, total)
        results.append(
            RetentionResult(
                rule.name, rule.model._meta.label_lower, rule.action, total, removed=removed
            )
        )
    return results


def retention_job() -> int:
    """The scheduled job: apply every rule; returns the number of records acted on."""
    return sum(result.count for result in retention_apply())
