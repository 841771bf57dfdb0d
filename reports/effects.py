"""What the transitions of the reports area check and do besides changing the status.

The workflows in ``workflow.py`` hold these functions themselves (no lookup by name when a
transition fires); ``casework.checks`` verifies their signatures at start-up. Validators check
the data a transition carries and return it in canonical form; ``case_transition`` runs them
on every call and again when a four-eyes proposal is approved. Effects run inside the
transition's transaction. Notices to the company are deferred while a legal hold is active.

The models are imported inside the functions: ``models.py`` imports the workflows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.models import Notice
from securityunion.casework.notices import notice_send
from securityunion.casework.workflow import SummaryItem
from securityunion.notifications.services import notify

from . import notifications
from .conf import app_settings

if TYPE_CHECKING:
    from .models import Indicator, ProviderReport


# --- validators ----------------------------------------------------------------------------


def valid_forwarding(*, case: ProviderReport, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    """At least one recipient, each Europol or an authority of a candidate country."""
    from .selectors import forwarding_candidates

    raw = data.get("recipients")
    if not isinstance(raw, list | tuple) or any(isinstance(pk, bool) for pk in raw):
        raw = None
    try:
        chosen = sorted({int(pk) for pk in raw or ()})
    except (TypeError, ValueError):
        chosen = []
        raw = None
    if not chosen:
        raise ValidationError({"recipients": _("Choose Europol and/or a national authority.")})
    allowed = {org.pk for org in forwarding_candidates(case)}
    if not set(chosen) <= allowed:
        raise ValidationError(
            {"recipients": _("Reports go to Europol or the authorities of candidate countries.")}
        )
    return {"recipients": chosen}


def valid_unfounded(*, case: ProviderReport, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    """One of the reason codes of "manifestly unfounded"."""
    from .models import ProviderReport

    code = data.get("reason_code")
    if not isinstance(code, str) or code not in ProviderReport.UnfoundedReason.values:
        raise ValidationError({"reason_code": _("Choose a reason code.")})
    return {"reason_code": code}


def valid_duplicate(*, case: ProviderReport, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Another report, visible to the actor, given by its reference."""
    from .selectors import reports_visible_to

    reference = data.get("duplicate_of_reference")
    original = None
    if isinstance(reference, str) and reference.strip():
        original = (
            reports_visible_to(actor)
            .exclude(pk=case.pk)
            .filter(reference=reference.strip())
            .only("pk", "reference")
            .first()
        )
    if original is None:
        raise ValidationError({"duplicate_of": _("Give the reference of another report.")})
    return {"duplicate_of": original.pk, "duplicate_of_reference": original.reference}


# --- effects -------------------------------------------------------------------------------

# The notice types of the reports area (registered in apps.py).
NOTICE_INFORMATION_REQUEST = "information_request"
NOTICE_OUTCOME = "outcome"


@dataclass(frozen=True)
class CompanyNotice:
    """What the reporting company is told of a decision: the text and the data of the notice."""

    text: str
    data: dict[str, Any] = field(default_factory=dict)


def outcome_notice(
    *, report: ProviderReport, transition: str, data: dict[str, Any], reason: str
) -> CompanyNotice:
    """The notice a decision sends the company: one function for the effect that sends it and
    for the approval panel that shows it beforehand, so the decider sees what is sent."""
    from .models import ProviderReport

    if transition == "forward":
        return CompanyNotice(
            _("The centre assessed the report and forwarded it to law enforcement."),
            {"decision": "forwarded"},
        )
    if transition == "unfounded":
        code = data["reason_code"]
        return CompanyNotice(
            _("The centre found the report manifestly unfounded: %(reason)s. %(text)s")
            % {"reason": ProviderReport.UnfoundedReason(code).label, "text": reason},
            {"decision": "manifestly_unfounded", "reason_code": code, "reasons": reason},
        )
    if transition == "mark_duplicate":
        original = data["duplicate_of_reference"]
        return CompanyNotice(
            _("The centre handles this report together with %s.") % original,
            {"decision": "duplicate", "duplicate_of": original},
        )
    raise ValueError(f"No company notice for transition {transition!r}")


