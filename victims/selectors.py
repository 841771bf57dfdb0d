"""Who sees which victim cases, and what of a case: one decision for page, PDF and (later) API.

Rows: the lead and the auditor (``victims_view_all``) see every case; an officer
(``victims_view_assigned``) sees only the cases assigned to them, in the same query. Any other
role sees none, and a case out of scope is a 404 like a missing one.

Fields: the person's data (name, contact, date of birth, representative) and the notes of
assistance records are shown only to those who work the case (``victims_casework``). The auditor
reads the case, its consent, its assistance and its full audit excerpt, but not who the person
is: reviewing how a case was handled does not need it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from securityunion.access.policy import has_capability, visible
from securityunion.audit import verbs
from securityunion.audit.services import object_timeline
from securityunion.casework.services import approvals_for
from securityunion.casework.visibility import (
    APPROVALS,
    AUDIT_EXCERPT,
    SUMMARY,
    TIMELINE,
    CaseView,
    Section,
    case_view,
)

from .effects import PERSONAL_FIELDS
from .models import AssistanceRecord, VictimCase

PERSONAL = "personal"
ASSISTANCE = "assistance"

SEE_ALL = ("victims_view_all",)
SEE_ASSIGNED = "victims_view_assigned"
WORK = "victims_casework"

SUMMARY_FIELDS = frozenset(
    {"status", "country", "assignee", "created_at", "consent_scope", "consent_given_on"}
    | {"consent_withdrawn_at"}
)
ASSISTANCE_FIELDS = frozenset({"kind", "counterpart", "happened_on", "recorded_by"})


def assigned_to_me(user: Any) -> Q:
    """The scope rule of an officer: the cases assigned to them."""
    return Q(assignee=user)


def victim_cases_visible_to(user: Any) -> QuerySet[VictimCase]:
    return visible(VictimCase.objects.select_related("country", "assignee"), user)


def sees_personal_data(user: Any) -> bool:
    return has_capability(user, WORK)


def victim_case_view(user: Any, case: VictimCase) -> CaseView:
    """What ``user`` (who fetched ``case`` through the scope) sees of it."""
    personal = sees_personal_data(user)
    assistance = AssistanceRecord.objects.filter(case=case).select_related("recorded_by")
    sections = [
        Section(SUMMARY, fields=SUMMARY_FIELDS),
        Section(
            ASSISTANCE,
            rows=assistance,
            fields=ASSISTANCE_FIELDS | {"note"} if personal else ASSISTANCE_FIELDS,
        ),
        Section(TIMELINE, rows=object_timeline(case).exclude(verb=verbs.VIEW)),
        Section(APPROVALS, rows=approvals_for(case)),
    ]
    if personal:
        sections.append(Section(PERSONAL, fields=frozenset(PERSONAL_FIELDS)))
    if has_capability(user, "audit_view_log") or has_capability(user, "victims_view_all"):
        sections.append(Section(AUDIT_EXCERPT, rows=object_timeline(case)))
    return case_view(case, "centre" if personal else "reader", sections)


def officers_for_assignment() -> QuerySet:
    """Who a case may be assigned to: active people who work victim cases."""
    from securityunion.access.policy import users_with_capability

    return users_with_capability(WORK).order_by("username")
