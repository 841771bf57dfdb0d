"""Forms every case page and case list shares.

Several forms share one case page: each form class names an ``id_prefix`` so that its fields'
HTML ids never clash with another form's (``CaseActionForm``), and a refused submission is
shown again with its typed values (``casework.views.CaseActionView``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CaseActionForm(forms.Form):
    """A form of one action on a case page; its fields' ids start with ``id_prefix``."""

    id_prefix = "action"
    # A service's name for a field -> this form's (e.g. the reason a transition requires is
    # typed in the form's "text"): where ``add_service_errors`` puts the service's message.
    service_fields: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)

    @property
    def summary_id(self) -> str:
        """The id of this form's error summary (``includes/form_errors.html``)."""
        return f"{self.id_prefix}-errors"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: a message keyed by a field the form has
    goes beside that field, anything else at the top of the form."""
    aliases = getattr(form, "service_fields", {})
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = aliases.get(name, name)
            field = name if name in form.fields else None
            for item in errors:
                form.add_error(field, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


class BulkAssignForm(CaseActionForm):
    id_prefix = "bulk"

    assignee = forms.CharField(
        label=_("Assign to (user name)"), required=False, help_text=_("Leave empty to unassign.")
    )


class TransitionForm(CaseActionForm):
    """A transition of the generic actions panel: the reason (when asked) and the version seen.

    One instance per offered transition, each with ids of its own (``transition_<name>_...``);
    the posted names stay ``transition``, ``reason`` and ``version``.
    """

    transition = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, transition: Any, version: int | None = None, **kwargs: Any):
        self.id_prefix = f"transition_{transition.name}"
        kwargs.setdefault("initial", {"transition": transition.name, "version": version})
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.fields["reason"].required = bool(transition.reason_required)
        if not (transition.reason_required or transition.four_eyes):
            del self.fields["reason"]

    def clean_transition(self) -> str:
        value = self.cleaned_data["transition"]
        if value != self.transition.name:
            raise ValidationError(_("This action is not offered on this case."))
        return value


class ApprovalDecisionForm(CaseActionForm):
    """Approve or send back a pending proposal; sending back says why."""

    id_prefix = "approval"

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("send_back", _("Send back"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason (required to send back)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "send_back" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the proposal is sent back."))
        return cleaned
