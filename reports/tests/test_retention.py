"""Retention of reports: manifestly unfounded reports go after their period, never under a hold."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.models import LegalHold, ProviderReport, ReportedItem
from securityunion.audit.models import AuditEvent
from securityunion.casework.jobs import run_job
from securityunion.casework.retention import register_retention, retention_apply

NOW = timezone.now().replace(microsecond=0)
RULE = "reports.unfounded_reports"


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _decided(report, status, days_ago, reason="not_csam"):  # noqa: ANN001, ANN202
    ProviderReport.objects.filter(pk=report.pk).update(
        status=status,
        unfounded_reason=reason,
        decided_at=NOW - timedelta(days=days_ago),
    )
    return report


def _hold(report, people, placed_days_ago, ends_in_days, lifted=False):  # noqa: ANN001, ANN202
    return LegalHold.objects.create(
        report=report,
        placed_by=people["police_fr"],
        organisation=people["police_fr"].organisation,
        reason="Investigation",
        placed_at=NOW - timedelta(days=placed_days_ago),
        expires_at=NOW + timedelta(days=ends_in_days),
        lifted_at=NOW - timedelta(days=1) if lifted else None,
    )


@pytest.fixture
def reports(submit, payload, people, frozen):
    unfounded = ProviderReport.Status.MANIFESTLY_UNFOUNDED
    return {
        "due": _decided(submit(payload(provider_reference="due")), unfounded, 800),
        "due_closed": _decided(
            submit(payload(provider_reference="closed")), ProviderReport.Status.CLOSED, 731
        ),
        "young": _decided(submit(payload(provider_reference="young")), unfounded, 100),
        "held": _decided(submit(payload(provider_reference="held")), unfounded, 900),
        "hold_lapsed": _decided(submit(payload(provider_reference="lapsed")), unfounded, 900),
        "hold_lifted": _decided(submit(payload(provider_reference="lifted")), unfounded, 900),
        "forwarded": _decided(
            submit(payload(provider_reference="fwd")), ProviderReport.Status.FORWARDED, 900, ""
        ),
        "open": submit(payload(provider_reference="open")),
    }


@pytest.fixture
def holds(reports, people):
    return {
        "active": _hold(reports["held"], people, 10, 30),
        "lapsed": _hold(reports["hold_lapsed"], people, 100, -1),
        "lifted": _hold(reports["hold_lifted"], people, 10, 30, lifted=True),
    }


def _remaining(reports):  # noqa: ANN001, ANN202
    present = set(ProviderReport.objects.values_list("pk", flat=True))
    return {name for name, report in reports.items() if report.pk in present}


def test_retention_deletes_exactly_the_unfounded_reports_past_their_period(reports, holds):
    retention_apply()
    assert _remaining(reports) == {"young", "held", "forwarded", "open"}


def test_a_report_under_an_active_legal_hold_is_never_purged(reports, holds):
    retention_apply()
    retention_apply()
    assert ProviderReport.objects.filter(pk=reports["held"].pk).exists()
    assert LegalHold.objects.filter(pk=holds["active"].pk).exists()


def test_the_items_of_a_purged_report_go_with_it(reports, holds):
    kept_items = ReportedItem.objects.filter(report=reports["young"]).count()
    assert ReportedItem.objects.filter(report=reports["due"]).exists()
    retention_apply()
    assert not ReportedItem.objects.filter(report_id=reports["due"].pk).exists()
    assert ReportedItem.objects.filter(report=reports["young"]).count() == kept_items


def test_every_purge_is_audited_with_ids_and_counts_only(reports, holds):
    retention_apply()
    event = AuditEvent.objects.get(verb="purge")
    purged = sorted(
        reports[name].pk for name in ("due", "due_closed", "hold_lapsed", "hold_lifted")
    )
    assert event.data["retention_rule"] == RULE
    assert sorted(event.data["ids"]) == purged
    assert event.data["count"] == 4
    assert event.data["counts"]["reports.providerreport"] == 4
    assert event.data["counts"]["reports.reporteditem"] >= 4
    assert set(event.data) == {"retention_rule", "model", "action", "ids", "count", "counts"}
    assert "example" not in str(event.data) and "abc-123" not in str(event.data)


def test_audit_events_survive_the_purge_of_their_report(reports, holds):
    before = AuditEvent.objects.filter(object_id=str(reports["due"].pk)).count()
    retention_apply()
    assert AuditEvent.objects.filter(object_id=str(reports["due"].pk)).count() == before


def test_the_dry_run_shows_count_and_oldest_date_and_deletes_nothing(reports, holds, capsys):
    before = ProviderReport.objects.count()
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith(RULE))
    assert "4 due" in line
    assert (NOW - timedelta(days=900)).isoformat() in line
    assert ProviderReport.objects.count() == before
    assert not AuditEvent.objects.filter(verb="purge").exists()


def test_the_retention_period_is_the_reports_app_setting(reports, holds, settings):
    settings.REPORT_UNFOUNDED_RETENTION_DAYS = 30
    retention_apply()
    assert "young" not in _remaining(reports)


def test_the_scheduled_job_applies_retention(reports, holds):
    assert run_job("retention").outcome == "succeeded"
    assert _remaining(reports) == {"young", "held", "forwarded", "open"}


def test_the_audit_log_cannot_be_given_a_retention_rule():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        register_retention(AuditEvent, days=1, date_field="at")


def test_finished_indicator_uploads_go_after_their_period_and_running_ones_stay(people, frozen):
    from reports.models import IndicatorImport

    def upload(status, days_ago):  # noqa: ANN001, ANN202
        return IndicatorImport.objects.create(
            requested_by=people["supervisor"],
            source="hotline-x",
            import_as="active",
            status=status,
            sealed_text=b"x" if status in ("queued", "running") else None,
            created_at=NOW - timedelta(days=days_ago),
        )

    old_done, old_failed = upload("done", 91), upload("failed", 120)
    young_done, old_running = upload("done", 89), upload("running", 200)
    retention_apply()
    left = set(IndicatorImport.objects.values_list("pk", flat=True))
    assert left == {young_done.pk, old_running.pk}
    assert old_done.pk not in left and old_failed.pk not in left