def _item_ids(report: ProviderReport) -> list[str]:
    return [i for i in report.items.values_list("provider_item_id", flat=True) if i]


def _company_notice(
    report: ProviderReport,
    actor: Any,
    text: str,
    data: dict[str, Any] | None = None,
    kind: str = NOTICE_OUTCOME,
) -> None:
    """A notice to the reporting company about its report, deferred while a legal hold lasts
    and, after a forwarding, until the authorities had their window to place one."""
    from .selectors import company_told_from

    notice_send(
        organisation=report.provider.organisation,
        type=kind,
        subject=report,
        subject_reference=report.reference,
        text=text,
        items=_item_ids(report),
        data=data,
        actor=actor,
        visible_from=company_told_from(report, fresh=True),
    )


def _count_matches(report: ProviderReport, field: str) -> None:
    """A founded report confirms the indicators its items matched; an unfounded one disputes."""
    from django.db.models import F

    from .models import Indicator, IndicatorMatch

    ids = IndicatorMatch.objects.filter(item__report=report).values("indicator_id")
    Indicator.objects.filter(pk__in=ids).update(**{field: F(field) + 1})


def _assign_if_nobody_has_it(case: ProviderReport, actor: Any, why: str) -> None:
    """The person who works an unassigned report takes it (a system actor takes nothing)."""
    if case.assignee_id is not None or getattr(actor, "pk", None) is None:
        return
    if not has_capability(actor, "reports_assess"):
        return
    case.assignee = actor
    case.save(update_fields=["assignee"])
    audit_record(
        actor=actor,
        verb=verbs.UPDATE,
        target=case,
        data={"assignee": actor.get_username(), "via": why},
    )


def assessment_started(
    *, case: ProviderReport, actor: Any, data: dict, reason: str, previous: str
) -> None:
    """Starting the assessment of a report nobody has assigns it to the one who starts."""
    _assign_if_nobody_has_it(case, actor, "start_assessment")


def information_requested(
    *, case: ProviderReport, actor: Any, data: dict, reason: str, previous: str
) -> None:
    """The request goes to the company; the report stays with (or goes to) the one who asked,
    so that the answer comes back to a person and not to the unassigned pool."""
    _assign_if_nobody_has_it(case, actor, "request_information")
    _company_notice(case, actor, reason, kind=NOTICE_INFORMATION_REQUEST)


def forwarded(*, case: ProviderReport, actor: Any, data: dict, reason: str, previous: str) -> None:
    from securityunion.accounts.models import Organisation

    from .models import Forwarding

    now = timezone.now()
    recipients = list(Organisation.objects.filter(pk__in=data.get("recipients") or []))
    if not recipients:  # the validator guarantees recipients; never forward to nobody
        raise ValidationError({"recipients": _("Choose Europol and/or a national authority.")})
    Forwarding.objects.bulk_create(
        [Forwarding(report=case, recipient=org, sent_at=now) for org in recipients],
        ignore_conflicts=True,
    )
    # The recipients' people who may open it (Europol's only when it went to Europol).
    notify(
        notifications.FORWARDED,
        notifications.law_enforcement_people(recipients),
        case=case,
        actor=actor,
    )
    case.decided_at = now
    case.save(update_fields=["decided_at"])
    _count_matches(case, "confirmed_matches")
    notice = outcome_notice(report=case, transition="forward", data=data, reason=reason)
    _company_notice(case, actor, notice.text, notice.data)


def found_unfounded(
    *, case: ProviderReport, actor: Any, data: dict, reason: str, previous: str
) -> None:
    case.unfounded_reason = data["reason_code"]
    case.outcome_text = reason
    case.decided_at = timezone.now()
    case.save(update_fields=["unfounded_reason", "outcome_text", "decided_at"])
    _count_matches(case, "disputed_matches")
    notice = outcome_notice(report=case, transition="unfounded", data=data, reason=reason)
    _company_notice(case, actor, notice.text, notice.data)


