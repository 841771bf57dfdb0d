"""Forms of the complaints: the public form and status look-up, the reviewers' forms.

Shape only; the rules are in ``reports.services.complaints``. The public forms describe each
field to assistive technology (``aria-describedby`` names the help and error texts).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .complaint_effects import MAX_FACTS, MAX_REDRESS
from .complaints import Complaint
from .conf import app_settings
from .models import Provider
from .services.complaints import (
    MAX_EMAIL,
    MAX_ITEM_ID,
    MAX_SERVICE,
    MAX_URL,
    complaint_input_clean,
)


class _Described(forms.Form):
    """Adds ``aria-describedby`` (help and error texts) and ``aria-invalid`` to every field."""

    def _describe(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_help")
            if self.is_bound and name in self.errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.adjust_fields()
        if not self.is_bound:
            self._describe()

    def adjust_fields(self) -> None:
        """Change the fields before they are described (bound fields copy the help text)."""


class ComplaintForm(_Described):
    complainant = forms.ChoiceField(
        label=_("Who are you?"),
        choices=Complaint.Complainant.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say who you are.")},
    )
    provider = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Provider.objects.select_related("organisation"),
        empty_label=_("Choose the company"),
        help_text=_("The company that removed or reported the content."),
        error_messages={
            "required": _("Choose the company."),
            "invalid_choice": _("Choose the company."),
        },
    )
    service = forms.CharField(
        label=_("Service (optional)"),
        max_length=MAX_SERVICE,
        required=False,
        help_text=_("For example the app or website of the company."),
    )
    content_url = forms.CharField(
        label=_("Address (URL) of the content"),
        max_length=MAX_URL,
        required=False,
        help_text=_("Starting with https://. Give this, the item id below, or both."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    item_id = forms.CharField(
        label=_("The company's id of the content (optional)"),
        max_length=MAX_ITEM_ID,
        required=False,
        help_text=_("Some companies show an id in the message telling you about the removal."),
    )
    removed_on = forms.DateField(
        label=_("Date of removal (optional)"),
        required=False,
        help_text=_("If you know it."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as year-month-day, like 2026-11-30.")},
    )
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Tell us why you think the content was wrongly removed or reported. Do not send "
            "images. At most %(limit)d characters."
        ),
        error_messages={"required": _("Tell us what happened.")},
    )
    contact_email = forms.CharField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=MAX_EMAIL,
        help_text=_("We send your reference and status code there, and nothing else."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the centre processes what I wrote here to handle my complaint. "
            "It is kept only as long as needed for that."
        ),
        error_messages={"required": _("We can only handle your complaint with your consent.")},
    )
    # A field people never see and bots fill in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def adjust_fields(self) -> None:
        limit = app_settings.COMPLAINT_TEXT_MAX_CHARS
        self.fields["description"].help_text = self.fields["description"].help_text % {
            "limit": limit
        }

    def clean(self) -> dict[str, Any]:
        """The service's rules as well, so that every problem is named in one go."""
        data = super().clean()
        try:
            complaint_input_clean(
                complainant=data.get("complainant", ""),
                provider=data.get("provider"),
                service=data.get("service", ""),
                content_url=data.get("content_url", ""),
                item_id=data.get("item_id", ""),
                removed_on=data.get("removed_on"),
                description=data.get("description", ""),
                contact_email=data.get("contact_email", ""),
                consent=bool(data.get("consent")),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in self.fields and field not in self.errors and self.data.get(field, ""):
                    for message in messages:
                        self.add_error(field, message)
                elif field == "content_url" and "content_url" not in self.errors:
                    self.add_error(field, messages[0])
        return data

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip()) if self.is_bound else False

    def visible_fields(self):  # noqa: ANN201
        return [f for f in super().visible_fields() if f.name != "website"]


class StatusLookupForm(_Described):
    reference = forms.CharField(
        label=_("Complaint reference"),
        max_length=32,
        help_text=_("For example CMP-2026-000042."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the reference of your complaint.")},
    )
    code = forms.CharField(
        label=_("Status code"),
        max_length=40,
        help_text=_("The code you were given when you sent the complaint."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the status code.")},
    )


DECISIONS = (
    ("uphold", _("Uphold: the content should not have been removed or reported")),
    ("reject", _("Reject: the removal or report stands")),
    ("inadmissible", _("Inadmissible")),
)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)

    def __init__(self, *args: Any, offered: tuple[str, ...] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offered is not None:  # the page offers the decisions the workflow allows now
            self.fields["decision"].choices = [c for c in DECISIONS if c[0] in offered]

    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=Complaint.Ground.choices,
        help_text=_(
            "Uphold: not CSAM, indicator error, assessment error. Reject: confirmed, not "
            "concerned. Inadmissible: incomplete, out of time, abusive."
        ),
    )
    facts = forms.CharField(
        label=_("Facts and reasons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_FACTS,
        help_text=_("The complainant sees this text."),
    )
    automated_detection = forms.TypedChoiceField(
        label=_("Was automated detection involved?"),
        choices=(("yes", _("Yes")), ("no", _("No"))),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    redress = forms.CharField(
        label=_("Redress still available"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_REDRESS,
        initial=_(
            "You may bring this decision before the Coordinating Authority of your country "
            "or a court."
        ),
    )


class LinkReportForm(forms.Form):
    reference = forms.CharField(label=_("Report reference"), max_length=32)
