"""Saved list views: a user names the filters and sort of a list to come back to them.

A saved view is a query string for one list (its URL name), visible to its owner only. Nothing
is evaluated when it is saved: applying it is following a link to the list, whose filter set
validates the parameters and whose scope decides the rows as on any visit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

from securityunion.audit import verbs
from securityunion.audit.services import audit_record

from .models import SavedFilter

MAX_PER_LIST = 30
LABEL_MAX = SavedFilter._meta.get_field("label").max_length
QUERY_MAX = SavedFilter._meta.get_field("query").max_length


def saved_filters_of(user: Any, list_name: str) -> QuerySet[SavedFilter]:
    """The user's own saved views of one list; nobody sees another person's."""
    if not getattr(user, "is_authenticated", False):
        return SavedFilter.objects.none()
    return SavedFilter.objects.filter(owner=user, list_name=list_name)


def saved_filter_query(params: QueryDict, allowed: set[str] | frozenset[str]) -> str:
    """The part of ``params`` worth keeping: the ``allowed`` keys with a value, in order."""
    kept = QueryDict(mutable=True)
    for key in params:
        if key in allowed:
            values = [v for v in params.getlist(key) if v.strip()]
            if values:
                kept.setlist(key, values)
    return kept.urlencode()


@transaction.atomic
def saved_filter_save(*, owner: Any, list_name: str, label: str, query: str) -> SavedFilter:
    """Save (or, under a label the owner already uses on this list, replace) a list view."""
    label = " ".join((label or "").split())
    if not label:
        raise ValidationError({"label": _("Give the view a name.")})
    if len(label) > LABEL_MAX:
        raise ValidationError({"label": _("Keep the name under %d characters.") % LABEL_MAX})
    if len(query) > QUERY_MAX:
        raise ValidationError({"label": _("These filters are too long to save.")})
    existing = saved_filters_of(owner, list_name).select_for_update().filter(label=label).first()
    if existing is None and saved_filters_of(owner, list_name).count() >= MAX_PER_LIST:
        raise ValidationError(
            {"label": _("You have %d saved views of this list: delete one first.") % MAX_PER_LIST}
        )
    if existing is not None:
        existing.query = query
        existing.save(update_fields=["query"])
        saved = existing
    else:
        saved = SavedFilter.objects.create(
            owner=owner, list_name=list_name, label=label, query=query
        )
    audit_record(
        actor=owner,
        verb=verbs.UPDATE if existing else verbs.CREATE,
        target=saved,
        data={"list": list_name, "query": query},
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, owner: Any, list_name: str, pk: Any) -> str:
    """Delete one of the owner's saved views; another person's is a 404, like a missing one."""
    try:
        saved = saved_filters_of(owner, list_name).select_for_update().get(pk=int(pk))
    except (SavedFilter.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    label = saved.label
    audit_record(
        actor=owner, verb=verbs.UPDATE, target=saved, data={"list": list_name, "deleted": True}
    )
    saved.delete()
    return label
