"""Capabilities of the prevention network.

Granted to roles in the one role matrix (``securityunion/access/roles.py``) and created by this
app's migrations (``create_capabilities``); checked with ``has_capability(user, codename)``.
"""

from django.utils.translation import gettext_lazy as _

CAPABILITIES: tuple[tuple[str, str], ...] = (
    ("prevention_view_all", _("See the whole prevention network")),
    ("prevention_view_published", _("See published network content and own submissions")),
    ("prevention_submit", _("Submit programmes, research and materials")),
    ("prevention_approve", _("Approve members and publications")),
    ("prevention_assess_evidence", _("Assess the evidence of programmes")),
)
