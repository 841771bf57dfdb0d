"""System checks of the registered workflows and case models (``manage.py check``).

- Every transition of every registered workflow is consistent: its sources and target are
  statuses of the model, the capabilities it names exist in the role matrix and some role
  holds them, its effect, validator and proposal summary accept the keyword arguments they
  are called with.
- Every registered case model draws its references from a sequence that a migration of its
  app creates (works on every backend, before ``migrate`` has run).
- Tagged ``database``: on PostgreSQL, once the model's table exists, the sequence exists too
  (``manage.py check --database default``; ``migrate`` runs it first, when tables may not exist
  yet, and then it passes).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from django.core import checks
from django.db import connections, models

from .references import CreateReferenceSequence, sequence_name
from .workflow import EFFECT_KEYWORDS, SUMMARY_KEYWORDS, VALIDATOR_KEYWORDS


def _statuses(model: type[models.Model]) -> set[str] | None:
    try:
        field = model._meta.get_field("status")
    except Exception:  # noqa: BLE001 - FieldDoesNotExist
        return None
    return {str(value) for value, _label in (field.choices or [])}


def _accepts(fn: Callable[..., Any], keywords: tuple[str, ...]) -> bool:
    try:
        inspect.signature(fn).bind(**dict.fromkeys(keywords))
    except (TypeError, ValueError):
        return False
    return True


def workflow_problems(model: type[models.Model]) -> list[str]:
    """What is wrong with ``model``'s workflow (empty when it is consistent)."""
    from securityunion.access.roles import ROLES, declared_capabilities

    try:
        declared = set(declared_capabilities())
    except ValueError as error:  # a codename declared twice: the role matrix's check says so
        return [str(error)]
    held = {c for role in ROLES for c in role.capabilities}
    label = model._meta.label
    workflow = getattr(model, "workflow", None)
    if workflow is None:
        return [f"{label} has no workflow"]
    problems = []
    for name in ("status", "version"):
        try:
            model._meta.get_field(name)
        except Exception:  # noqa: BLE001
            problems.append(f"{label} has no {name} field")
    statuses = _statuses(model)
    if not statuses:
        return [*problems, f"{label}.status has no choices to check the workflow against"]

    def capability_problems(where: str, capability: str) -> list[str]:
        if capability not in declared:
            return [f"{where}: capability {capability!r} is not in the role matrix"]
        if capability not in held:
            return [f"{where}: no role holds capability {capability!r}"]
        return []

    if str(workflow.initial) not in statuses:
        problems.append(f"{label}: initial status {workflow.initial!r} is not a status")
    problems += [
        f"{label}: {kind} status {s!r} is not a status"
        for kind, declared_statuses in (("final", workflow.final), ("decided", workflow.decided))
        for s in declared_statuses
        if str(s) not in statuses
    ]
    for kind in ("create_capability", "edit_capability"):
        if getattr(workflow, kind):
            problems += capability_problems(f"{label} {kind}", getattr(workflow, kind))
    for t in workflow.transitions:
        where = f"{label} transition {t.name!r}"
        problems += [
            f"{where}: source {s!r} is not a status" for s in t.sources if str(s) not in statuses
        ]
        if str(t.target) not in statuses:
            problems.append(f"{where}: target {t.target!r} is not a status")
        for capability in t.capabilities:
            problems += capability_problems(where, capability)
        if t.four_eyes:
            problems += capability_problems(f"{where} approval", t.approve_capability)
        if t.effect is not None and not (
            callable(t.effect) and _accepts(t.effect, EFFECT_KEYWORDS)
        ):
            problems.append(f"{where}: effect {t.effect!r} does not take {EFFECT_KEYWORDS}")
        if t.validator is not None and not (
            callable(t.validator) and _accepts(t.validator, VALIDATOR_KEYWORDS)
        ):
            problems.append(
                f"{where}: validator {t.validator!r} does not take {VALIDATOR_KEYWORDS}"
            )
        if t.summary is not None and not (
            callable(t.summary) and _accepts(t.summary, SUMMARY_KEYWORDS)
        ):
            problems.append(f"{where}: summary {t.summary!r} does not take {SUMMARY_KEYWORDS}")
        if t.validator is not None and t.manual:
            problems.append(f"{where}: carries data (validator) but is offered on the page")
    return problems


@checks.register()
def check_workflows(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from .registry import workflow_models

    return [
        checks.Error(problem, obj=model, id="casework.E001")
        for model in workflow_models
        for problem in workflow_problems(model)
    ]


def sequence_migrations() -> dict[str, set[str]]:
    """App label -> the reference prefixes that the app's migrations create sequences for."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    found: dict[str, set[str]] = {}
    for (app_label, _name), migration in loader.disk_migrations.items():
        for operation in migration.operations:
            if isinstance(operation, CreateReferenceSequence):
                found.setdefault(app_label, set()).add(operation.prefix)
    return found


@checks.register()
def check_reference_sequences(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from .registry import case_models

    errors = []
    created = None
    for model in case_models:
        prefix = getattr(model, "REFERENCE_PREFIX", None)
        try:
            sequence_name(prefix or "")
        except ValueError:
            errors.append(
                checks.Error(
                    f"{model._meta.label} has no valid REFERENCE_PREFIX ({prefix!r})",
                    obj=model,
                    id="casework.E002",
                )
            )
            continue
        if created is None:
            created = sequence_migrations()
        if prefix not in created.get(model._meta.app_label, set()):
            errors.append(
                checks.Error(
                    f"No migration of {model._meta.app_label} creates the reference sequence "
                    f"of {model._meta.label} ({prefix})",
                    hint=f'Add CreateReferenceSequence("{prefix}") to a migration of the app.',
                    obj=model,
                    id="casework.E003",
                )
            )
    return errors


@checks.register(checks.Tags.database)
def check_reference_sequences_exist(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """On PostgreSQL: every migrated case model's sequence exists in the database."""
    from .registry import case_models

    errors: list[checks.CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        tables = set(connection.introspection.table_names())
        for model in case_models:
            prefix = getattr(model, "REFERENCE_PREFIX", "")
            if model._meta.db_table not in tables:
                continue  # not migrated yet: ``migrate`` creates table and sequence together
            try:
                name = sequence_name(prefix)
            except ValueError:
                continue  # reported by check_reference_sequences
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM pg_class WHERE relkind = 'S' AND relname = %s", [name]
                )
                exists = cursor.fetchone() is not None
            if not exists:
                errors.append(
                    checks.Error(
                        f"Database {alias!r} has no sequence {name} for {model._meta.label}",
                        hint="Run migrate; the app's migration creates it.",
                        obj=model,
                        id="casework.E004",
                    )
                )
    return errors
