"""Pieces shared by every list's filter set (used by the page and by the API alike)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .widgets import FlagInput


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


class FlagFilter(django_filters.BooleanFilter):
    """``?name=1`` as a checkbox (``FlagInput``); unticked means "not asked for"."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("widget", FlagInput)
        super().__init__(*args, **kwargs)


class CaseQueueFilterSet(PeriodFilterSet):
    """Filters every case queue shares: open work by default, and "awaiting approval".

    Without ``include_closed=1`` the list holds open work only: the statuses the model's
    workflow does not declare decided or final (``Workflow.open_statuses``). Choosing a status
    explicitly shows that status whatever it is. ``awaiting_approval=1`` keeps the cases with a
    four-eyes proposal waiting for its second person. Both are conditions in the list's one
    query. A view passes ``open_only=False`` for a user whose list has no open-work default, and
    ``approvals=False`` for one who may not learn of pending proposals (law enforcement).
    """

    include_closed = FlagFilter(label=_("Include finished cases"), method="filter_nothing")
    awaiting_approval = FlagFilter(
        label=_("Awaiting approval only"), method="filter_awaiting_approval"
    )

    # Filters whose value, when given, replaces the open-work default.
    explicit_status_filters: tuple[str, ...] = ("status",)

    def __init__(  # noqa: ANN204
        self,
        *args,  # noqa: ANN002
        open_only: bool = True,
        approvals: bool = True,
        **kwargs,  # noqa: ANN003
    ):
        super().__init__(*args, **kwargs)
        self.open_only = open_only
        if not open_only:
            self.filters.pop("include_closed", None)
        if not approvals:
            self.filters.pop("awaiting_approval", None)

    def filter_nothing(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset

    def filter_awaiting_approval(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.awaiting_approval() if value else queryset

    @property
    def shows_open_only(self) -> bool:
        """Whether the rows are limited to open work (the page says so beside the switch)."""
        if not self.open_only or not hasattr(self.form, "cleaned_data"):
            return False
        data = self.form.cleaned_data
        explicit = any(data.get(name) not in (None, "") for name in self.explicit_status_filters)
        return not data.get("include_closed") and not explicit

    def filter_queryset(self, queryset):  # noqa: ANN001, ANN201
        queryset = super().filter_queryset(queryset)
        if self.shows_open_only:
            queryset = queryset.open()
        return queryset
