import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from securityunion.access.apps import after_migrate
from securityunion.access.roles import ROLES
from securityunion.accounts.models import Organisation, User

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DEBUG",
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEY",
            "SECURITYUNION_TESTING",
            "DJANGO_SETTINGS_MODULE",
        )
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_app_refuses_to_start_on_the_development_secret():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is the development secret" in result.stderr


def test_the_deploy_checks_pass_under_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 20 + "-production-like-secret-for-the-check-0123456789",
        FIELD_ENCRYPTION_KEY="cHJvZHVjdGlvbi1saWtlLWtleS1mb3ItdGhlLWNoZWNrIQ==",
        AUDIT_SIGNING_KEY="cHJvZHVjdGlvbi1saWtlLWF1ZGl0LXNlYWwta2V5LSE=",
        ALLOWED_HOSTS="backoffice.example.eu",
        NOTIFICATIONS_BASE_URL="https://backoffice.example.eu",
        DATABASE_URL="sqlite:////tmp/securityunion-check.sqlite3",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_benchmarks_production_environment_is_accepted_by_the_settings():
    from securityunion.casework.benchmark import production_env

    env = production_env("sqlite:////tmp/securityunion-bench-check.sqlite3")
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("demo")


def test_demo_creates_one_user_per_role_and_the_two_companies(db, settings, capsys):
    settings.DEBUG = True
    call_command("demo", "--password", "a-demo-password-1")
    assert User.objects.get(username="focal_point_de").groups.filter(name="focal_point").exists()
    assert User.objects.get(username="police_fr").country_id == "FR"
    assert set(Organisation.objects.filter(type="company").values_list("slug", flat=True)) >= {
        "example-social",
        "example-hosting",
    }
    assert User.objects.get(username="auditor").check_password("a-demo-password-1")


def test_demo_twice_changes_nothing(db, settings):
    settings.DEBUG = True
    call_command("demo", "--password", "a-demo-password-1")
    snapshot = list(User.objects.order_by("pk").values_list("pk", "password", "username"))
    orgs = Organisation.objects.count()
    call_command("demo", "--password", "a-demo-password-1")
    assert list(User.objects.order_by("pk").values_list("pk", "password", "username")) == snapshot
    assert Organisation.objects.count() == orgs


def test_demo_prints_the_default_password_when_none_is_given(db, settings, capsys, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("demo")
    out = capsys.readouterr().out
    assert "Password for every demo user:" in out and "caseworker" in out


def test_countries_hold_the_27_member_states_and_six_partners(db):
    from securityunion.accounts.models import Country

    assert Country.objects.filter(eu_member=True).count() == 27
    assert set(Country.objects.filter(western_balkans=True).values_list("code", flat=True)) == {
        "AL",
        "BA",
        "ME",
        "MK",
        "RS",
        "XK",
    }
    assert Country.objects.filter(code="US").exists()


# --- `migrate` alone leaves a working system ------------------------------------------------

DB_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "securityunion_cache_after_migrate",
    }
}


def _roles_in_step() -> bool:
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}
    for role in ROLES:
        if role.name not in groups:
            return False
        held = {
            f"{p.content_type.app_label}.{p.codename}" for p in groups[role.name].permissions.all()
        }
        if held != {f"access.{c}" for c in role.capabilities} | set(role.extra_permissions):
            return False
    return True


def test_after_migrate_the_database_cache_table_exists_and_serves_the_cache(db, settings):
    settings.CACHES = DB_CACHE
    assert "securityunion_cache_after_migrate" not in connection.introspection.table_names()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "securityunion_cache_after_migrate" in connection.introspection.table_names()
    caches["default"].set("sign-in-attempts", 3)
    assert caches["default"].get("sign-in-attempts") == 3


def test_after_migrate_every_role_group_holds_exactly_its_permissions(db):
    Group.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert _roles_in_step()


def test_the_roles_are_applied_once_for_the_last_app_not_for_each_app(db):
    Group.objects.all().delete()
    after_migrate(sender=apps.get_app_config("access"), using="default", verbosity=0)
    assert not Group.objects.exists()
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    after_migrate(sender=last, using="default", verbosity=0)
    assert _roles_in_step()


def test_after_migrate_tolerates_missing_permissions_and_says_so(db, capsys):
    Group.objects.all().delete()
    Permission.objects.filter(content_type__app_label="access").delete()
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    after_migrate(sender=last, using="default", verbosity=0)
    assert "Roles not applied" in capsys.readouterr().err
    assert not Group.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flush_as_transactional_tests_do_leaves_the_roles_in_place():
    call_command("flush", interactive=False, verbosity=0)
    assert _roles_in_step()


# --- the lock files -------------------------------------------------------------------------


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    return {
        _name(name): version
        for name, version in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.MULTILINE)
    }


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_runtime_lock_pins_every_runtime_dependency_of_pyproject():
    missing = {_name(r) for r in _project()["dependencies"]} - set(_pins("main.lock"))
    assert not missing, f"run `make lock`: {sorted(missing)} not in requirements/main.lock"


def test_the_dev_lock_pins_every_dependency_of_pyproject():
    project = _project()
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    missing = wanted - set(_pins("dev.lock"))
    assert not missing, f"run `make lock`: {sorted(missing)} not in requirements/dev.lock"


def test_the_dev_lock_holds_the_runtime_lock_s_versions_so_production_runs_what_was_tested():
    runtime, dev = _pins("main.lock"), _pins("dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


@pytest.mark.parametrize("lock", ["main.lock", "dev.lock"])
def test_every_locked_package_carries_a_hash(lock):
    text = (ROOT / "requirements" / lock).read_text()
    entries = re.split(r"^(?=[A-Za-z0-9])", text, flags=re.MULTILINE)
    pinned = [e for e in entries if "==" in e.split("\n", 1)[0]]
    assert pinned
    assert all("--hash=sha256:" in entry for entry in pinned)
