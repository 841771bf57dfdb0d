"""Forms every case list shares."""

from django import forms
from django.utils.translation import gettext_lazy as _


class BulkAssignForm(forms.Form):
    assignee = forms.CharField(
        label=_("Assign to (user name)"), required=False, help_text=_("Leave empty to unassign.")
    )
