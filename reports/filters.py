"""Filter sets shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from securityunion.accounts.models import Country, Organisation, User
from securityunion.casework.filters import CaseQueueFilterSet, DateInput, PeriodFilterSet
from securityunion.casework.widgets import DatalistInput

from .models import AbuseType, Indicator, ProviderReport
from .selectors import countries_in_queue_of


class _BoundedIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time the database can hold in UTC: years 1000-9000 (a time at the edge of
    the calendar overflows when converted)."""

    def to_python(self, value):  # noqa: ANN001, ANN201
        from django.core.exceptions import ValidationError

        parsed = super().to_python(value)
        if parsed is not None and not 1000 <= parsed.year <= 9000:
            raise ValidationError(_("Give a time between the years 1000 and 9000."))
        return parsed


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _BoundedIsoDateTimeField


KNOWN_CHOICES = (("known", _("Known material")), ("new", _("New material")))


class CountryInQueueField(forms.CharField):
    """A country of the user's queue, typed as its code or its name (offered in a datalist).

    ``countries`` (code -> name) is set by the filter set from the user's own queue: a country
    outside it is refused like one that does not exist, so the field tells nothing of reports
    the user may not see.
    """

    widget = DatalistInput

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.countries: dict[str, str] = {}

    def set_countries(self, countries: list[Country]) -> None:
        self.countries = {c.code: c.name for c in countries}
        member_states = {c.code for c in countries if c.eu_member}
        self.widget.choices = [
            (
                code,
                f"{name} ({code})" + (f" · {_('Member State')}" if code in member_states else ""),
            )
            for code, name in self.countries.items()
        ]

    def clean(self, value):  # noqa: ANN001, ANN201
        value = " ".join((super().clean(value) or "").split())
        if not value:
            return ""
        if value.upper() in self.countries:
            return value.upper()
        by_name = {name.casefold(): code for code, name in self.countries.items()}
        code = by_name.get(value.casefold())
        if code is None:
            raise forms.ValidationError(_("No report in your queue is about “%s”.") % value[:60])
        return code


class CountryInQueueFilter(django_filters.CharFilter):
    field_class = CountryInQueueField


