"""User-aware reads of the reports area. The scopes are registered in ``apps.py``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from securityunion.access.policy import visible
from securityunion.accounts.models import Country, Organisation

from .conf import app_settings
from .models import Forwarding, Indicator, IndicatorImport, ProviderReport, ReportedItem


def forwarding_candidates(report: ProviderReport) -> list[Organisation]:
    """Europol, and the law-enforcement authorities of the report's candidate countries."""
    countries = list(report.candidate_countries.values_list("pk", flat=True))
    if report.country_id and report.country_id not in countries:
        countries.append(report.country_id)
    return list(
        Organisation.objects.filter(
            Q(slug=app_settings.EUROPOL_ORGANISATION_SLUG)
            | Q(type=Organisation.Type.LAW_ENFORCEMENT, country__in=countries)
        ).order_by("name")
    )


def forwarding_to(report: ProviderReport, actor: Any) -> Forwarding:
    """The forwarding of ``report`` to the actor's organisation."""
    forwarding = report.forwardings.filter(recipient_id=actor.organisation_id).first()
    if forwarding is None:
        raise PermissionDenied(_("This report was not forwarded to your organisation."))
    return forwarding


def active_hold_until(report: ProviderReport, *, fresh: bool = False) -> datetime | None:
    """When the report's last active legal hold ends (None without one).

    Reads ``report.holds.all()``, so a list that prefetched the holds pays no query per row;
    ``fresh`` reads the database instead, for a service that has just placed or lifted one.
    """
    from .models import LegalHold

    now = timezone.now()
    holds = LegalHold.objects.filter(report=report) if fresh else report.holds.all()
    ends = [h.expires_at for h in holds if h.lifted_at is None and h.expires_at > now]
    return max(ends) if ends else None


def forwarded_notice_window_end(report: ProviderReport, *, fresh: bool = False) -> datetime | None:
    """Until when the receiving authorities may still place a legal hold before the company is
    told the report was forwarded (``FORWARDED_NOTICE_DELAY_HOURS`` after the first forwarding);
    None once that has passed, without a forwarding, or with no window configured.

    Reads ``report.forwardings.all()`` (a list that prefetched them pays no query per row);
    ``fresh`` reads the database, for the forwarding effect that has just created them.
    """
    hours = app_settings.FORWARDED_NOTICE_DELAY_HOURS
    if hours <= 0:
        return None
    forwardings = Forwarding.objects.filter(report=report) if fresh else report.forwardings.all()
    sent = [f.sent_at for f in forwardings]
    if not sent:
        return None
    end = min(sent) + timedelta(hours=hours)
    return end if end > timezone.now() else None


def company_told_from(report: ProviderReport, *, fresh: bool = False) -> datetime | None:
    """Until when the company is told nothing of the report's outcome: the end of its last
    active legal hold or of the window after forwarding, whichever is later (None: now).

    The one rule behind the notices' ``visible_from`` and the status the company's API shows.
    """
    ends = [
        end
        for end in (
            active_hold_until(report, fresh=fresh),
            forwarded_notice_window_end(report, fresh=fresh),
        )
        if end is not None
    ]
    return max(ends) if ends else None


def _forwarded_to_my_organisation(user: Any) -> Q:
    organisation = user.organisation
    if organisation is not None and organisation.slug == app_settings.EUROPOL_ORGANISATION_SLUG:
        return Q(Exists(Forwarding.objects.filter(report=OuterRef("pk"))))
    return Q(
        Exists(Forwarding.objects.filter(report=OuterRef("pk"), recipient_id=user.organisation_id))
    )


def _my_companys_reports(user: Any) -> Q:
    return Q(provider__organisation_id=user.organisation_id) if user.organisation_id else Q(pk=None)


def reports_visible_to(user: Any) -> QuerySet[ProviderReport]:
    return visible(ProviderReport.objects.all(), user)


def report_queue(user: Any) -> QuerySet[ProviderReport]:
    """The queue: urgent first, then the oldest."""
    return (
        reports_visible_to(user)
        .select_related("provider__organisation", "assignee", "country")
        .order_by("-urgent", "created_at", "id")
    )


