"""Complaints: the public intake and status look-up, matching, the decision and its effects,
reinstatement notices and corrections.

The public form has no signed-in user: it acts as the system actor ``INTAKE_ACTOR``, which may
only create complaints. The status code is shown once; only a keyed, slow hash of it is kept
(``make_password`` over an HMAC of the code under the project's secret), compared in constant
time, and an unknown reference costs the same work as a wrong code.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from securityunion.access.policy import has_capability
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.actors import SystemActor
from securityunion.casework.models import Approval, Notice
from securityunion.casework.notices import notice_acknowledge, notice_send
from securityunion.casework.services import access_refused, case_create, case_transition

from ..complaints import COMPLAINT_DECIDED, Complaint, ComplaintMatch
from ..conf import app_settings
from ..intake import url_sha256
from ..models import Forwarding, Indicator, IndicatorMatch, Provider, ProviderReport, ReportedItem

NOTICE_REINSTATEMENT = "reinstatement"
NOTICE_CORRECTION = "correction"

#: What the public form acts as: it may create complaints, and nothing else is done with it.
INTAKE_ACTOR = SystemActor.with_capabilities("complaint-form", "complaints_review")
#: What quarantines an indicator when the approver may not (least privilege).
QUARANTINE_ACTOR = SystemActor.with_capabilities(
    "complaint-upheld", "indicators_view", "indicators_verify"
)

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 16
MAX_MATCHES = 50
MAX_SERVICE = 200
MAX_ITEM_ID = 200
MAX_URL = 2000
MAX_EMAIL = 254
_HMAC_SALT = "reports.complaint.status-code"


# --- the status code -------------------------------------------------------------------------


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in str(code).upper() if ch.isalnum())[: CODE_LENGTH * 2]


def _code_hash(code: str) -> str:
    keyed = salted_hmac(_HMAC_SALT, _normalise_code(code), algorithm="sha256").hexdigest()
    return make_password(keyed)


def _code_matches(code: str, encoded: str) -> bool:
    keyed = salted_hmac(_HMAC_SALT, _normalise_code(code), algorithm="sha256").hexdigest()
    return check_password(keyed, encoded)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _code_hash(secrets.token_hex(16))


def new_status_code() -> str:
    """A random code of 16 characters (about 79 bits), shown in groups of four."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


# --- intake ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintReceipt:
    complaint: Complaint
    code: str  # shown once, never stored


def complaint_input_clean(
    *,
    complainant: str,
    provider: Any,
    service: str,
    content_url: str,
    item_id: str,
    removed_on: date | None,
    description: str,
    contact_email: str,
    consent: bool,
) -> dict[str, Any]:
    """The rules of a complaint, whoever submits it; raises ``ValidationError`` by field.

    The public form runs them too, so that every problem is named at once."""
    errors: dict[str, str] = {}
    if complainant not in Complaint.Complainant.values:
        errors["complainant"] = _("Say who you are.")
    if not isinstance(provider, Provider):
        errors["provider"] = _("Choose the company.")
    service = (service or "").strip()
    if len(service) > MAX_SERVICE:
        errors["service"] = _("Use at most %d characters.") % MAX_SERVICE
    content_url = (content_url or "").strip()
    item_id = (item_id or "").strip()
    if content_url:
        if len(content_url) > MAX_URL:
            errors["content_url"] = _("The address is longer than %d characters.") % MAX_URL
        else:
            try:
                URLValidator(schemes=["http", "https"])(content_url)
            except ValidationError:
                errors["content_url"] = _(
                    "Enter the full address of the content, starting with https://."
                )
    if len(item_id) > MAX_ITEM_ID:
        errors["item_id"] = _("Use at most %d characters.") % MAX_ITEM_ID
    if not content_url and not item_id and "content_url" not in errors:
        errors["content_url"] = _("Give the address of the content or the company's item id.")
    if removed_on is not None and removed_on > timezone.localdate():
        errors["removed_on"] = _("The date of removal cannot be in the future.")
    description = (description or "").strip()
    limit = app_settings.COMPLAINT_TEXT_MAX_CHARS
    if not description:
        errors["description"] = _("Tell us what happened.")
    elif len(description) > limit:
        errors["description"] = _("Use at most %(limit)d characters (you used %(used)d).") % {
            "limit": limit,
            "used": len(description),
        }
    contact_email = (contact_email or "").strip()
    if contact_email:
        try:
            if len(contact_email) > MAX_EMAIL:
                raise ValidationError("too long")
            EmailValidator()(contact_email)
        except ValidationError:
            errors["contact_email"] = _("Enter an e-mail address like name@example.org.")
    if consent is not True:
        errors["consent"] = _("We can only handle your complaint with your consent.")
    if errors:
        raise ValidationError(errors)
    return {
        "complainant": complainant,
        "provider": provider,
        "service": service,
        "content_url": content_url,
        "content_url_sha256": url_sha256(content_url) if content_url else "",
        "item_id": item_id,
        "removed_on": removed_on,
        "description": description,
        "contact_email": contact_email,
    }


