"""The filter set of the actions list (page now, API later)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import Action, ActionActor, Actor, Priority


class ActionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_q", help_text=_("Number or words of the action.")
    )
    priority = django_filters.ModelChoiceFilter(
        label=_("Priority"),
        queryset=Priority.objects.filter(framework__is_current=True).order_by("number"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Action.Status.choices)
    lead = django_filters.ModelChoiceFilter(
        label=_("Lead actor"), queryset=Actor.objects.all(), method="filter_lead"
    )

    class Meta:
        model = Action
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, request=request, **kwargs)
        self.filters["priority"].field.label_from_instance = lambda p: (
            _("%(n)s. %(text)s")
            % {
                "n": p.number,
                "text": p.text[:70] + ("…" if len(p.text) > 70 else ""),
            }
        )

    def filter_q(self, qs, name, value):  # noqa: ANN001, ANN201
        value = value.strip()[:200]
        if not value:
            return qs
        return qs.filter(Q(number=value) | Q(text__icontains=value))

    def filter_lead(self, qs, name, value):  # noqa: ANN001, ANN201
        return qs.filter(
            Exists(
                ActionActor.objects.filter(
                    action=OuterRef("pk"), actor=value, role=ActionActor.Role.LEAD
                )
            )
        )
