"""Capabilities of victim cases.

Granted to roles in the one role matrix (``securityunion/access/roles.py``) and created by this
app's migrations (``create_capabilities``); checked with ``has_capability(user, codename)``.
"""

from django.utils.translation import gettext_lazy as _

CAPABILITIES: tuple[tuple[str, str], ...] = (
    ("victims_view_assigned", _("See victim cases assigned to oneself")),
    ("victims_view_all", _("See all victim cases")),
    ("victims_casework", _("Work on victim cases: removal requests, notices, checks")),
    ("victims_assign", _("Assign officers to victim cases")),
    ("victims_escalate", _("Escalate notices to hosting companies")),
)
