"""The seizure list's filters (one filter set, for the page and the API alike)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from securityunion.casework.filters import DateInput

from .models import EuCategory, SeizedItem, SeizureCase, SeizureContext, SmugglingMode
from .workflow import SeizureStatus


class SeizureFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SeizureStatus.choices)
    seized_from = django_filters.DateFilter(
        label=_("Seized from"), field_name="seized_on", lookup_expr="gte", widget=DateInput
    )
    seized_to = django_filters.DateFilter(
        label=_("Seized until"), field_name="seized_on", lookup_expr="lte", widget=DateInput
    )
    context = django_filters.ChoiceFilter(label=_("Context"), choices=SeizureContext.choices)
    smuggling_mode = django_filters.ChoiceFilter(
        label=_("Smuggling mode"), choices=SmugglingMode.choices
    )
    category = django_filters.ModelChoiceFilter(
        label=_("EU category"),
        queryset=EuCategory.objects.all(),
        to_field_name="code",
        method="filter_category",
    )

    class Meta:
        model = SeizureCase
        fields: list[str] = []

    def filter_category(self, queryset, name, value):  # noqa: ANN001, ANN201
        items = SeizedItem.objects.filter(case=OuterRef("pk"), eu_category=value)
        return queryset.filter(Exists(items))

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        start, end = data.get("seized_from"), data.get("seized_to")
        if start and end and start > end:
            self.form.add_error("seized_to", _("The end of the period is before its start."))
            return False
        return valid
