"""The preferences form: per event, by e-mail or not, at once or in a daily digest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery


class PreferencesForm(forms.Form):
    """Two fields per offered event: ``<code>-email`` and ``<code>-delivery``."""

    def __init__(self, *args: Any, events: list[Any], current: dict[str, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.events = events
        for event in events:
            preference = current[event.code]
            self.fields[f"{event.code}-email"] = forms.BooleanField(
                label=_("By e-mail"), required=False, initial=preference.email
            )
            self.fields[f"{event.code}-delivery"] = forms.ChoiceField(
                label=_("When"), choices=Delivery.choices, initial=preference.delivery
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "event": event,
                "email": self[f"{event.code}-email"],
                "delivery": self[f"{event.code}-delivery"],
            }
            for event in self.events
        ]

    def choices(self) -> dict[str, tuple[bool, str]]:
        return {
            event.code: (
                self.cleaned_data[f"{event.code}-email"],
                self.cleaned_data[f"{event.code}-delivery"],
            )
            for event in self.events
        }
