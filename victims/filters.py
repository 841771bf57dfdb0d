"""The victim case list's filters (reference, status, country, assigned officer, period)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from securityunion.accounts.models import Country
from securityunion.casework.filters import PeriodFilterSet

from .models import VictimCase
from .workflow import Status


class VictimCaseFilterSet(PeriodFilterSet):
    reference = django_filters.CharFilter(
        label=_("Reference"), field_name="reference", lookup_expr="icontains", max_length=32
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    country = django_filters.ModelChoiceFilter(
        label=_("Country of residence"), queryset=Country.objects.order_by("name")
    )
    mine = django_filters.BooleanFilter(
        label=_("Assigned to me"), method="filter_mine", widget=django_filters.widgets.BooleanWidget
    )

    class Meta:
        model = VictimCase
        fields = ["reference", "status", "country"]

    def filter_mine(self, queryset, name, value):  # noqa: ANN001, ANN201
        if value and self.request is not None:
            return queryset.filter(assignee=self.request.user)
        return queryset
