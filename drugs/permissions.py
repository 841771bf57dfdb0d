"""Capabilities of the drugs agenda and action plan.

Granted to roles in the one role matrix (``securityunion/access/roles.py``) and created by this
app's migrations (``create_capabilities``); checked with ``has_capability(user, codename)``.
"""

from django.utils.translation import gettext_lazy as _

CAPABILITIES: tuple[tuple[str, str], ...] = (
    ("drugs_view_all", _("See the whole drugs action plan")),
    ("drugs_view_own", _("See actions of one's organisation and indicators of one's country")),
    ("drugs_manage", _("Manage priorities, actions and indicators")),
    ("drugs_review_updates", _("Review progress updates")),
    ("drugs_report_progress", _("Give progress updates and measurements")),
)