def countries_in_queue_of(user: Any) -> list[Country]:
    """The countries the user's own reports are about (their country or a candidate country):
    Member States first, then the others, by name. Nothing outside the user's scope.

    Whoever sees every report gets the countries by walking the two country indexes (one step
    per distinct country, however many reports there are); anyone else by their own reports.
    """
    if has_capability(user, "reports_view_all"):
        codes = _distinct_indexed_values(
            (ProviderReport._meta.db_table, "country_id"),
            (ProviderReport.candidate_countries.through._meta.db_table, "country_id"),
        )
        return list(Country.objects.filter(code__in=codes).order_by("-eu_member", "name"))
    reports = reports_visible_to(user)
    candidates = ProviderReport.candidate_countries.through.objects.filter(
        providerreport__in=reports.values("pk")
    )
    return list(
        Country.objects.filter(
            Q(code__in=reports.values("country_id")) | Q(code__in=candidates.values("country_id"))
        ).order_by("-eu_member", "name")
    )


# Quoted table and column names from model metadata are put in; never user input.
_SKIP_SCAN = (
    "WITH RECURSIVE walk(v) AS (SELECT min({column}) FROM {table} UNION ALL "
    "SELECT (SELECT min({column}) FROM {table} WHERE {column} > walk.v) FROM walk "
    "WHERE walk.v IS NOT NULL) SELECT v FROM walk WHERE v IS NOT NULL"
)


def _distinct_indexed_values(*columns: tuple[str, str]) -> set[str]:
    """The distinct values of indexed ``(table, column)`` pairs by a skip scan: each step asks
    the index for the next larger value (``min(...) > previous``), so the cost follows the
    number of distinct values, not of rows. Table and column names come from model metadata."""
    values: set[str] = set()
    with connection.cursor() as cursor:
        for table, column in columns:
            t, c = connection.ops.quote_name(table), connection.ops.quote_name(column)
            sql = _SKIP_SCAN.format(column=c, table=t)
            cursor.execute(sql)
            values.update(row[0] for row in cursor.fetchall())
    return values


def reports_forwarded_to_my_organisation(user: Any) -> QuerySet[ProviderReport]:
    """Law enforcement's own list: the reports forwarded to the user's organisation (Europol's
    list too holds only what was forwarded to Europol), newest forwarding first.

    Each row carries its own organisation's forwarding (``our_forwarded_at``,
    ``our_acknowledged_at``, ``our_feedback``) through one join on the (report, recipient)
    unique pair, and ``own_holds``: the organisation's legal holds on it, prefetched once per
    page. Nothing of another recipient is read.
    """
    from .models import LegalHold

    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return ProviderReport.objects.none()
    return (
        visible(ProviderReport.objects.all(), user, "reports_view_forwarded")
        .annotate(
            ours=FilteredRelation(
                "forwardings", condition=Q(forwardings__recipient_id=organisation_id)
            )
        )
        .filter(ours__id__isnull=False)
        .annotate(
            our_forwarded_at=F("ours__sent_at"),
            our_acknowledged_at=F("ours__acknowledged_at"),
            our_feedback=F("ours__feedback"),
            our_feedback_at=F("ours__feedback_at"),
        )
        .prefetch_related(
            Prefetch(
                "holds",
                queryset=LegalHold.objects.filter(organisation_id=organisation_id).order_by(
                    "-expires_at"
                ),
                to_attr="own_holds",
            )
        )
        .order_by("-our_forwarded_at", "-id")
    )


