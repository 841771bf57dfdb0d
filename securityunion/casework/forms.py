"""Forms every case list shares."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class BulkAssignForm(forms.Form):
    assignee = forms.CharField(
        label=_("Assign to (user name)"), required=False, help_text=_("Leave empty to unassign.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The list's filters may have an "assignee" field too: ids must not clash.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