def _match_on_arrival(complaint: Complaint) -> list[ComplaintMatch]:
    """The company's reported items with the complaint's item id or URL, one row per report."""
    condition = Q()
    if complaint.item_id:
        condition |= Q(provider_item_id=complaint.item_id)
    if complaint.content_url_sha256:
        condition |= Q(url_sha256=complaint.content_url_sha256)
    if not condition:
        return []
    items = (
        ReportedItem.objects.filter(condition, report__provider_id=complaint.provider_id)
        .only("pk", "report_id", "provider_item_id", "url_sha256")
        .order_by("report_id", "position", "pk")
    )
    rows: dict[int, ComplaintMatch] = {}
    for item in items[: MAX_MATCHES * 4]:
        if item.report_id in rows or len(rows) >= MAX_MATCHES:
            continue
        via = (
            ComplaintMatch.Via.ITEM_ID
            if complaint.item_id and item.provider_item_id == complaint.item_id
            else ComplaintMatch.Via.URL
        )
        rows[item.report_id] = ComplaintMatch(
            complaint=complaint, report_id=item.report_id, item=item, via=via
        )
    return ComplaintMatch.objects.bulk_create(rows.values())


def _send_receipt_mail(address: str, reference: str, code: str) -> None:
    send_mail(
        _("Your complaint %s") % reference,
        _(
            "We received your complaint. Its reference is %(ref)s and its status code is "
            "%(code)s. Keep both: you need them to see the status of your complaint. "
            "We will never ask you for the code."
        )
        % {"ref": reference, "code": code},
        None,
        [address],
        fail_silently=True,
    )


def complaint_submit(
    *,
    complainant: str,
    provider: Any,
    service: str = "",
    content_url: str = "",
    item_id: str = "",
    removed_on: date | None = None,
    description: str,
    contact_email: str = "",
    consent: bool,
) -> ComplaintReceipt:
    """Record a complaint from the public form and match it; returns it with its status code.

    Nothing is stored when a rule fails. The receipt mail (when an address was given) goes out
    after the commit. The audit event names the company and the matches, never the text or
    the address.
    """
    values = complaint_input_clean(
        complainant=complainant,
        provider=provider,
        service=service,
        content_url=content_url,
        item_id=item_id,
        removed_on=removed_on,
        description=description,
        contact_email=contact_email,
        consent=consent,
    )
    code = new_status_code()
    with transaction.atomic():
        complaint = case_create(
            model=Complaint,
            actor=INTAKE_ACTOR,
            fields={**values, "consent_at": timezone.now(), "code_hash": _code_hash(code)},
            due_in=timedelta(days=app_settings.COMPLAINT_DECISION_DAYS),
            audit_data={"via": "public form", "company": values["provider"].organisation.slug},
        )
        matches = _match_on_arrival(complaint)
        audit_record(
            actor=INTAKE_ACTOR,
            verb=verbs.UPDATE,
            target=complaint,
            data={
                "matched": [m.report_id for m in matches],
                "system_actor": INTAKE_ACTOR.name,
            },
        )
        if values["contact_email"]:
            address, reference = values["contact_email"], complaint.reference
            transaction.on_commit(lambda: _send_receipt_mail(address, reference, code))
    return ComplaintReceipt(complaint=complaint, code=code)


def complaint_status_lookup(*, reference: str, code: str) -> Complaint | None:
    """The complaint whose reference and status code these are; ``None`` for a wrong code and
    for an unknown reference alike (the same work either way: a hash is checked in both)."""
    reference = str(reference or "").strip().upper()[:32]
    complaint = Complaint.objects.filter(reference=reference).first() if reference else None
    encoded = complaint.code_hash if complaint is not None else _dummy_hash()
    matched = _code_matches(code or "", encoded)
    if complaint is None or not matched:
        audit_record(
            actor=None,
            verb=verbs.PERMISSION_DENIED,
            data={"reason": "complaint status look-up did not match"},
        )
        return None
    audit_record(actor=None, verb=verbs.VIEW, target=complaint, data={"via": "status page"})
    return complaint


# --- review: matches, decisions --------------------------------------------------------------


