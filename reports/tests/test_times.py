"""One date and time format on pages, in CSV and in PDFs, in the reader's own time zone with
the zone named; a deadline shows the time left."""

import datetime as dt

import pytest
from django.utils import timezone

from securityunion.audit import verbs
from securityunion.audit.models import AuditEvent

NOON_UTC = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
PARIS = "3 Dec 2026, 13:00 CET"


@pytest.fixture(autouse=True)
def _system_zone_utc(settings):
    """The system's zone is not the reader's: a time in CET can only come from the user's."""
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def parisian(people):
    supervisor = people["supervisor"]
    supervisor.time_zone = "Europe/Paris"
    supervisor.save(update_fields=["time_zone"])
    return supervisor


@pytest.fixture
def report(submit, payload):
    report = submit(payload(provider_reference="times"))
    type(report).objects.filter(pk=report.pk).update(created_at=NOON_UTC)
    report.refresh_from_db()
    return report


def test_a_report_page_shows_times_in_the_readers_zone_with_the_zone_named(
    client, parisian, report
):
    client.force_login(parisian)
    page = client.get(report.get_absolute_url()).content.decode()
    assert PARIS in page
    assert "12:00 UTC" not in page


@pytest.mark.parametrize(
    ("due_in", "shown"),
    [
        (dt.timedelta(hours=5, minutes=30), "5 h left"),
        (-dt.timedelta(hours=2, minutes=30), "overdue by 2 h"),
    ],
)
def test_a_report_page_shows_the_time_left_to_its_target(client, parisian, report, due_in, shown):
    type(report).objects.filter(pk=report.pk).update(due_at=timezone.now() + due_in)
    client.force_login(parisian)
    page = client.get(report.get_absolute_url()).content.decode()
    assert shown in page


def test_a_case_file_is_rendered_in_the_requesters_zone(client, parisian, report, monkeypatch):
    """The worker renders the PDF away from the request: it takes the requester's zone."""
    from securityunion.documents import pdf as pdf_module

    rendered = []

    class CapturingHTML:
        def __init__(self, *, string, **kwargs):  # noqa: ANN001, ANN003
            rendered.append(string)

        def write_pdf(self) -> bytes:
            return b"%PDF-1.7 captured"

    monkeypatch.setattr(pdf_module, "HTML", CapturingHTML)
    client.force_login(parisian)
    response = client.get(f"/reports/{report.reference}/pdf/")
    assert response.status_code == 200 and rendered
    html = rendered[0]
    assert PARIS in html
    assert "Report received from the company" in html
    assert "12:00 UTC" not in html


def test_the_audit_log_csv_uses_the_same_format_in_the_readers_zone(client, auditor):
    auditor.time_zone = "Europe/Paris"
    auditor.save(update_fields=["time_zone"])
    # Inserted with its time (the log takes no UPDATE on PostgreSQL).
    AuditEvent.objects.create(
        at=NOON_UTC,
        actor=auditor,
        actor_label=auditor.username,
        verb=verbs.UPDATE,
        object_type="accounts.user",
        object_id=str(auditor.pk),
    )
    client.force_login(auditor)
    response = client.get("/audit/", {"export": "csv", "object_id": str(auditor.pk)})
    body = b"".join(response.streaming_content).decode()
    assert f'"{PARIS}"' in body or PARIS in body
