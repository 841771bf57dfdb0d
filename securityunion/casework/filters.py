"""Pieces shared by every list's filter set (used by the page and by the API alike)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"


class PeriodFilterSet(django_filters.FilterSet):
    """Adds ``from``/``to`` (dates, inclusive) on the model's ``period_field``."""

    period_field = "created_at"

    created_from = django_filters.DateFilter(
        label=_("From"), method="filter_from", widget=DateInput
    )
    created_to = django_filters.DateFilter(label=_("To"), method="filter_to", widget=DateInput)

    def filter_from(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.filter(**{f"{self.period_field}__date__gte": value})

    def filter_to(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.filter(**{f"{self.period_field}__date__lte": value})

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            self.form.add_error("created_to", _("The end of the period is before its start."))
            return False
        return valid
