import sys
from typing import Any

from django.apps import AppConfig, apps
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "securityunion.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from . import schema  # noqa: F401  (OpenAPI description of the company token)
        from .roles import ensure_capabilities

        # In this order: the apps' capabilities exist before the roles are applied.
        post_migrate.connect(ensure_capabilities, dispatch_uid="access_ensure_capabilities")
        post_migrate.connect(after_migrate, dispatch_uid="securityunion.access.after_migrate")


def _last_migrated_app() -> AppConfig:
    # `migrate` and `flush` send post_migrate once per app that has models, in INSTALLED_APPS
    # order, each time after django.contrib.auth has created that app's permissions.
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def after_migrate(sender: AppConfig, using: str, verbosity: int = 1, **kwargs: Any) -> None:
    """After `migrate` (and `flush`): the database cache table and the roles exist.

    Runs once, for the last app, when every app's permissions exist; so `migrate` alone leaves
    a system one can sign in to. Both steps are idempotent (`make run` repeats them).
    """
    if sender.label != _last_migrated_app().label:
        return
    call_command("createcachetable", database=using, verbosity=verbosity)

    if using != DEFAULT_DB_ALIAS:
        return  # the roles live in the default database (`roles_sync` writes there)
    from django.contrib.auth.models import Group, Permission

    existing = set(connections[using].introspection.table_names())
    needed = {
        Group._meta.db_table,
        Permission._meta.db_table,
        Group.permissions.through._meta.db_table,
    }
    if not needed <= existing:
        return  # auth is migrated back to zero: no roles without groups
    from .services import roles_sync

    try:
        changes = roles_sync()
    except LookupError as error:  # an app migrated back to zero has no permissions left
        sys.stderr.write(f"Roles not applied ({error}); run `manage.py sync_roles` later.\n")
        return
    if verbosity >= 2:
        sys.stdout.write(f"{len(changes)} roles in step.\n")
