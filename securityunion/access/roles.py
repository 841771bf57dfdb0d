"""The role matrix (DESIGN.md section 4), declared once as data, and the capabilities it grants.

A capability is a permission ``access.<codename>`` (``has_capability(user, "reports_assess")``),
one vocabulary for every area. Each app declares its own capabilities in its ``permissions.py``
(``CAPABILITIES = ((codename, label), ...)``) and creates them in its own migrations
(``create_capabilities``); a ``post_migrate`` handler re-creates any that are missing (after a
test flush, for instance). The shared layer declares only the cross-cutting ones below, as
permissions of the ``Capability`` model's Meta. Existing databases keep their permission rows
and grants: the apps' migrations find the rows already there.

Each role is a Django group of exactly the role's name; ``manage.py sync_roles`` makes the
groups match this file, and nothing else grants capabilities to groups. The matrix may name
capabilities of installed apps only: a system check fails on a role naming an unknown one.

What a capability lets a user *see* inside an area is decided by the scoping rules in
``access.policy`` (country, organisation, assignment), not by extra grants per object.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.conf import settings
from django.core import checks
from django.db import migrations
from django.utils.translation import gettext_lazy as _

CAPABILITY_APP_LABEL = "access"
CAPABILITY_MODEL = "capability"

# The shared layer's own capabilities (cross-cutting). Domain capabilities live in the apps.
CAPABILITIES: tuple[tuple[str, str], ...] = (
    ("audit_view_log", _("Browse the audit log")),
    ("export_pdf", _("Export PDF case files")),
    ("export_csv", _("Export lists as CSV")),
    ("manage_users", _("Manage user accounts and roles")),
    ("manage_api_clients", _("Manage company API clients")),
    ("notices_receive", _("Receive and answer notices through the API (companies)")),
)


@dataclass(frozen=True)
class Capability:
    codename: str
    label: str
    app_label: str


def _project_apps() -> Iterable[Any]:
    base = Path(settings.BASE_DIR).resolve()
    for config in global_apps.get_app_configs():
        if Path(config.path).resolve().is_relative_to(base):
            yield config


def declared_capabilities() -> dict[str, Capability]:
    """Every capability: the shared ones and each installed app's ``permissions.CAPABILITIES``.

    Raises ``ValueError`` on a codename declared twice (the system check reports it).
    """
    found: dict[str, Capability] = {
        code: Capability(code, str(label), CAPABILITY_APP_LABEL) for code, label in CAPABILITIES
    }
    for config in _project_apps():
        module_name = f"{config.name}.permissions"
        if config.label == CAPABILITY_APP_LABEL or importlib.util.find_spec(module_name) is None:
            continue
        declared = getattr(importlib.import_module(module_name), "CAPABILITIES", ())
        for code, label in declared:
            if code in found:
                raise ValueError(
                    f"Capability {code} is declared by {found[code].app_label} and {config.label}."
                )
            found[code] = Capability(code, str(label), config.label)
    return found


def create_capabilities(capabilities: Iterable[tuple[str, str]]) -> migrations.RunPython:
    """A migration operation creating an app's capabilities (and removing them when reversed).

    Use it in the app's own migration, with the list frozen in the migration::

        operations = [create_capabilities([("reports_assess", "Assess reports")])]

    Depend on ``("access", "0002_capabilities_declared_by_apps")``. Rows that already exist (a
    database from before the apps declared their own) are kept with their grants.
    """
    frozen = tuple((str(code), str(label)) for code, label in capabilities)

    def forwards(apps: Any, schema_editor: Any) -> None:
        db = schema_editor.connection.alias
        content_type, _ = (
            apps.get_model("contenttypes", "ContentType")
            .objects.using(db)
            .get_or_create(app_label=CAPABILITY_APP_LABEL, model=CAPABILITY_MODEL)
        )
        permission = apps.get_model("auth", "Permission")
        for code, label in frozen:
            permission.objects.using(db).update_or_create(
                content_type=content_type, codename=code, defaults={"name": label[:255]}
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        db = schema_editor.connection.alias
        apps.get_model("auth", "Permission").objects.using(db).filter(
            content_type__app_label=CAPABILITY_APP_LABEL,
            codename__in=[code for code, _ in frozen],
        ).delete()

    return migrations.RunPython(forwards, backwards, elidable=False)


def ensure_capabilities(*, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate``: create any declared capability that has no permission row yet."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    tables = set(connections[using].introspection.table_names())
    if not {Permission._meta.db_table, ContentType._meta.db_table} <= tables:
        return  # auth or contenttypes migrated back to zero
    content_type, _ = ContentType.objects.db_manager(using).get_or_create(
        app_label=CAPABILITY_APP_LABEL, model=CAPABILITY_MODEL
    )
    existing = set(
        Permission.objects.using(using)
        .filter(content_type=content_type)
        .values_list("codename", flat=True)
    )
    Permission.objects.using(using).bulk_create(
        [
            Permission(content_type=content_type, codename=cap.codename, name=cap.label[:255])
            for cap in declared_capabilities().values()
            if cap.codename not in existing
        ]
    )


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    capabilities: tuple[str, ...]
    extra_permissions: tuple[str, ...] = ()


_READ_EVERYTHING = (
    "reports_view_all",
    "indicators_view",
    "victims_view_all",
    "firearms_view_all_countries",
    "drugs_view_all",
    "prevention_view_all",
)

ROLES: tuple[Role, ...] = (
    Role(
        "centre_caseworker",
        _("Centre caseworker"),
        (
            "reports_view_all",
            "indicators_view",
            "reports_assess",
            "reports_request_information",
            "complaints_review",
            "reports_statistics",
            "export_csv",
        ),
    ),
    Role(
        "centre_supervisor",
        _("Centre supervisor"),
        (
            "reports_view_all",
            "indicators_view",
            "reports_assess",
            "reports_request_information",
            "complaints_review",
            "reports_approve",
            "complaints_decide",
            "indicators_verify",
            "reports_assign",
            "reports_statistics",
            "export_csv",
            "export_pdf",
        ),
    ),
    Role(
        "law_enforcement",
        _("Law enforcement"),
        ("reports_view_forwarded", "reports_acknowledge", "reports_place_legal_hold", "export_pdf"),
    ),
    Role(
        "victim_support_officer",
        _("Victim-support officer"),
        ("victims_view_assigned", "victims_casework", "export_pdf"),
    ),
    Role(
        "victim_support_lead",
        _("Victim-support lead"),
        (
            "victims_view_all",
            "victims_casework",
            "victims_assign",
            "victims_escalate",
            "export_csv",
            "export_pdf",
        ),
    ),
    Role(
        "focal_point",
        _("National firearms focal point"),
        (
            "firearms_view_own_country",
            "firearms_edit",
            "firearms_prepare_return",
            "export_csv",
            "export_pdf",
        ),
    ),
    Role(
        "national_approver",
        _("National approver"),
        ("firearms_view_own_country", "firearms_submit_return", "export_csv"),
    ),
    Role(
        "firearms_reviewer",
        _("Firearms reviewer"),
        ("firearms_view_all_countries", "firearms_validate_return", "export_csv", "export_pdf"),
    ),
    Role(
        "drugs_coordinator",
        _("Drug-policy coordinator"),
        ("drugs_view_all", "drugs_manage", "drugs_review_updates", "export_csv", "export_pdf"),
    ),
    Role(
        "drugs_reporter",
        _("Drugs action reporter"),
        ("drugs_view_own", "drugs_report_progress"),
    ),
    Role(
        "prevention_coordinator",
        _("Prevention network coordinator"),
        (
            "prevention_view_all",
            "prevention_approve",
            "prevention_assess_evidence",
            "prevention_submit",
            "export_csv",
        ),
    ),
    Role(
        "network_member",
        _("Prevention network member"),
        ("prevention_view_published", "prevention_submit"),
    ),
    Role(
        "auditor",
        _("Auditor"),
        (*_READ_EVERYTHING, "reports_statistics", "audit_view_log", "export_pdf", "export_csv"),
    ),
    Role(
        "administrator",
        _("Administrator"),
        ("manage_users", "manage_api_clients"),
        extra_permissions=(
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_user",
            "accounts.add_organisation",
            "accounts.change_organisation",
            "accounts.view_organisation",
            "accounts.view_country",
            "accounts.change_country",
            "accounts.view_apiclient",
            "auth.view_group",
        ),
    ),
    Role(
        "company",
        _("Company (API client)"),
        ("reports_submit", "notices_receive"),
    ),
)

ROLE_NAMES = tuple(role.name for role in ROLES)


def role(name: str) -> Role:
    for candidate in ROLES:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


@checks.register(checks.Tags.security)
def check_role_matrix(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A role naming a capability that no installed app declares is an error, not a no-op."""
    try:
        known = declared_capabilities()
    except ValueError as error:
        return [checks.Error(str(error), id="access.E002")]
    errors = []
    for candidate in ROLES:
        for code in candidate.capabilities:
            if code not in known:
                errors.append(
                    checks.Error(
                        f"Role {candidate.name} grants the unknown capability {code!r}.",
                        hint="Declare it in an installed app's permissions.py (and migration), "
                        "or remove it from the role matrix.",
                        id="access.E001",
                    )
                )
    return errors
