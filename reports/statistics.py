"""The reports area's transparency statistics: the figure sections it registers.

Every figure comes from an immutable event time, so a past period gives the same answer
whenever it is computed:

- a report is *received* at its ``created_at``, with the company, abuse type, urgency and
  known/new (an item matched an active indicator) it arrived with;
- a *decision* (forwarded, manifestly unfounded, duplicate) and an *information request* is
  the audit log's transition event (``verb=transition``, ``data.transition``, ``data.from``,
  ``data.to``, written by ``case_transition``) at its time; times run from the report's
  ``created_at`` to that event. A decision counts in the period it was taken in, whenever the
  report came in; what happens to the report after (closing it) changes nothing;
- a *notice* is counted when sent (``created_at``), its answer and confirmation when they
  arrived (``responded_at``, ``confirmed_at``).

Each section costs a fixed number of queries whatever the number of companies or months.
Reports deleted by the retention rule (manifestly unfounded, after two years) leave their
decision events in the log, but no longer count as received and have no decision time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from securityunion.audit import verbs
from securityunion.audit.models import AuditEvent
from securityunion.casework.models import Notice
from securityunion.casework.registry import notice_types
from securityunion.casework.statistics import (
    DURATION,
    Breakdown,
    Figure,
    Period,
    Row,
    SectionFigures,
    Trend,
    duration_percentiles,
    register_statistics_section,
)

from .models import AbuseType, ProviderReport
from .workflow import DECIDED, ReportStatus

OUTCOMES = tuple(str(s) for s in DECIDED)


def _in(period: Period, field: str) -> dict[str, datetime]:
    return {f"{field}__gte": period.start, f"{field}__lt": period.end}


def _month_key(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m")


def case_transitions(model: type[Model]) -> QuerySet[AuditEvent]:
    """The transition events of ``model``'s cases (``case_transition`` writes ``transition``,
    ``from`` and ``to``; proposals and send-backs carry no ``to``)."""
    return AuditEvent.objects.filter(verb=verbs.TRANSITION, object_type=model._meta.label_lower)


def report_transitions() -> QuerySet[AuditEvent]:
    return case_transitions(ProviderReport)


def time_from_receipt(model: type[Model]) -> ExpressionWrapper:
    """On a case's transition events: the time from the case's ``created_at`` (its receipt,
    looked up by the event's object id) to the event."""
    received_at = Subquery(
        model._default_manager.filter(
            pk=Cast(OuterRef("object_id"), output_field=BigIntegerField())
        ).values("created_at")[:1]
    )
    return ExpressionWrapper(F("at") - received_at, output_field=DurationField())


def decision_events(model: type[Model], period: Period, outcomes: tuple[str, ...]) -> QuerySet:
    """``model``'s transitions into one of ``outcomes`` taken in ``period``, annotated with the
    ``outcome`` (a text column: a JSON key compares as JSON on SQLite)."""
    return (
        case_transitions(model)
        .filter(**_in(period, "at"), data__to__in=outcomes)
        .annotate(outcome=Cast(KeyTextTransform("to", "data"), output_field=CharField()))
    )


def _outcome_label(status: str) -> str:
    return str(ReportStatus(status).label)


def reports_figures(period: Period) -> SectionFigures:
    received = (
        ProviderReport.objects.filter(**_in(period, "created_at"))
        .values(
            "provider__organisation__slug",
            "provider__organisation__name",
            "abuse_type",
            "has_known_items",
            "urgent",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    total = 0
    by_company: Counter[tuple[str, str]] = Counter()
    by_type: Counter[str] = Counter()
    known = urgent = 0
    for row in received:
        n = row["n"]
        total += n
        by_company[(row["provider__organisation__slug"], row["provider__organisation__name"])] += n
        by_type[row["abuse_type"]] += n
        known += n if row["has_known_items"] else 0
        urgent += n if row["urgent"] else 0

    events = report_transitions().filter(**_in(period, "at"))
    by_transition: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for row in (
        events.annotate(
            name=KeyTextTransform("transition", "data"), target=KeyTextTransform("to", "data")
        )
        .values("name", "target")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if row["name"]:
            by_transition[row["name"]] += row["n"]
        if row["target"] in OUTCOMES:
            by_outcome[row["target"]] += row["n"]

    decisions = decision_events(ProviderReport, period, OUTCOMES)
    since_receipt = time_from_receipt(ProviderReport)
    overall = duration_percentiles(decisions, since_receipt, (0.5, 0.9))[None]
    per_outcome = duration_percentiles(decisions, since_receipt, (0.5, 0.9), group_by="outcome")
    forwarded = per_outcome.get(str(ReportStatus.FORWARDED), (None, None))

    figures = (
        Figure("received", _("Reports received"), total),
        Figure("received_known", _("of which known material (matched an indicator)"), known),
        Figure("received_new", _("of which new material"), total - known),
        Figure("received_urgent", _("of which urgent"), urgent),
        Figure("decided", _("Decisions taken"), sum(by_outcome.values())),
        *(Figure(f"outcome_{o}", _outcome_label(o), by_outcome.get(o, 0)) for o in OUTCOMES),
        Figure("decided_median", _("Time to decision, median"), overall[0], DURATION),
        Figure("decided_p90", _("Time to decision, 90th percentile"), overall[1], DURATION),
        Figure("forwarded_median", _("Time to forwarding, median"), forwarded[0], DURATION),
        Figure("forwarded_p90", _("Time to forwarding, 90th percentile"), forwarded[1], DURATION),
        Figure(
            "information_requests",
            _("Information requests to companies"),
            by_transition.get("request_information", 0),
        ),
    )
    breakdowns = (
        Breakdown(
            "received_by_company",
            _("Reports received by company"),
            tuple(
                Row(slug, name, n)
                for (slug, name), n in sorted(by_company.items(), key=lambda i: (-i[1], i[0][1]))
            ),
            per_company=True,
            chart="bar",
        ),
        Breakdown(
            "received_by_abuse_type",
            _("Reports received by abuse type"),
            tuple(Row(t.value, str(t.label), by_type.get(t.value, 0)) for t in AbuseType),
        ),
        Breakdown(
            "outcomes",
            _("Outcomes"),
            tuple(Row(o, _outcome_label(o), by_outcome.get(o, 0)) for o in OUTCOMES),
            chart="pie",
        ),
        Breakdown(
            "decision_time_median_by_outcome",
            _("Time to decision by outcome, median"),
            tuple(
                Row(o, _outcome_label(o), per_outcome.get(o, (None, None))[0], DURATION)
                for o in OUTCOMES
            ),
        ),
    )
    return SectionFigures(figures, breakdowns, (_monthly_trend(period),))


def _monthly_trend(period: Period) -> Trend:
    """Reports received and decisions per outcome in each of the 12 months ending with the
    period: two grouped queries."""
    months = period.trailing_months(12)
    span = {"gte": months[0], "lt": period.end}
    received: dict[str, int] = {
        _month_key(r["month"]): r["n"]
        for r in ProviderReport.objects.filter(
            created_at__gte=span["gte"], created_at__lt=span["lt"]
        )
        .annotate(month=TruncMonth("created_at", tzinfo=UTC))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    decided: dict[str, Counter[str]] = defaultdict(Counter)
    for r in (
        report_transitions()
        .filter(at__gte=span["gte"], at__lt=span["lt"], data__to__in=OUTCOMES)
        .annotate(month=TruncMonth("at", tzinfo=UTC), target=KeyTextTransform("to", "data"))
        .values("month", "target")
        .annotate(n=Count("id"))
        .order_by()
    ):
        decided[r["target"]][_month_key(r["month"])] += r["n"]
    labels = tuple(_month_key(m) for m in months)
    series = [(_("Received"), tuple(received.get(m, 0) for m in labels))]
    series += [(_outcome_label(o), tuple(decided[o].get(m, 0) for m in labels)) for o in OUTCOMES]
    return Trend("monthly", _("Reports received and decided per month"), labels, tuple(series))


# --- notices -------------------------------------------------------------------------------


def reports_notices() -> QuerySet[Notice]:
    """The notices about the reports area's records (reports, complaints...), of every type."""
    return Notice.objects.filter(content_type__app_label=ProviderReport._meta.app_label)


def _type_label(code: str) -> str:
    kind = notice_types.get(code)
    return str(kind.label) if kind else code


def notices_figures(period: Period) -> SectionFigures:
    notices = reports_notices()
    sent = dict(
        notices.filter(**_in(period, "created_at"))
        .values("type")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("type", "n")
    )
    confirmed_qs = notices.filter(**_in(period, "confirmed_at"))
    answered_qs = notices.filter(**_in(period, "responded_at"))
    to_confirm = ExpressionWrapper(
        F("confirmed_at") - F("created_at"), output_field=DurationField()
    )
    to_answer = ExpressionWrapper(F("responded_at") - F("created_at"), output_field=DurationField())
    confirm_times = duration_percentiles(confirmed_qs, to_confirm, (0.5,), group_by="type")
    answer_times = duration_percentiles(answered_qs, to_answer, (0.5,), group_by="type")
    confirm_overall = duration_percentiles(confirmed_qs, to_confirm, (0.5,))[None][0]
    confirmed = dict(
        confirmed_qs.values("type").annotate(n=Count("id")).order_by().values_list("type", "n")
    )
    answered = dict(
        answered_qs.values("type").annotate(n=Count("id")).order_by().values_list("type", "n")
    )
    types = sorted(set(sent) | set(confirmed) | set(answered), key=_type_label)
    figures = (
        Figure("sent", _("Notices sent to companies"), sum(sent.values())),
        Figure("answered", _("Answers received"), sum(answered.values())),
        Figure("confirmed", _("Confirmations received"), sum(confirmed.values())),
        Figure("confirmation_median", _("Time to confirmation, median"), confirm_overall, DURATION),
    )
    breakdowns = (
        Breakdown(
            "sent_by_type",
            _("Notices sent by type"),
            tuple(Row(t, _type_label(t), sent.get(t, 0)) for t in types),
        ),
        Breakdown(
            "answered_by_type",
            _("Answers received by type"),
            tuple(Row(t, _type_label(t), answered.get(t, 0)) for t in types),
        ),
        Breakdown(
            "answer_median_by_type",
            _("Time to answer by type, median"),
            tuple(Row(t, _type_label(t), answer_times.get(t, (None,))[0], DURATION) for t in types),
        ),
        Breakdown(
            "confirmed_by_type",
            _("Confirmations received by type"),
            tuple(Row(t, _type_label(t), confirmed.get(t, 0)) for t in types),
        ),
        Breakdown(
            "confirmation_median_by_type",
            _("Time to confirmation by type, median"),
            tuple(
                Row(t, _type_label(t), confirm_times.get(t, (None,))[0], DURATION) for t in types
            ),
        ),
    )
    return SectionFigures(figures, breakdowns)


def complaints_figures(period: Period) -> SectionFigures:
    """Complaints received in the period and the decisions taken in it, from the event log."""
    from .complaints import COMPLAINT_DECIDED, Complaint, ComplaintStatus

    outcomes = tuple(str(s) for s in COMPLAINT_DECIDED)
    decided = decision_events(Complaint, period, outcomes)
    by_outcome = dict(
        decided.values("outcome").annotate(n=Count("id")).order_by().values_list("outcome", "n")
    )
    median = duration_percentiles(decided, time_from_receipt(Complaint), (0.5,))[None][0]

    def label(outcome: str) -> str:
        return str(ComplaintStatus(outcome).label)

    received = Complaint.objects.filter(**_in(period, "created_at")).count()
    figures = (
        Figure("received", _("Complaints received"), received),
        *(Figure(o, label(o), by_outcome.get(o, 0)) for o in outcomes),
        Figure("decision_median", _("Time to decision, median"), median, DURATION),
    )
    breakdowns = (
        Breakdown(
            "outcomes",
            _("Decisions on complaints"),
            tuple(Row(o, label(o), by_outcome.get(o, 0)) for o in outcomes),
            chart="pie",
        ),
    )
    return SectionFigures(figures, breakdowns)


def register_statistics_sections() -> None:
    register_statistics_section(
        "reports",
        title=gettext_lazy("Reports from companies"),
        description=gettext_lazy(
            "Reports received in the period, and the decisions taken in it on any report."
        ),
        compute=reports_figures,
        order=10,
    )
    register_statistics_section(
        "notices",
        title=gettext_lazy("Notices to companies"),
        description=gettext_lazy(
            "Information requests, outcomes and other notices sent in the period, and the "
            "answers and confirmations that arrived in it."
        ),
        compute=notices_figures,
        order=40,
    )
    register_statistics_section(
        "complaints",
        title=gettext_lazy("Complaints about removed or reported content"),
        description=gettext_lazy(
            "Complaints received in the period, and the decisions taken in it on any complaint."
        ),
        compute=complaints_figures,
        order=20,
    )
