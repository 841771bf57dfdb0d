"""Forms of the drugs pages: shape only, the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from securityunion.casework.forms import CaseActionForm

from .models import Action, Actor, Priority, ProgressUpdate


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = forms.CharField(
        label=_("Number"), max_length=12, help_text=_("For example 12 or 3.2.")
    )
    priority = forms.ModelChoiceField(label=_("Priority"), queryset=Priority.objects.none())
    text = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 4}))
    timetable = forms.ChoiceField(label=_("Timetable"), choices=Action.Timetable.choices)
    due_year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("When the timetable is a year."),
    )
    due_date = forms.DateField(
        label=_("Date"),
        required=False,
        help_text=_("When the timetable is a date (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    lead_actors = forms.ModelMultipleChoiceField(
        label=_("Lead actors"),
        queryset=Actor.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    contributing_actors = forms.ModelMultipleChoiceField(
        label=_("Contributing actors"),
        queryset=Actor.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, framework: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(framework=framework)
        self.fields["priority"].label_from_instance = lambda p: f"{p.number}. {p.text[:90]}"


class ProgressUpdateForm(CaseActionForm):
    id_prefix = "update"

    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        help_text=_("A half-year (2026-H2) or a quarter (2026-Q3)."),
    )
    rag = forms.ChoiceField(
        label=_("Rating"), choices=[("", _("Choose…")), *ProgressUpdate.Rag.choices]
    )
    narrative = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    evidence_links = forms.CharField(
        label=_("Evidence links"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=6000,
        help_text=_("One web address per line."),
    )

    def links(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["evidence_links"].splitlines()]


class ResubmitForm(ProgressUpdateForm):
    """Edit a returned update (one per update on the page, ids of its own)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, update_pk: int, **kwargs: Any) -> None:
        self.id_prefix = f"resubmit_{update_pk}"
        super().__init__(*args, **kwargs)
        del self.fields["period"]


class ReviewForm(CaseActionForm):
    """Accept or return one update (one per update awaiting review, ids of its own)."""

    service_fields = {"reason": "comment"}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("return", _("Return with comments"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Comments (required to return)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: Any, update_pk: int, **kwargs: Any) -> None:
        self.id_prefix = f"review_{update_pk}"
        super().__init__(*args, **kwargs)
