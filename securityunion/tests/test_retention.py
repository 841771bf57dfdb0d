"""The shared retention machinery, through the test app's anonymise rule (named in no shared
file): due rows are anonymised once, held and young rows are left alone, every batch audited."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from securityunion.audit.models import AuditEvent
from securityunion.casework import retention
from securityunion.casework.retention import retention_apply, retention_preview
from securityunion.tests.factories import sample_case
from tests.testapp.extensions import ANONYMISED_TITLE
from tests.testapp.models import SampleCase

NOW = timezone.now().replace(microsecond=0)
RULE = "testapp.closed_samples"


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _sample(title, status, days_ago):  # noqa: ANN001, ANN202
    case = sample_case(title=title, status=status)
    SampleCase.objects.filter(pk=case.pk).update(updated_at=NOW - timedelta(days=days_ago))
    return case


@pytest.fixture
def samples(db, frozen):
    return {
        "due": _sample("Old closed", "closed", 31),
        "young": _sample("New closed", "closed", 29),
        "open": _sample("Old draft", "draft", 400),
        "held": _sample("KEEP: evidence", "closed", 400),
    }


def _titles(samples):  # noqa: ANN001, ANN202
    return {name: SampleCase.objects.get(pk=case.pk).title for name, case in samples.items()}


def test_an_anonymise_rule_anonymises_exactly_the_due_rows(samples):
    retention_apply()
    assert _titles(samples) == {
        "due": ANONYMISED_TITLE,
        "young": "New closed",
        "open": "Old draft",
        "held": "KEEP: evidence",
    }


def test_an_anonymised_row_is_not_anonymised_again(samples):
    retention_apply()
    retention_apply()
    assert AuditEvent.objects.filter(verb="purge", data__retention_rule=RULE).count() == 1


def test_an_anonymisation_is_audited_with_ids_and_counts(samples):
    retention_apply()
    event = AuditEvent.objects.get(verb="purge", data__retention_rule=RULE)
    assert event.data["ids"] == [samples["due"].pk]
    assert event.data["action"] == "anonymise"
    assert event.data["count"] == 1
    assert "Old closed" not in str(event.data)


def test_the_preview_counts_and_changes_nothing(samples):
    preview = {result.name: result for result in retention_preview()}
    assert preview[RULE].count == 1
    assert preview[RULE].oldest == NOW - timedelta(days=31)
    assert _titles(samples)["due"] == "Old closed"
    assert not AuditEvent.objects.filter(verb="purge").exists()


def test_the_retention_command_without_dry_run_applies_the_rules(samples, capsys):
    call_command("retention")
    assert f"{RULE}\ttestapp.samplecase\tanonymise\t1" in capsys.readouterr().out
    assert _titles(samples)["due"] == ANONYMISED_TITLE


def test_rules_work_through_many_batches(db, frozen, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    cases = [_sample(f"Old {n}", "closed", 60) for n in range(5)]
    results = {result.name: result for result in retention_apply()}
    assert results[RULE].count == 5
    assert all(SampleCase.objects.get(pk=c.pk).title == ANONYMISED_TITLE for c in cases)
    assert AuditEvent.objects.filter(verb="purge", data__retention_rule=RULE).count() == 3


def test_an_anonymise_rule_needs_to_know_which_rows_are_done():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="anonymised="):
        retention.register_retention(
            SampleCase, days=1, action="anonymise", date_field="updated_at", anonymise=len
        )
