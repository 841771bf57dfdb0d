"""Demo data of the reports area: indicators and a few dozen reports in different states."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.utils import timezone


def _hex(seed: str, length: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length] if length <= 64 else ""


def load(*, users: dict[str, Any], organisations: dict[str, Any]) -> None:
    from securityunion.casework.actors import SystemActor
    from securityunion.casework.models import Approval
    from securityunion.casework.services import approval_decide, case_transition

    from .models import Indicator, ProviderReport
    from .services import (
        forwarding_acknowledge,
        forwarding_candidates,
        indicators_import,
        provider_for,
        report_propose_forward,
        report_propose_unfounded,
        reports_assign,
        reports_intake,
    )

    if ProviderReport.objects.filter(provider_reference__startswith="demo-").exists():
        return
    # The demo loader acts as the system: an importer that may only import indicators, and
    # for each company an intake actor of that company that may only submit its reports.
    importer = SystemActor.with_capabilities("demo", "indicators_verify")
    rows = ["algorithm,value,category,source"]
    for n in range(12):
        rows.append(f"sha256,{_hex(f'known-{n}', 64)},known_csam,demo-hotline-list")
        rows.append(f"md5,{_hex(f'known-md5-{n}', 32)},known_csam,demo-hotline-list")
        rows.append(f"pdq,{_hex(f'known-pdq-{n}', 64)},known_csam,demo-hotline-list")
    rows.append("url,https://files.example-hosting.test/abuse/1,known_csam,demo-hotline-list")
    indicators_import(
        text="\n".join(rows), source="demo-hotline-list", status="active", actor=importer
    )
    proposed = ["algorithm,value,category,source"] + [
        f"sha1,{_hex(f'proposed-{n}', 40)},known_csam,demo-own-review" for n in range(5)
    ]
    indicators_import(
        text="\n".join(proposed),
        source="demo-own-review",
        status=Indicator.Status.PROPOSED,
        actor=importer,
    )

    caseworker, supervisor = users["caseworker"], users["supervisor"]
    companies = [organisations["example-social"], organisations["example-hosting"]]
    countries = [["FR"], ["DE"], ["FR", "BE"], ["NL"], ["DE", "AT"]]
    created = []
    for n in range(36):
        org = companies[n % 2]
        known = n % 4 == 0
        near = n % 9 == 0
        sha = _hex(f"known-{n % 12}", 64) if known else _hex(f"new-{n}", 64)
        pdq_seed = _hex(f"known-pdq-{n % 12}", 64)
        pdq = format(int(pdq_seed, 16) ^ 0b1011, "064x") if near else _hex(f"pdq-{n}", 64)
        payload = {
            "provider_reference": f"demo-{org.slug}-{n:04d}",
            "abuse_type": "solicitation" if n % 7 == 3 else "csam",
            "incident_at": (timezone.now() - timedelta(days=n % 10, hours=n)).isoformat(),
            "service": "Photo sharing app" if org.slug == "example-social" else "File hosting",
            "urgent": n % 6 == 1,
            "urgency_reason": "A child may be in imminent danger." if n % 6 == 1 else "",
            "countries": countries[n % len(countries)],
            "reported_user": {
                "account_id": f"u-{1000 + n}",
                "username": f"user{n}",
                "ip_events": [
                    {
                        "ip": f"203.0.113.{n % 250}",
                        "at": (timezone.now() - timedelta(days=1)).isoformat(),
                    }
                ],
            },
            "items": (
                [{"kind": "text", "provider_item_id": f"msg-{n}", "publicly_available": False}]
                if n % 7 == 3
                else [
                    {
                        "kind": "image",
                        "hashes": {"sha256": sha, "pdq": pdq, "md5": _hex(f"md5-{n}", 32)},
                        "provider_item_id": f"img-{n}",
                        "publicly_available": n % 2 == 0,
                        "removed_by_provider": True,
                    }
                ]
            ),
            "notes": "Detected by hash matching and confirmed by a trained moderator.",
        }
        submitter = SystemActor.with_capabilities("demo", "reports_submit", organisation=org)
        result = reports_intake(provider=provider_for(org), payloads=[payload], actor=submitter)[0]
        created.append(result.report)
    for n, report in enumerate(created):
        stage = n % 6
        if stage == 0:
            continue  # stays received
        case_transition(case=report, transition="start_assessment", actor=caseworker)
        if n % 2:
            reports_assign(reports=[report], assignee=caseworker, actor=supervisor)
        if stage == 2:
            case_transition(
                case=report,
                transition="request_information",
                actor=caseworker,
                reason="Please send the account's creation date and country.",
            )
        elif stage in (3, 4):
            recipients = [o.pk for o in forwarding_candidates(report)]
            approval = report_propose_forward(
                report=report,
                recipient_ids=recipients,
                actor=caseworker,
                reason="Founded; forward.",
            )
            if stage == 4 and isinstance(approval, Approval):
                approval_decide(approval=approval, actor=supervisor, approve=True)
                for forwarding in report.forwardings.select_related("recipient"):
                    if forwarding.recipient.slug == "europol" and n % 12 == 4:
                        forwarding_acknowledge(forwarding=forwarding, actor=users["europol"])
        elif stage == 5:
            approval = report_propose_unfounded(
                report=report,
                reason_code="adult",
                text="The person depicted is an adult.",
                actor=caseworker,
            )
            if n % 12 == 11:
                approval_decide(approval=approval, actor=supervisor, approve=True)
    _complaints(users)


def _complaints(users: dict[str, Any]) -> None:
    """Two complaints: one just received, one upheld (with its notices and quarantine)."""
    from securityunion.accounts.models import Organisation
    from securityunion.casework.services import approval_decide, case_transition

    from .services import provider_for
    from .services.complaints import complaint_propose_decision, complaint_submit

    provider = provider_for(Organisation.objects.get(slug="example-social"))
    complaint_submit(
        complainant="content_owner",
        provider=provider,
        service="Photo sharing app",
        item_id="img-2",
        description="My photo of my niece's birthday cake was removed. There is no child in it.",
        contact_email="cake.owner@example.org",
        consent=True,
    )
    upheld = complaint_submit(
        complainant="representative",
        provider=provider,
        service="Photo sharing app",
        content_url="https://photos.example-social.test/p/img-4",
        item_id="img-4",
        description="I act for an art school. A picture of a painting was taken for abuse.",
        consent=True,
    ).complaint
    caseworker, supervisor = users["caseworker"], users["supervisor"]
    case_transition(case=upheld, transition="start_review", actor=caseworker)
    approval = complaint_propose_decision(
        complaint=upheld,
        decision="uphold",
        ground="indicator_error",
        facts="The item is a photograph of a classical painting of adults. The hash on the "
        "demo hotline list matched it by mistake; the indicator is quarantined.",
        automated_detection=True,
        redress="You may bring this decision before the Coordinating Authority of your country "
        "or a court.",
        actor=caseworker,
    )
    approval_decide(approval=approval, actor=supervisor, approve=True)