def with_active_hold_of(organisation_id: int | None) -> Q:
    """Reports on which ``organisation_id`` has a legal hold in force now."""
    from .models import LegalHold

    return Q(
        Exists(
            LegalHold.objects.filter(
                report=OuterRef("pk"),
                organisation_id=organisation_id,
                lifted_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
        )
    )


def earlier_reports_of(report: ProviderReport, user: Any, limit: int = 50) -> list[ProviderReport]:
    """Other reports (visible to the user) that carried one of this report's items before."""
    condition = Q()
    for item in report.items.all():
        for name in ("md5", "sha1", "sha256", "pdq", "photodna_sha256", "url_sha256"):
            value = getattr(item, name)
            if value:
                condition |= Q(**{name: value})
    if not condition:
        return []
    items = ReportedItem.objects.filter(condition).exclude(report=report).values("report_id")
    return list(
        reports_visible_to(user)
        .filter(pk__in=items, created_at__lte=report.created_at)
        .order_by("-created_at")[:limit]
    )


def indicators_visible_to(user: Any) -> QuerySet[Indicator]:
    return visible(Indicator.objects.all(), user)


# --- what a role sees of a report ------------------------------------------------------------
#
# One decision per (user, report), rendered by the report page, the PDF case file and the
# company API (``securityunion.casework.visibility``):
#
# - The centre (``reports_view_all``: caseworkers, supervisors) and auditors see every section:
#   every forwarding with its feedback, every legal hold with its legal ground, the notices to
#   the company, the four-eyes proposals, the timeline and the audit excerpt (reads included).
# - Law enforcement (``reports_view_forwarded``; Europol too) sees the report's content (summary
#   without the centre's assignee and target time, items, earlier reports it may see), its own
#   organisation's forwarding, feedback and legal holds, and nothing of another recipient.
#   The reported user's identifiers only where the report was forwarded to its organisation.
#   No notices to the company, no proposals (the centre's deliberation names the other
#   recipients), no audit excerpt. Its timeline holds:
#   the report's intake, the status changes (transition, from, to: without the centre's
#   reasons and the recipients' list), and the events about its own forwarding and its own
#   holds. Every other event (other recipients' acknowledgements, feedback and holds, notices,
#   proposals, assignments, reads, exports) is left out.
# - The company (``reports_submit``) sees its report as the API shows it: during an active
#   legal hold, and during the window after forwarding (``company_told_from``), a decided
#   report shows as in assessment and without its outcome.

# Imported here, not at the top, to keep this section self-contained.
from securityunion.access.policy import has_capability  # noqa: E402
from securityunion.audit import verbs  # noqa: E402
from securityunion.audit.services import object_timeline  # noqa: E402
from securityunion.casework.notices import notices_about  # noqa: E402
from securityunion.casework.services import approvals_for  # noqa: E402
from securityunion.casework.visibility import (  # noqa: E402
    APPROVALS,
    AUDIT_EXCERPT,
    EARLIER,
    FORWARDINGS,
    HOLDS,
    ITEMS,
    NOTICES,
    OUTCOME,
    REPORTED_USER,
    SUMMARY,
    TIMELINE,
    CaseView,
    Section,
    case_view,
)

from .models import LegalHold  # noqa: E402
from .workflow import DECIDED as _DECIDED  # noqa: E402
from .workflow import ReportStatus as _ReportStatus  # noqa: E402

# The statuses whose outcome the company sees (unless a legal hold withholds it).
COMPANY_DECIDED = (*_DECIDED, _ReportStatus.CLOSED)

_LAW_ENFORCEMENT_TIMELINE_KEYS = frozenset(
    {
        "via",
        "items",
        "known",
        "urgent",
        "transition",
        "from",
        "to",
        "forwarding",
        "acknowledged",
        "feedback",
        "legal_hold",
        "lifted",
        "expires_at",
        "reminder",
    }
)
# The facts of a report's summary, by name; the page and the PDF case file show each one the
# user's summary section shows (``case_view.summary.shows.<name>``).
REPORT_SUMMARY_FIELDS = frozenset(
    {
        "company",
        "provider_reference",
        "received",
        "target",
        "abuse_type",
        "incident",
        "service",
        "urgency",
        "candidate_countries",
        "assignee",
        "decided",
        "outcome",
        "duplicate_of",
        "notes",
    }
)
# The centre's own working data (who works on it, by when) is not law enforcement's.
_LAW_ENFORCEMENT_SUMMARY_FIELDS = REPORT_SUMMARY_FIELDS - {"assignee", "target"}
_COMPANY_SUMMARY_FIELDS = frozenset(
    {"reference", "provider_reference", "status", "received_at", "abuse_type", "urgent"}
)
_COMPANY_ITEM_FIELDS = frozenset({"provider_item_id", "kind", "known"})


def report_case_view(user: Any, report: ProviderReport) -> CaseView:
    """What ``user`` sees of ``report`` (which they fetched through ``reports_visible_to``)."""
    if has_capability(user, "reports_view_all"):
        return _centre_view(user, report)
    if has_capability(user, "reports_view_forwarded"):
        return _law_enforcement_view(user, report)
    if has_capability(user, "reports_submit"):
        return company_report_view(report, hold_until=company_told_from(report))
    return case_view(report, "none", [])


def _subjects(forwardings: list[Forwarding], holds: list[LegalHold]) -> dict[str, dict]:
    return {
        "forwarding": {f.pk: str(f.recipient) for f in forwardings},
        "legal_hold": {h.pk: str(h.organisation) for h in holds},
    }


def _centre_view(user: Any, report: ProviderReport) -> CaseView:
    forwardings = list(report.forwardings.select_related("recipient", "acknowledged_by"))
    holds = list(report.holds.select_related("organisation", "placed_by"))
    timeline = object_timeline(report)
    return case_view(
        report,
        "auditor" if has_capability(user, "audit_view_log") else "centre",
        [
            Section(SUMMARY),
            Section(REPORTED_USER),
            Section(ITEMS, rows=report.items.all()),
            Section(EARLIER, rows=earlier_reports_of(report, user)),
            Section(FORWARDINGS, rows=forwardings),
            Section(HOLDS, rows=holds),
            Section(NOTICES, rows=notices_about(report)),
            Section(APPROVALS, rows=approvals_for(report)),
            Section(TIMELINE, rows=timeline.exclude(verb=verbs.VIEW)),
            Section(AUDIT_EXCERPT, rows=timeline),
        ],
        _subjects(forwardings, holds),
    )


def _law_enforcement_view(user: Any, report: ProviderReport) -> CaseView:
    organisation_id = user.organisation_id
    forwardings = [
        f
        for f in report.forwardings.select_related("recipient", "acknowledged_by")
        if organisation_id is not None and f.recipient_id == organisation_id
    ]
    holds = [
        h
        for h in report.holds.select_related("organisation", "placed_by")
        if organisation_id is not None and h.organisation_id == organisation_id
    ]
    about_own = Q(data__forwarding__in=[f.pk for f in forwardings] or [0]) | Q(
        data__legal_hold__in=[h.pk for h in holds] or [0]
    )
    intake = Q(verb=verbs.CREATE) & ~Q(data__has_key="legal_hold") & ~Q(data__has_key="notice")
    status_change = Q(verb=verbs.TRANSITION, data__has_key="transition")
    sections = [
        Section(SUMMARY, fields=_LAW_ENFORCEMENT_SUMMARY_FIELDS),
        Section(ITEMS, rows=report.items.all()),
        Section(EARLIER, rows=earlier_reports_of(report, user)),
        Section(FORWARDINGS, rows=forwardings),
        Section(HOLDS, rows=holds),
        Section(
            TIMELINE,
            rows=object_timeline(report).filter(intake | status_change | about_own),
            fields=_LAW_ENFORCEMENT_TIMELINE_KEYS,
        ),
    ]
    if forwardings:
        sections.append(Section(REPORTED_USER))
    sections.append(
        Section(
            "corrections",
            rows=_own_corrections(report, organisation_id),
            data={"can_acknowledge": has_capability(user, "reports_acknowledge")},
        )
    )
    return case_view(report, "law_enforcement", sections, _subjects(forwardings, holds))


def _own_corrections(report: ProviderReport, organisation_id: Any) -> list:
    """Corrections about ``report`` addressed to this law-enforcement organisation."""
    if organisation_id is None:
        return []
    return [
        n
        for n in notices_about(report).filter(organisation_id=organisation_id).released()
        if n.type == "correction"
    ]


def company_report_view(report: ProviderReport, *, hold_until: Any = None) -> CaseView:
    """What the company sees of its report; until ``hold_until`` (``company_told_from``: a
    legal hold, or the window after forwarding) the decision is withheld.

    Reads ``intake_items`` / ``intake_countries`` when intake left them on the report, so a
    freshly stored report costs no query.
    """
    held = hold_until is not None
    decided = report.status in COMPANY_DECIDED
    status_value = report.status
    if held and decided:
        status_value = ProviderReport.Status.IN_ASSESSMENT
    countries = getattr(report, "intake_countries", None) or sorted(
        c.pk for c in report.candidate_countries.all()
    )
    sections = [
        Section(
            SUMMARY,
            fields=_COMPANY_SUMMARY_FIELDS | {"countries"},
            data={"status": status_value, "countries": countries},
        ),
        Section(
            ITEMS,
            rows=getattr(report, "intake_items", None) or report.items.all(),
            fields=_COMPANY_ITEM_FIELDS,
        ),
    ]
    if not held and decided and report.decided_at:
        sections.append(Section(OUTCOME))
    return case_view(report, "company", sections)


def indicator_imports_of(user: Any) -> QuerySet[IndicatorImport]:
    """The indicator imports a user may see: their own, nobody else's (the file text never)."""
    return IndicatorImport.objects.filter(requested_by=user).defer("sealed_text")


# --- complaints ------------------------------------------------------------------------------
#
# The centre (caseworkers, supervisors: ``complaints_review``) and auditors (``reports_view_all``)
# see complaints, every section of them; nobody else sees any (the scope registered in
# ``apps.py``): law enforcement never sees a complaint or the complainant's data, a company
# only the notices addressed to it. Law enforcement sees the corrections addressed to its own
# organisation on the report's page (section ``corrections``) and in its list of corrections.

from securityunion.casework.models import Notice  # noqa: E402

from .complaints import COMPLAINT_DECIDED, Complaint, ComplaintMatch  # noqa: E402

COMPLAINANT = "complainant"
MATCHES = "matches"
CORRECTIONS = "corrections"
SEE_COMPLAINTS = ("complaints_review", "reports_view_all")


def _see_complaints(user: Any) -> bool:
    return any(has_capability(user, c) for c in SEE_COMPLAINTS)


def complaints_visible_to(user: Any) -> QuerySet[Complaint]:
    return visible(Complaint.objects.all(), user)


def complaint_queue(user: Any) -> QuerySet[Complaint]:
    """Undecided complaints first, the nearest decision deadline first."""
    return (
        complaints_visible_to(user)
        .select_related("provider__organisation", "assignee")
        .order_by("due_at", "created_at", "id")
    )


def complaints_due(user: Any) -> QuerySet[Complaint]:
    """Complaints still waiting for a decision, nearest deadline first."""
    return complaint_queue(user).exclude(status__in=(*COMPLAINT_DECIDED, "closed"))


def complaint_matches(complaint: Complaint) -> list[ComplaintMatch]:
    """The matched reports with their forwardings and the indicators behind each match."""
    from .models import IndicatorMatch

    matches = list(
        complaint.matches.select_related("report", "item", "linked_by").prefetch_related(
            Prefetch("report__forwardings", queryset=Forwarding.objects.select_related("recipient"))
        )
    )
    items = [m.item_id for m in matches if m.item_id]
    whole = [m.report_id for m in matches if m.item_id is None]
    found = IndicatorMatch.objects.filter(
        Q(item_id__in=items or [0]) | Q(item__report_id__in=whole or [0])
    ).select_related("indicator", "item")
    for match in matches:
        match.indicators = sorted(
            {
                im.indicator
                for im in found
                if (match.item_id and im.item_id == match.item_id)
                or (match.item_id is None and im.item.report_id == match.report_id)
            },
            key=lambda i: i.pk,
        )
    return matches


def _corrections_of(complaint: Complaint) -> QuerySet[Notice]:
    """The corrections an upheld complaint sent to law enforcement."""
    from .services.complaints import NOTICE_CORRECTION

    return (
        Notice.objects.filter(type=NOTICE_CORRECTION, data__complaint=complaint.reference)
        .select_related("organisation")
        .order_by("id")
    )


def complaint_case_view(user: Any, complaint: Complaint) -> CaseView:
    """What ``user`` sees of ``complaint``: the centre and auditors everything, others nothing."""
    if not _see_complaints(user):
        return case_view(complaint, "none", [])
    timeline = object_timeline(complaint)
    return case_view(
        complaint,
        "auditor" if has_capability(user, "audit_view_log") else "centre",
        [
            Section(SUMMARY),
            Section(COMPLAINANT),
            Section(MATCHES, rows=complaint_matches(complaint)),
            Section(NOTICES, rows=notices_about(complaint)),
            Section(CORRECTIONS, rows=_corrections_of(complaint)),
            Section(OUTCOME),
            Section(APPROVALS, rows=approvals_for(complaint)),
            Section(TIMELINE, rows=timeline.exclude(verb=verbs.VIEW)),
            Section(AUDIT_EXCERPT, rows=timeline),
        ],
    )


def corrections_for(user: Any) -> QuerySet[Notice]:
    """The corrections addressed to the user's law-enforcement organisation, newest first."""
    from .services.complaints import NOTICE_CORRECTION

    if not has_capability(user, "reports_view_forwarded") or not user.organisation_id:
        return Notice.objects.none()
    return (
        Notice.objects.released()
        .filter(type=NOTICE_CORRECTION, organisation_id=user.organisation_id)
        .order_by("acknowledged_at", "-id")
    )


def reinstatements_unconfirmed(user: Any) -> QuerySet[Notice]:
    """Reinstatement notices the companies have not confirmed after the reminder time."""
    from datetime import timedelta

    from .services.complaints import NOTICE_REINSTATEMENT

    if not has_capability(user, "complaints_review"):
        return Notice.objects.none()
    cutoff = timezone.now() - timedelta(days=app_settings.REINSTATEMENT_REMINDER_DAYS)
    return (
        Notice.objects.filter(
            type=NOTICE_REINSTATEMENT, confirmed_at__isnull=True, visible_from__lte=cutoff
        )
        .select_related("organisation")
        .order_by("visible_from", "id")
    )
