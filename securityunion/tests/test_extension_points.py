"""A new app changes nothing in the shared layer: settings, benchmark options, and the rule that
the shared packages name no domain app."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from securityunion.casework.conf import AppSettings, Setting, app_setting

ROOT = Path(settings.BASE_DIR)
DOMAIN_APPS = ("reports", "victims", "drugs", "firearms", "prevention", "testapp")
_names = "|".join(DOMAIN_APPS)
IMPORT = re.compile(rf"^\s*(from|import)\s+(tests\.)?({_names})\b", re.M)
# "reports.tasks.x", 'victims:index', "drugs/..." and settings.REPORT_... style references
MENTION = re.compile(
    rf"""["'`]({_names})[.:/]|\b({_names})\.[a-z_]+\.|settings\.(REPORT|LEGAL_HOLD|EUROPOL)_"""
)
# One include per app for its pages, and one per group of its public pages (no sign-in), if
# it has any (``<app>.<group>_urls``).
ALLOWED_LINE = re.compile(rf"""^\s*path\("[\w/-]*", include\("({_names})\.([a-z]+_)?urls"\)\),$""")


def _shared_sources() -> list[Path]:
    files = []
    for path in sorted((ROOT / "securityunion").rglob("*.py")):
        relative = path.relative_to(ROOT / "securityunion")
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        files.append(path)
    return files


def test_the_shared_layer_imports_and_names_no_domain_app():
    offending = []
    for path in _shared_sources():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if path.name == "urls.py" and ALLOWED_LINE.match(line):
                continue  # the one include per app
            if IMPORT.match(line) or MENTION.search(line):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offending == []


def test_the_scan_catches_an_import_and_a_dotted_mention():
    assert IMPORT.match("from reports.models import ProviderReport")
    assert IMPORT.match("    import victims")
    assert MENTION.search('register_job("x", "reports.tasks.legal_hold_reminders", every=1)')
    assert MENTION.search('("Drugs", "drugs:index", ())')
    assert MENTION.search("hours = settings.REPORT_TARGET_HOURS")
    assert not IMPORT.match("from securityunion.casework.registry import register_job")


def test_the_settings_name_no_apps_tasks_or_settings():
    text = (ROOT / "securityunion" / "settings.py").read_text()
    assert "CELERY_BEAT_SCHEDULE" not in text
    installed = re.compile(rf'^\s*"({_names})",$')
    for line in text.splitlines():
        if installed.match(line):
            continue
        assert not MENTION.search(line), line
    from reports.conf import app_settings

    for name in app_settings.names():
        assert name not in text, name


# --- app settings -------------------------------------------------------------------------


def test_an_app_setting_has_its_default_when_nothing_overrides_it(monkeypatch):
    from reports.conf import app_settings

    monkeypatch.delenv("REPORT_TARGET_HOURS", raising=False)
    assert app_settings.REPORT_TARGET_HOURS == 120
    assert app_settings.LEGAL_HOLD_MAX_DAYS == 548


def test_the_environment_overrides_an_app_setting_default(monkeypatch):
    from reports.conf import app_settings

    monkeypatch.setenv("REPORT_TARGET_HOURS", "48")
    assert app_settings.REPORT_TARGET_HOURS == 48


def test_a_django_setting_overrides_the_environment(monkeypatch, settings):
    from reports.conf import app_settings

    monkeypatch.setenv("REPORT_TARGET_HOURS", "48")
    settings.REPORT_TARGET_HOURS = 12
    assert app_settings.REPORT_TARGET_HOURS == 12


def test_a_fixed_rule_is_not_read_from_the_environment(monkeypatch):
    from reports.conf import app_settings

    monkeypatch.setenv("LEGAL_HOLD_MAX_DAYS", "5000")
    assert app_settings.LEGAL_HOLD_MAX_DAYS == 548


def test_a_malformed_environment_value_is_a_configuration_error(monkeypatch):
    monkeypatch.setenv("SOME_APP_LIMIT", "many")
    with pytest.raises(ImproperlyConfigured, match="SOME_APP_LIMIT"):
        app_setting("SOME_APP_LIMIT", 3, cast=int)


def test_an_undeclared_app_setting_is_an_attribute_error():
    conf = AppSettings(KNOWN=Setting(int, 1))
    with pytest.raises(AttributeError):
        _ = conf.UNKNOWN


def test_a_test_app_setting_is_read_from_its_own_module():
    from tests.testapp.conf import app_settings

    assert app_settings.TESTAPP_CLOSED_RETENTION_DAYS == 30


# --- benchmark parts ----------------------------------------------------------------------


def _benchmark_parser():
    from securityunion.casework.management.commands.benchmark import Command

    return Command().create_parser("manage.py", "benchmark")


def test_the_readme_benchmark_commands_still_parse():
    parser = _benchmark_parser()
    options = parser.parse_args(["--reports", "100000"])
    assert (options.reports, options.indicators) == (100000, 1_000_000)
    options = parser.parse_args(
        ["--part", "reports", "--reports", "1000000", "--indicators", "1000000"]
    )
    assert (options.part, options.reports, options.indicators) == (["reports"], 10**6, 10**6)


def test_the_reports_options_come_from_the_reports_part_not_the_shared_command():
    from securityunion.casework.registry import benchmark_arguments

    source = (ROOT / "securityunion/casework/management/commands/benchmark.py").read_text()
    assert "--reports" not in source and "--indicators" not in source
    assert "reports" in benchmark_arguments


def test_a_part_runs_with_the_options_it_declared(db, capsys):
    call_command("benchmark", "--part", "testapp", "--samples", "3")
    assert json.loads(capsys.readouterr().out) == {"testapp": {"samples": 3, "stored": 0}}


def test_an_apps_api_routes_come_from_its_registration_not_the_project_urls():
    from pathlib import Path

    from django.urls import reverse

    from securityunion.casework import registry

    project_urls = (Path(__file__).resolve().parents[1] / "urls.py").read_text()
    assert "reports.api_urls" not in project_urls
    assert "reports.api_urls" in registry.api_url_modules
    assert reverse("api:report_list") == "/api/v1/reports/"