def _check_reviewer(complaint: Complaint, actor: Any, what: str) -> None:
    if not has_capability(actor, "complaints_review"):
        raise access_refused(
            actor=actor,
            why=f"complaint {what} not permitted",
            message=_("You may not review complaints."),
            target=complaint,
        )
    if complaint.status in (*Complaint.workflow.final, *COMPLAINT_DECIDED):
        raise ValidationError(_("The complaint is decided: its matches no longer change."))


def complaint_link_report(*, complaint: Complaint, reference: str, actor: Any) -> ComplaintMatch:
    """Link a report of the same company to the complaint (a reviewer's correction)."""
    _check_reviewer(complaint, actor, "link")
    report = ProviderReport.objects.filter(
        reference=str(reference or "").strip().upper()[:32], provider_id=complaint.provider_id
    ).first()
    if report is None:
        raise ValidationError(
            {"reference": _("Give the reference of a report of the same company.")}
        )
    with transaction.atomic():
        match, created = ComplaintMatch.objects.get_or_create(
            complaint=complaint,
            report=report,
            defaults={"via": ComplaintMatch.Via.REVIEWER, "linked_by": actor},
        )
        if not created:
            raise ValidationError({"reference": _("This report is already linked.")})
        audit_record(
            actor=actor, verb=verbs.UPDATE, target=complaint, data={"linked": report.reference}
        )
    return match


def complaint_unlink_report(*, complaint: Complaint, match_id: int, actor: Any) -> None:
    """Remove a match that the reviewer found wrong."""
    _check_reviewer(complaint, actor, "unlink")
    with transaction.atomic():
        match = (
            ComplaintMatch.objects.select_related("report")
            .filter(pk=match_id, complaint=complaint)
            .first()
        )
        if match is None:
            raise ValidationError(_("This report is not linked to the complaint."))
        reference = match.report.reference
        match.delete()
        audit_record(actor=actor, verb=verbs.UPDATE, target=complaint, data={"unlinked": reference})


def complaint_propose_decision(
    *,
    complaint: Complaint,
    decision: str,
    ground: str,
    facts: str,
    automated_detection: bool | None,
    redress: str,
    actor: Any,
) -> Approval:
    """Propose upholding, rejecting or declaring the complaint inadmissible, with its statement
    of reasons; a supervisor other than the proposer decides (``approval_decide``)."""
    if decision not in ("uphold", "reject", "inadmissible"):
        raise ValidationError({"decision": _("Choose a decision.")})
    return case_transition(  # type: ignore[return-value]
        case=complaint,
        transition=decision,
        actor=actor,
        data={
            "decision": decision,
            "ground": ground,
            "facts": facts,
            "automated_detection": automated_detection,
            "redress": redress,
        },
    )


# --- the effects of an upheld complaint ------------------------------------------------------


def complaint_item_ids(matches: list[ComplaintMatch]) -> dict[int, list[str]]:
    """The company's item ids concerned, per report (a reviewer's link: all of its items)."""
    whole = [m.report_id for m in matches if m.item_id is None]
    by_report: dict[int, list[str]] = {m.report_id: [] for m in matches}
    for m in matches:
        if m.item_id is not None and m.item.provider_item_id:
            by_report[m.report_id].append(m.item.provider_item_id)
    for report_id, item_id in ReportedItem.objects.filter(report_id__in=whole).values_list(
        "report_id", "provider_item_id"
    ):
        if item_id:
            by_report[report_id].append(item_id)
    return by_report


def complaint_indicator_ids(matches: list[ComplaintMatch]) -> list[int]:
    """The indicators that caused a match of the complaint's items."""
    condition = Q(pk__in=[])
    items = [m.item_id for m in matches if m.item_id is not None]
    whole = [m.report_id for m in matches if m.item_id is None]
    if items:
        condition |= Q(item_id__in=items)
    if whole:
        condition |= Q(item__report_id__in=whole)
    return sorted(
        set(IndicatorMatch.objects.filter(condition).values_list("indicator_id", flat=True))
    )


