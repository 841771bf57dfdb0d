"""The audit browser for auditors: filter by actor, verb, object and period; export as CSV."""

import django_filters
from django.utils.translation import gettext_lazy as _

from securityunion.audit.models import AuditEvent
from securityunion.audit.verbs import Verb

from .filters import PeriodFilterSet
from .views import Column, ScopedListView


class AuditEventFilterSet(PeriodFilterSet):
    period_field = "at"

    actor = django_filters.CharFilter(
        label=_("Actor (user name)"), field_name="actor_label", lookup_expr="iexact"
    )
    verb = django_filters.ChoiceFilter(label=_("Verb"), choices=Verb.choices)
    object_type = django_filters.CharFilter(
        label=_("Object type"),
        lookup_expr="iexact",
        help_text=_("For example reports.providerreport"),
    )
    object_id = django_filters.CharFilter(label=_("Object id"))
    country = django_filters.CharFilter(label=_("Country code"), lookup_expr="iexact")

    class Meta:
        model = AuditEvent
        fields = ["actor", "verb", "object_type", "object_id", "country"]


def _details(event: AuditEvent) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(event.data.items()))[:300]


class AuditEventListView(ScopedListView):
    model = AuditEvent
    required_capability = "audit_view_log"
    filterset_class = AuditEventFilterSet
    title = _("Audit log")
    export_name = "audit-log"
    empty_text = _("No audit event matches these filters.")
    columns = (
        Column(_("#"), "id"),
        Column(_("When (UTC)"), lambda e: e.at.strftime("%Y-%m-%d %H:%M:%S")),
        Column(_("Actor"), "actor_label"),
        Column(_("Verb"), "verb"),
        Column(_("Object type"), "object_type"),
        Column(_("Object id"), "object_id"),
        Column(_("Object"), "object_repr"),
        Column(_("Country"), "country"),
        Column(_("IP"), "ip"),
        Column(_("Details"), _details),
    )
