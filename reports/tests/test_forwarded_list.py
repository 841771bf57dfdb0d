"""Law enforcement's own list: what was forwarded to its organisation, nothing of others."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.models import Forwarding
from reports.services import (
    forwarding_acknowledge,
    forwarding_feedback,
    legal_hold_lift,
    legal_hold_place,
    report_propose_forward,
)
from securityunion.audit import verbs
from securityunion.audit.models import AuditEvent
from securityunion.casework.services import approval_decide, case_transition

URL = "/reports/forwarded/"


@pytest.fixture
def forward(submit, payload, people, organisations):
    def make(reference, *recipients, countries=("FR", "DE")):  # noqa: ANN001, ANN002, ANN202
        report = submit(payload(provider_reference=reference, countries=list(countries)))
        case_transition(case=report, transition="start_assessment", actor=people["caseworker"])
        approval = report_propose_forward(
            report=report,
            recipient_ids=[organisations[r].pk for r in recipients],
            actor=people["caseworker"],
        )
        approval_decide(approval=approval, actor=people["supervisor"], approve=True)
        report.refresh_from_db()
        return report

    return make


def _rows(client, url=URL):  # noqa: ANN001, ANN202
    return [row["object"] for row in client.get(url).context["rows"]]


def test_the_police_list_only_reports_forwarded_to_their_organisation(client, people, forward):
    ours = forward("ours", "police-fr", "europol")
    forward("europol-only", "europol")
    forward("german", "police-de")
    client.force_login(people["police_fr"])
    assert _rows(client) == [ours]


def test_europols_list_holds_only_what_was_forwarded_to_europol(client, people, forward):
    to_europol = forward("to-europol", "europol")
    forward("french-only", "police-fr")
    client.force_login(people["europol"])
    assert _rows(client) == [to_europol]


def test_europol_does_not_see_the_polices_feedback(client, people, forward):
    report = forward("both", "police-fr", "europol")
    forwarding_feedback(
        forwarding=report.forwardings.get(recipient__slug="police-fr"),
        actor=people["police_fr"],
        text="Suspect arrested in Lyon.",
    )
    client.force_login(people["europol"])
    response = client.get(URL)
    assert response.status_code == 200 and "Suspect arrested" not in response.content.decode()


def test_the_police_see_their_own_feedback_and_acknowledgement(client, people, forward):
    report = forward("ours", "police-fr")
    forwarding = report.forwardings.get()
    forwarding_feedback(forwarding=forwarding, actor=people["police_fr"], text="Case opened.")
    client.force_login(people["police_fr"])
    body = client.get(URL).content.decode()
    assert "Case opened." in body and "not yet" not in body


def test_the_police_do_not_see_another_authoritys_hold(client, people, forward):
    report = forward("both", "police-fr", "europol")
    legal_hold_place(
        report=report,
        actor=people["europol"],
        reason="Europol operation",
        expires_at=timezone.now() + timedelta(days=30),
    )
    client.force_login(people["police_fr"])
    assert _rows(client, URL + "?hold=active") == []


def test_the_list_has_no_assignee_or_target_column(client, people, forward):
    forward("ours", "police-fr")
    client.force_login(people["police_fr"])
    labels = [str(c.label) for c in client.get(URL).context["columns"]]
    assert not {"Assignee", "Age / target", "Target"} & set(labels)
    assert "Forwarded to us" in labels


def test_it_filters_on_acknowledgement(client, people, forward):
    seen = forward("seen", "police-fr")
    unseen = forward("unseen", "police-fr")
    forwarding_acknowledge(forwarding=seen.forwardings.get(), actor=people["police_fr"])
    client.force_login(people["police_fr"])
    assert _rows(client, URL + "?acknowledged=no") == [unseen]
    assert _rows(client, URL + "?acknowledged=yes") == [seen]


def test_it_filters_on_our_active_holds(client, people, forward):
    held = forward("held", "police-fr")
    lifted = forward("lifted", "police-fr")
    forward("free", "police-fr")
    for report in (held, lifted):
        hold = legal_hold_place(
            report=report,
            actor=people["police_fr"],
            reason="Investigation",
            expires_at=timezone.now() + timedelta(days=30),
        )
    legal_hold_lift(hold=hold, actor=people["police_fr"])
    client.force_login(people["police_fr"])
    assert _rows(client, URL + "?hold=active") == [held]


def test_it_filters_on_the_forwarding_date(client, people, forward):
    old = forward("old", "police-fr")
    new = forward("new", "police-fr")
    Forwarding.objects.filter(report=old).update(sent_at=timezone.now() - timedelta(days=40))
    client.force_login(people["police_fr"])
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert _rows(client, URL + f"?forwarded_from={since}") == [new]
    assert _rows(client, URL + f"?forwarded_to={since}") == [old]


def test_it_sorts_by_the_forwarding_date_newest_first_or_oldest(client, people, forward):
    old = forward("old", "police-fr")
    new = forward("new", "police-fr")
    Forwarding.objects.filter(report=old).update(sent_at=timezone.now() - timedelta(days=2))
    client.force_login(people["police_fr"])
    assert _rows(client) == [new, old]
    assert _rows(client, URL + "?sort=forwarded") == [old, new]


def test_a_reversed_date_range_is_an_error_not_a_crash(client, people, forward):
    forward("ours", "police-fr")
    client.force_login(people["police_fr"])
    response = client.get(URL + "?forwarded_from=2026-05-01&forwarded_to=2026-04-01&sort=nope")
    assert response.status_code == 200 and response.context["rows"] == []


def test_the_centre_is_refused_the_law_enforcement_list(client, people):
    client.force_login(people["caseworker"])
    assert client.get(URL).status_code == 403


def test_the_queue_sends_law_enforcement_to_its_own_list(client, people):
    client.force_login(people["police_fr"])
    response = client.get("/reports/")
    assert response.status_code == 302 and response["Location"] == URL


def test_the_list_read_is_audited(client, people, forward):
    report = forward("ours", "police-fr")
    client.force_login(people["police_fr"])
    client.get(URL)
    event = AuditEvent.objects.filter(actor=people["police_fr"], verb=verbs.VIEW).latest("id")
    assert str(report.pk) in str(event.data)


def test_the_list_costs_the_same_queries_for_1_and_5_reports(client, people, forward):
    forward("r0", "police-fr")
    client.force_login(people["police_fr"])
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for n in range(1, 5):
        report = forward(f"r{n}", "police-fr")
        legal_hold_place(
            report=report,
            actor=people["police_fr"],
            reason="Investigation",
            expires_at=timezone.now() + timedelta(days=30),
        )
    with CaptureQueriesContext(connection) as five:
        client.get(URL)
    assert len(five) == len(one)
