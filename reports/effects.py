"""What the report workflow's transitions do besides changing the status (see workflow.py).

Each runs inside the transition's transaction. Notices to the company are deferred while a
legal hold is active.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.accounts.models import Organisation
from securityunion.casework.models import Notice
from securityunion.casework.notices import notice_send

from .models import Forwarding, ProviderReport

# The notice types of the reports area (registered in apps.py).
NOTICE_INFORMATION_REQUEST = "information_request"
NOTICE_OUTCOME = "outcome"


def _item_ids(report: ProviderReport) -> list[str]:
    return [i for i in report.items.values_list("provider_item_id", flat=True) if i]


def _company_notice(
    report: ProviderReport,
    actor: Any,
    text: str,
    data: dict[str, Any] | None = None,
    kind: str = NOTICE_OUTCOME,
) -> None:
    """A notice to the reporting company about its report, deferred while a legal hold lasts."""
    from .services import active_hold_until

    notice_send(
        organisation=report.provider.organisation,
        type=kind,
        subject=report,
        subject_reference=report.reference,
        text=text,
        items=_item_ids(report),
        data=data,
        actor=actor,
        visible_from=active_hold_until(report),
    )


def _count_matches(report: ProviderReport, field: str) -> None:
    """A founded report confirms the indicators its items matched; an unfounded one disputes."""
    from django.db.models import F

    from .models import Indicator, IndicatorMatch

    ids = IndicatorMatch.objects.filter(item__report=report).values("indicator_id")
    Indicator.objects.filter(pk__in=ids).update(**{field: F(field) + 1})


def information_requested(*, case: ProviderReport, actor: Any, data: dict, reason: str) -> None:
    _company_notice(case, actor, reason, kind=NOTICE_INFORMATION_REQUEST)


def forwarded(*, case: ProviderReport, actor: Any, data: dict, reason: str) -> None:
    now = timezone.now()
    recipients = Organisation.objects.filter(pk__in=data.get("recipients", []))
    Forwarding.objects.bulk_create(
        [Forwarding(report=case, recipient=org, sent_at=now) for org in recipients],
        ignore_conflicts=True,
    )
    case.decided_at = now
    case.save(update_fields=["decided_at"])
    _count_matches(case, "confirmed_matches")
    _company_notice(
        case,
        actor,
        _("The centre assessed the report and forwarded it to law enforcement."),
        {"decision": "forwarded"},
    )


def found_unfounded(*, case: ProviderReport, actor: Any, data: dict, reason: str) -> None:
    case.unfounded_reason = data.get("reason_code", ProviderReport.UnfoundedReason.INSUFFICIENT)
    case.outcome_text = reason
    case.decided_at = timezone.now()
    case.save(update_fields=["unfounded_reason", "outcome_text", "decided_at"])
    _count_matches(case, "disputed_matches")
    _company_notice(
        case,
        actor,
        _("The centre found the report manifestly unfounded: %(reason)s. %(text)s")
        % {"reason": case.get_unfounded_reason_display(), "text": reason},
        {
            "decision": "manifestly_unfounded",
            "reason_code": case.unfounded_reason,
            "reasons": reason,
        },
    )


def marked_duplicate(*, case: ProviderReport, actor: Any, data: dict, reason: str) -> None:
    case.duplicate_of_id = data.get("duplicate_of")
    case.outcome_text = reason
    case.decided_at = timezone.now()
    case.save(update_fields=["duplicate_of", "outcome_text", "decided_at"])
    _company_notice(
        case,
        actor,
        _("The centre handles this report together with %s.") % data.get("duplicate_of_reference"),
        {"decision": "duplicate", "duplicate_of": data.get("duplicate_of_reference")},
    )


def information_answered(*, notice: Notice, actor: Any, text: str) -> None:
    """A company answered an information request: the report returns to assessment."""
    from securityunion.casework.services import case_transition

    report = ProviderReport.objects.get(pk=notice.object_id)
    if report.status == ProviderReport.Status.AWAITING_INFORMATION:
        case_transition(
            case=report, transition="resume_assessment", actor=actor, data={"notice": notice.pk}
        )
