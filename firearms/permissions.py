"""Capabilities of firearms seizures, tracing and indicator returns.

Granted to roles in the one role matrix (``securityunion/access/roles.py``) and created by this
app's migrations (``create_capabilities``); checked with ``has_capability(user, codename)``.
"""

from django.utils.translation import gettext_lazy as _

CAPABILITIES: tuple[tuple[str, str], ...] = (
    ("firearms_view_own_country", _("See firearms data of one's own countries")),
    ("firearms_view_all_countries", _("See firearms data of all countries")),
    ("firearms_edit", _("Enter seizures, seized items and tracing requests")),
    ("firearms_prepare_return", _("Prepare periodic indicator returns")),
    ("firearms_submit_return", _("Submit indicator returns prepared by others")),
    ("firearms_validate_return", _("Validate indicator returns or return them with comments")),
)
