"""Forms of the complaints: the public form and status look-up, the reviewers' forms.

Shape only; the rules are in ``reports.services.complaints``. The public forms describe each
field to assistive technology (``aria-describedby`` names the help and error texts).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .complaint_effects import MAX_FACTS, MAX_REDRESS
from .complaints import Complaint
from .conf import app_settings
from .models import Provider
from .services.complaints import MAX_EMAIL, MAX_ITEM_ID, MAX_SERVICE, MAX_URL


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
        if not self.is_bound:
            self._describe()


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
        help_text=_("As year-month-day, for example 2026-11-30."),
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        limit = app_settings.COMPLAINT_TEXT_MAX_CHARS
        super().__init__(*args, **kwargs)
        self.fields["description"].help_text = self.fields["description"].help_text % {
            "limit": limit
        }

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
