import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

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
        DATABASE_URL="sqlite:////tmp/securityunion-check.sqlite3",
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
