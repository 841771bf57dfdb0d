"""Every write of the reports area, by sub-domain; the names are re-exported here so that
``from reports.services import ...`` keeps working.

- ``intake``: companies' reports (API, batch), matching against the indicator lists
- ``assessment``: the decisions on a report (forward, unfounded, duplicate) and assignment
- ``law_enforcement``: acknowledgement of and feedback on forwardings
- ``holds``: legal holds (their reminders are a scheduled job in ``reports.tasks``)
- ``indicators``: indicator imports and the indicator lifecycle
- ``complaints``: the public complaint form and status look-up, matching, the four-eyes
  decision and what an upheld complaint does, reinstatement notices and corrections
  (imported from ``reports.services.complaints``)

Reads (forwarding candidates, active holds, a recipient's forwarding) are in
``reports.selectors``; the names below that point there stay for existing callers.
"""

from ..selectors import active_hold_until, forwarding_candidates, forwarding_to
from .assessment import (
    report_mark_duplicate,
    report_propose_forward,
    report_propose_unfounded,
    reports_assign,
    reports_take,
)
from .holds import legal_hold_lift, legal_hold_place
from .indicators import (
    INDICATOR_COLUMNS,
    ImportResult,
    indicator_import_request,
    indicator_import_run,
    indicator_imports_time_out,
    indicator_set_status,
    indicators_import,
)
from .intake import IntakeResult, provider_for, reports_intake
from .law_enforcement import forwarding_acknowledge, forwarding_feedback

__all__ = [
    "INDICATOR_COLUMNS",
    "ImportResult",
    "IntakeResult",
    "active_hold_until",
    "forwarding_acknowledge",
    "forwarding_candidates",
    "forwarding_feedback",
    "forwarding_to",
    "indicator_import_request",
    "indicator_import_run",
    "indicator_imports_time_out",
    "indicator_set_status",
    "indicators_import",
    "legal_hold_lift",
    "legal_hold_place",
    "provider_for",
    "report_mark_duplicate",
    "report_propose_forward",
    "report_propose_unfounded",
    "reports_assign",
    "reports_intake",
    "reports_take",
]
