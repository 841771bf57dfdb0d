"""Capabilities of provider reports, complaints, indicators and the companies' API.

Granted to roles in the one role matrix (``securityunion/access/roles.py``) and created by this
app's migrations (``create_capabilities``); checked with ``has_capability(user, codename)``.
"""

from django.utils.translation import gettext_lazy as _

CAPABILITIES: tuple[tuple[str, str], ...] = (
    ("reports_view_all", _("See all provider reports, complaints and indicators")),
    ("reports_assess", _("Assess reports, propose forwarding or 'manifestly unfounded'")),
    ("reports_request_information", _("Request information from a company")),
    ("reports_approve", _("Approve forwarding and unfounded decisions of others")),
    ("reports_assign", _("Assign reports to caseworkers")),
    ("reports_view_forwarded", _("See reports forwarded to one's own organisation")),
    ("reports_acknowledge", _("Acknowledge forwarded reports and give feedback")),
    ("reports_place_legal_hold", _("Place legal holds on forwarded reports")),
    ("complaints_review", _("Review complaints about removed content")),
    ("complaints_decide", _("Decide complaints")),
    ("indicators_view", _("See indicator lists")),
    ("indicators_verify", _("Verify, import and retire indicators")),
    ("reports_submit", _("Submit reports through the API (companies)")),
    ("reports_statistics", _("See and export the transparency statistics")),
)
