"""The seizure and item forms: shape only (the rules are the models' and the services')."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from securityunion.accounts.models import Country
from securityunion.casework.filters import DateInput

from .models import EuCategory, SeizedItem, SeizureCase
from .services.seizures import CASE_FIELDS, ITEM_FIELDS


class SeizureForm(forms.ModelForm):
    """A case's own fields; never its country (the focal point's own)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SeizureCase
        fields = (*CASE_FIELDS, "transit_countries")
        widgets = {"seized_on": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "seizure_%s")
        super().__init__(*args, **kwargs)
        countries = Country.objects.order_by("name")
        for name in ("origin_country", "destination_country", "transit_countries"):
            self.fields[name].queryset = countries
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["transit_countries"] = list(data.get("transit_countries") or [])
        return data


class ItemForm(forms.ModelForm):
    """One seized item; its fields' ids start with ``item_`` (it shares the case page)."""

    id_prefix = "item"

    class Meta:
        model = SeizedItem
        fields = ITEM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        self.fields["eu_category"].queryset = EuCategory.objects.filter(active=True)
        self.fields["manufacture_country"].queryset = Country.objects.order_by("name")
        self.fields["quantity"].min_value = 1
        self.fields["quantity"].widget.attrs["min"] = 1

    @property
    def summary_id(self) -> str:
        return f"{self.id_prefix}-errors"

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ItemRemoveForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput, label=_("item"))