class ReportFilterSet(CaseQueueFilterSet):
    q = django_filters.CharFilter(
        label=_("Reference"),
        method="filter_q",
        help_text=_("Our reference (RPT-…) or the company's reference."),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProviderReport.Status.choices)
    urgent = django_filters.ChoiceFilter(
        label=_("Urgent"),
        choices=(("true", _("Urgent only")), ("false", _("Not urgent"))),
        method="filter_urgent",
        empty_label=_("Any"),
    )
    provider = django_filters.ModelChoiceFilter(
        label=_("Company"),
        field_name="provider__organisation",
        queryset=Organisation.objects.filter(type=Organisation.Type.COMPANY),
    )
    abuse_type = django_filters.ChoiceFilter(label=_("Abuse type"), choices=AbuseType.choices)
    country = CountryInQueueFilter(
        label=_("Country"),
        method="filter_country",
        help_text=_("Type a name or code; Member States come first."),
    )
    known = django_filters.ChoiceFilter(
        label=_("Known or new"), choices=KNOWN_CHOICES, method="filter_known"
    )
    assignee = django_filters.CharFilter(
        label=_("Assignee"),
        method="filter_assignee",
        help_text=_("A user name, “me”, or “none” for unassigned reports."),
    )

    period_field = "created_at"

    class Meta:
        model = ProviderReport
        fields = ["q", "status", "urgent", "provider", "abuse_type", "country", "known", "assignee"]

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        countries = countries_in_queue_of(user) if user is not None else []
        self.filters["country"].field.set_countries(countries)

    def filter_q(self, queryset, name, value):  # noqa: ANN001, ANN201
        value = value.strip()
        return queryset.filter(Q(reference=value.upper()) | Q(provider_reference=value))

    def filter_country(self, queryset, name, value):  # noqa: ANN001, ANN201
        through = ProviderReport.candidate_countries.through
        return queryset.filter(
            Q(country_id=value)
            | Q(Exists(through.objects.filter(providerreport_id=OuterRef("pk"), country_id=value)))
        )

    def filter_urgent(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.filter(urgent=(value == "true"))

    def filter_known(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.filter(has_known_items=(value == "known"))

    def filter_assignee(self, queryset, name, value):  # noqa: ANN001, ANN201
        value = value.strip()
        if value.lower() == "none":
            return queryset.filter(assignee__isnull=True)
        if value.lower() == "me":
            user = getattr(self.request, "user", None)
            return queryset.filter(assignee=user) if user else queryset.none()
        user = User.objects.filter(username=value).first()
        return queryset.filter(assignee=user) if user else queryset.none()


class ForwardedReportFilterSet(django_filters.FilterSet):
    """Law enforcement's list of the reports forwarded to its organisation (rows from
    ``selectors.reports_forwarded_to_my_organisation``, which carry the ``our_*`` values)."""

    q = django_filters.CharFilter(label=_("Reference"), method="filter_q")
    acknowledged = django_filters.ChoiceFilter(
        label=_("Acknowledged"),
        choices=(("yes", _("Acknowledged")), ("no", _("Not yet acknowledged"))),
        method="filter_acknowledged",
        empty_label=_("Any"),
    )
    hold = django_filters.ChoiceFilter(
        label=_("Our legal hold"),
        choices=(("active", _("With an active hold")), ("none", _("Without an active hold"))),
        method="filter_hold",
        empty_label=_("Any"),
    )
    forwarded_from = django_filters.DateFilter(
        label=_("Forwarded from"), method="filter_from", widget=DateInput
    )
    forwarded_to = django_filters.DateFilter(
        label=_("Forwarded until"), method="filter_to", widget=DateInput
    )
    sort = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=(
            ("-forwarded", _("Newest forwarding first")),
            ("forwarded", _("Oldest forwarding first")),
        ),
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = ProviderReport
        fields = ["q", "acknowledged", "hold", "forwarded_from", "forwarded_to", "sort"]

    def filter_q(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.filter(reference=value.strip().upper())

    def filter_acknowledged(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.filter(our_acknowledged_at__isnull=(value == "no"))

    def filter_hold(self, queryset, name, value):  # noqa: ANN001, ANN201
        from .selectors import with_active_hold_of

        user = getattr(self.request, "user", None)
        condition = with_active_hold_of(getattr(user, "organisation_id", None))
        return queryset.filter(condition if value == "active" else ~condition)

    def filter_sort(self, queryset, name, value):  # noqa: ANN001, ANN201
        if value == "forwarded":
            return queryset.order_by("our_forwarded_at", "id")
        return queryset.order_by("-our_forwarded_at", "-id")

    def filter_from(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.filter(our_forwarded_at__date__gte=value)

    def filter_to(self, queryset, name, value):  # noqa: ANN001, ANN201
        return queryset.filter(our_forwarded_at__date__lte=value)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        start, end = data.get("forwarded_from"), data.get("forwarded_to")
        if start and end and start > end:
            self.form.add_error("forwarded_to", _("The end of the period is before its start."))
            return False
        return valid


class ReportApiFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProviderReport.Status.choices)
    received_after = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    received_before = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = ProviderReport
        fields = ["status", "received_after", "received_before"]


class IndicatorFilterSet(PeriodFilterSet):
    value = django_filters.CharFilter(label=_("Value"), method="filter_value")
    algorithm = django_filters.ChoiceFilter(
        label=_("Algorithm"), choices=Indicator.Algorithm.choices
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Indicator.Status.choices)
    source = django_filters.CharFilter(label=_("Source list"))
    category = django_filters.CharFilter(label=_("Category"))

    class Meta:
        model = Indicator
        fields = ["value", "algorithm", "status", "source", "category"]

    def filter_value(self, queryset, name, value):  # noqa: ANN001, ANN201
        from .matching import indicator_lookup

        value = value.strip()
        keys = {value.lower(), indicator_lookup("url", value), indicator_lookup("photodna", value)}
        return queryset.filter(lookup__in=keys)