def complaint_upheld_effects(*, complaint: Complaint, actor: Any) -> dict[str, Any]:
    """Inside the approval's transaction: the reinstatement notice to the company, a correction
    to every law-enforcement recipient of the matched reports, and for each indicator behind
    the match one more disputed match and, if active, quarantine. Any failure undoes it all."""
    from ..selectors import active_hold_until

    matches = list(complaint.matches.select_related("report", "item"))
    reports = {m.report_id: m.report for m in matches}
    item_ids = complaint_item_ids(matches)
    holds = [h for r in reports.values() if (h := active_hold_until(r, fresh=True))]
    reinstatement = notice_send(
        organisation=complaint.provider.organisation,
        type=NOTICE_REINSTATEMENT,
        subject=complaint,
        subject_reference=complaint.reference,
        text=_(
            "The centre upheld a complaint about content it had reported or matched: please "
            "restore it and confirm when done. Reasons: %(facts)s"
        )
        % {"facts": complaint.facts},
        items=sorted({i for ids in item_ids.values() for i in ids}),
        data={
            "complaint": complaint.reference,
            "reports": sorted(r.reference for r in reports.values()),
            "ground": complaint.ground,
            "automated_detection": complaint.automated_detection,
        },
        actor=actor,
        visible_from=max(holds) if holds else None,
    )
    corrections = []
    forwardings = Forwarding.objects.filter(report_id__in=list(reports)).select_related(
        "recipient", "report"
    )
    for forwarding in forwardings.order_by("report_id", "recipient_id"):
        notice = notice_send(
            organisation=forwarding.recipient,
            type=NOTICE_CORRECTION,
            subject=forwarding.report,
            subject_reference=forwarding.report.reference,
            text=_(
                "Correction: the centre upheld complaint %(complaint)s about report %(report)s, "
                "forwarded to you on %(sent)s. The content concerned is not child sexual abuse "
                "material as reported. Reasons: %(facts)s"
            )
            % {
                "complaint": complaint.reference,
                "report": forwarding.report.reference,
                "sent": forwarding.sent_at.date().isoformat(),
                "facts": complaint.facts,
            },
            items=item_ids.get(forwarding.report_id, []),
            data={"complaint": complaint.reference, "forwarding": forwarding.pk},
            actor=actor,
        )
        corrections.append(notice.pk)
    indicator_ids = complaint_indicator_ids(matches)
    Indicator.objects.filter(pk__in=indicator_ids).update(
        disputed_matches=F("disputed_matches") + 1
    )
    quarantined = []
    by = actor if has_capability(actor, "indicators_verify") else QUARANTINE_ACTOR
    for indicator in Indicator.objects.filter(pk__in=indicator_ids, status=Indicator.Status.ACTIVE):
        case_transition(
            case=indicator,
            transition="quarantine",
            actor=by,
            reason=_("Complaint %s upheld: the indicator matched content it should not have.")
            % complaint.reference,
        )
        quarantined.append(indicator.pk)
    effects = {
        "reinstatement": reinstatement.pk,
        "corrections": corrections,
        "disputed_indicators": indicator_ids,
        "quarantined": quarantined,
    }
    audit_record(actor=actor, verb=verbs.UPDATE, target=complaint, data={"upheld": effects})
    return effects


# --- notices ---------------------------------------------------------------------------------


def reinstatement_confirmed(*, notice: Notice, actor: Any, done_at: datetime) -> None:
    """The company confirmed the reinstatement (``notice_confirm``): recorded on the complaint."""
    complaint = Complaint.objects.filter(pk=notice.object_id).first()
    if complaint is not None:
        audit_record(
            actor=actor,
            verb=verbs.UPDATE,
            target=complaint,
            data={"notice": notice.pk, "reinstated_at": done_at.isoformat()},
        )


def correction_acknowledge(*, notice: Notice, actor: Any) -> Notice:
    """A law-enforcement recipient acknowledges a correction addressed to its organisation."""
    if (
        notice.type != NOTICE_CORRECTION
        or not has_capability(actor, "reports_acknowledge")
        or actor.organisation_id is None
        or notice.organisation_id != actor.organisation_id
    ):
        raise access_refused(
            actor=actor,
            why="correction acknowledgement not permitted",
            message=_("This correction is not addressed to your organisation."),
            target=notice,
        )
    return notice_acknowledge(notice=notice, actor=actor)


def reinstatement_reminders_send(*, now: datetime | None = None) -> int:
    """Mark the reinstatement notices still unconfirmed ``REINSTATEMENT_REMINDER_DAYS`` after
    they were released: the company sees ``data.reminded_at`` in its inbox, the caseworkers see
    them on their dashboard. Each is reminded once; returns how many were."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=app_settings.REINSTATEMENT_REMINDER_DAYS)
    due = Notice.objects.filter(
        type=NOTICE_REINSTATEMENT, confirmed_at__isnull=True, visible_from__lte=cutoff
    ).exclude(data__has_key="reminded_at")
    count = 0
    for pk in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            notice = Notice.objects.select_for_update().filter(pk=pk).first()
            if notice is None or notice.confirmed_at or "reminded_at" in notice.data:
                continue
            notice.data = {**notice.data, "reminded_at": now.isoformat()}
            notice.save(update_fields=["data"])
            audit_record(
                actor=None,
                verb=verbs.UPDATE,
                target=notice,
                data={"reminder": True, "notice_type": NOTICE_REINSTATEMENT},
            )
            count += 1
    return count
