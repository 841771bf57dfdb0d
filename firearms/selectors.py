"""Every read the firearms pages, PDF and API need, scoped to the user.

A focal point (``firearms_view_own_country``) sees the cases of their own countries, a
reviewer (``firearms_view_all_countries``) every case. The scopes are registered in
``apps.py``; this module is the one place that builds the querysets on them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from securityunion.access.policy import CountryScope, countries_for_user, has_capability, visible

from .models import EuCategory, SeizedItem, SeizureCase
from .workflow import EDIT, EDITABLE, SeizureStatus

SEE_ALL = ("firearms_view_all_countries",)
SEE_OWN = ("firearms_view_own_country",)
SEE_ANY = SEE_ALL + SEE_OWN

SEIZURE_SCOPE = CountryScope(field="country", see_all=SEE_ALL, see_own=SEE_OWN)
ITEM_SCOPE = CountryScope(field="case__country", see_all=SEE_ALL, see_own=SEE_OWN)


def seizures_visible_to(user: Any) -> QuerySet[SeizureCase]:
    return visible(SeizureCase.objects.select_related("country"), user)


def seizure_items(case: SeizureCase) -> QuerySet[SeizedItem]:
    """The items of a case the caller already fetched through the user's scope."""
    return case.items.select_related("eu_category", "manufacture_country")


def items_visible_to(user: Any) -> QuerySet[SeizedItem]:
    return visible(
        SeizedItem.objects.select_related("case", "eu_category", "manufacture_country"), user
    )


def seizure_status_counts(user: Any) -> list[dict[str, Any]]:
    """How many visible cases there are in each status (every status listed, zero or not)."""
    counts = dict(
        seizures_visible_to(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in SeizureStatus.choices
    ]


def recent_seizures(user: Any, limit: int = 10) -> list[SeizureCase]:
    return list(seizures_visible_to(user).order_by("-seized_on", "-id")[:limit])


def enters_data_for(user: Any, case: SeizureCase) -> bool:
    """Whether ``user`` enters data for ``case``'s country: a focal point of that country with
    ``firearms_edit`` (a reviewer who sees every country does not edit their cases)."""
    return (
        has_capability(user, EDIT)
        and case.country_id is not None
        and countries_for_user(user).filter(pk=case.country_id).exists()
    )


def seizure_editable_by(user: Any, case: SeizureCase) -> bool:
    """Whether the page offers editing: a draft (or returned) case the user enters data for.
    The services decide again on every write."""
    return case.status in EDITABLE and enters_data_for(user, case)


def active_categories() -> QuerySet[EuCategory]:
    return EuCategory.objects.filter(active=True)
