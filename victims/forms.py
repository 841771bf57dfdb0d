"""Forms of the victim pages: shape only (the rules live in ``services``)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from securityunion.accounts.models import Country
from securityunion.casework.filters import DateInput
from securityunion.casework.forms import CaseActionForm

from .models import AssistanceRecord, ConsentScope


class PersonalDataForm(CaseActionForm):
    """The person's (or their representative's) data. Refused, it shows again as typed."""

    id_prefix = "personal"

    person_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    person_contact = forms.CharField(
        label=_("Contact"),
        max_length=500,
        required=False,
        help_text=_("E-mail, telephone or postal address."),
    )
    date_of_birth = forms.CharField(
        label=_("Date of birth"),
        max_length=10,
        required=False,
        widget=DateInput,
        help_text=_("YYYY-MM-DD"),
    )
    representative_name = forms.CharField(
        label=_("Representative's name"), max_length=200, required=False
    )
    representative_role = forms.CharField(
        label=_("Representative's role"),
        max_length=200,
        required=False,
        help_text=_("Parent, guardian, lawyer, support organisation…"),
    )
    representative_contact = forms.CharField(
        label=_("Representative's contact"), max_length=500, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VictimCaseCreateForm(PersonalDataForm):
    id_prefix = "case"

    country = forms.ModelChoiceField(
        label=_("Country of residence"), queryset=Country.objects.order_by("name")
    )
    consent_scope = forms.ChoiceField(label=_("Consent given for"), choices=ConsentScope.choices)
    consent_given_on = forms.DateField(
        label=_("Consent given on"), widget=DateInput, initial=datetime.date.today
    )

    field_order = (
        "country",
        "consent_scope",
        "consent_given_on",
        "person_name",
        "person_contact",
        "date_of_birth",
        "representative_name",
        "representative_role",
        "representative_contact",
    )


class AssistanceForm(CaseActionForm):
    id_prefix = "assistance"

    kind = forms.ChoiceField(label=_("Kind"), choices=AssistanceRecord.Kind.choices)
    counterpart = forms.CharField(
        label=_("Organisation or channel"),
        max_length=200,
        required=False,
        help_text=_("Where the person was referred, or how they were reached. No names."),
    )
    happened_on = forms.DateField(label=_("Date"), widget=DateInput, initial=datetime.date.today)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(CaseActionForm):
    id_prefix = "assign"

    assignee = forms.ModelChoiceField(
        label=_("Officer"), queryset=None, required=False, empty_label=_("(nobody)")
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        from .selectors import officers_for_assignment

        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers_for_assignment()