def marked_duplicate(
    *, case: ProviderReport, actor: Any, data: dict, reason: str, previous: str
) -> None:
    case.duplicate_of_id = data["duplicate_of"]
    case.outcome_text = reason
    case.decided_at = timezone.now()
    case.save(update_fields=["duplicate_of", "outcome_text", "decided_at"])
    notice = outcome_notice(report=case, transition="mark_duplicate", data=data, reason=reason)
    _company_notice(case, actor, notice.text, notice.data)


# --- proposal summaries (what the supervisor approves) ----------------------------------------


def _notice_items(report: ProviderReport, notice: CompanyNotice) -> list[SummaryItem]:
    from .selectors import active_hold_until

    items = [SummaryItem(_("Notice the company will receive"), notice.text, quote=True)]
    hold = active_hold_until(report, fresh=True)
    if hold is not None:
        items.append(
            SummaryItem(
                _("Told to the company"),
                _("when the legal hold ends (%s)") % timezone.localtime(hold).strftime("%Y-%m-%d"),
            )
        )
    return items


def forwarding_summary(*, case: ProviderReport, data: dict, reason: str) -> list[SummaryItem]:
    """The recipients (organisation and country) and the notice the company will receive."""
    from securityunion.accounts.models import Organisation

    recipients = Organisation.objects.filter(pk__in=data.get("recipients") or []).select_related(
        "country"
    )
    names = tuple(
        f"{org.name} ({org.country.name})" if org.country else f"{org.name} ({_('EU-wide')})"
        for org in recipients
    )
    notice = outcome_notice(report=case, transition="forward", data=data, reason=reason)
    items = [SummaryItem(_("Recipients"), values=names), *_notice_items(case, notice)]
    hours = app_settings.FORWARDED_NOTICE_DELAY_HOURS
    if hours > 0:
        items.append(
            SummaryItem(
                _("Told to the company"),
                _(
                    "%(hours)d h after approval at the earliest: the authorities may place a "
                    "legal hold until then"
                )
                % {"hours": hours},
            )
        )
    return items


def unfounded_summary(*, case: ProviderReport, data: dict, reason: str) -> list[SummaryItem]:
    """The reason code, the statement of reasons and the notice the company will receive."""
    from .models import ProviderReport

    code = data.get("reason_code", "")
    label = ProviderReport.UnfoundedReason(code).label if code else ""
    notice = outcome_notice(report=case, transition="unfounded", data=data, reason=reason)
    return [
        SummaryItem(_("Reason code"), str(label)),
        SummaryItem(_("Statement of reasons"), reason, quote=True),
        *_notice_items(case, notice),
    ]


def duplicate_summary(*, case: ProviderReport, data: dict, reason: str) -> list[SummaryItem]:
    """The original report (reference, linked) and the notice the company will receive."""
    original = data.get("duplicate_of_reference", "")
    notice = outcome_notice(report=case, transition="mark_duplicate", data=data, reason=reason)
    return [
        SummaryItem(
            _("Original report"),
            original,
            url=reverse("reports:detail", kwargs={"reference": original}) if original else "",
        ),
        *_notice_items(case, notice),
    ]


def indicator_status_changed(
    *, case: Indicator, actor: Any, data: dict, reason: str, previous: str
) -> None:
    """A PDQ indicator's status change renews the token of the in-memory PDQ index.

    This explicit call is the index's only trigger for status changes (no model signal).
    """
    from .models import Indicator
    from .pdq_index import pdq_index_changed

    if case.algorithm == Indicator.Algorithm.PDQ:
        pdq_index_changed()


def information_answered(*, notice: Notice, actor: Any, text: str) -> None:
    """A company answered an information request: the report returns to assessment, with its
    assignee (or, without one, the person who asked), who is told. The answer itself is shown
    on the report, never in a notification."""
    from securityunion.casework.services import case_transition

    from .models import ProviderReport

    report = ProviderReport.objects.select_related("assignee").get(pk=notice.object_id)
    if report.status == ProviderReport.Status.AWAITING_INFORMATION:
        case_transition(
            case=report, transition="resume_assessment", actor=actor, data={"notice": notice.pk}
        )
    notify(
        notifications.INFORMATION_ANSWERED,
        [report.assignee or notice.created_by],
        case=report,
        actor=actor,
    )
