"""Who sees what: the one place where querysets are scoped to a user.

Every model whose rows are shown to users registers a *scope* here (in its app's ``ready``).
``visible(qs, user)`` applies it; ``get_for_user_or_404`` fetches one row through it. A model
without a registered scope is visible to nobody: deny by default.

Scopes are rules joined in SQL (country, organisation, assignment), so a list costs the same
queries for ten rows or a million. django-guardian holds only the explicit grants that the
rules consult: countries granted to role groups that cover several countries, and per-case
grants where a rule needs them (victim cases assigned to officers).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

M = TypeVar("M", bound=models.Model)

CAPABILITY_PREFIX = "access."


def cap(codename: str) -> str:
    """Full permission name of a capability: ``cap("reports_view_all")``."""
    return codename if "." in codename else CAPABILITY_PREFIX + codename


def has_capability(user: Any, codename: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(cap(codename)))


def countries_for_user(user: Any) -> QuerySet:
    """The countries a user works on: their own, plus countries granted to them or their groups.

    One subquery, never a list of primary keys in Python.
    """
    from securityunion.accounts.models import (
        Country,
        CountryGroupObjectPermission,
        CountryUserObjectPermission,
    )

    granted_to_groups = CountryGroupObjectPermission.objects.filter(
        group__user=user, permission__codename="work_on_country"
    ).values("content_object_id")
    granted_to_user = CountryUserObjectPermission.objects.filter(
        user=user, permission__codename="work_on_country"
    ).values("content_object_id")
    own = Q(pk=user.country_id) if user.country_id else Q(pk__in=[])
    return Country.objects.filter(own | Q(pk__in=granted_to_groups) | Q(pk__in=granted_to_user))


class Scope(ABC):
    """A rule that narrows a queryset to what a user may see."""

    @abstractmethod
    def apply(self, qs: QuerySet, user: Any) -> QuerySet:
        """``qs`` narrowed to ``user``'s rows, in the same query."""


@dataclass(frozen=True)
class CapabilityScope(Scope):
    """All rows for holders of any of ``see_all``; nothing for anyone else."""

    see_all: tuple[str, ...]

    def apply(self, qs: QuerySet, user: Any) -> QuerySet:
        if any(has_capability(user, c) for c in self.see_all):
            return qs
        return qs.none()


@dataclass(frozen=True)
class CountryScope(Scope):
    """All rows for ``see_all`` holders; rows of the user's countries for ``see_own`` holders."""

    field: str
    see_all: tuple[str, ...]
    see_own: tuple[str, ...]

    def apply(self, qs: QuerySet, user: Any) -> QuerySet:
        if any(has_capability(user, c) for c in self.see_all):
            return qs
        if any(has_capability(user, c) for c in self.see_own):
            return qs.filter(**{f"{self.field}__in": countries_for_user(user)})
        return qs.none()


@dataclass(frozen=True)
class RuleScope(Scope):
    """All rows for ``see_all`` holders; otherwise the union of the rules the user holds.

    ``rules`` maps a capability to a function ``(user) -> Q`` (for example "assigned to me",
    "forwarded to my organisation"). Each rule is a condition in the same query; rules that
    look across a relation use ``Exists()`` so rows are never duplicated.
    """

    see_all: tuple[str, ...]
    rules: tuple[tuple[str, Callable[[Any], Q]], ...] = field(default=())

    def apply(self, qs: QuerySet, user: Any) -> QuerySet:
        if any(has_capability(user, c) for c in self.see_all):
            return qs
        condition = None
        for capability, rule in self.rules:
            if has_capability(user, capability):
                q = rule(user)
                condition = q if condition is None else condition | q
        if condition is None:
            return qs.none()
        return qs.filter(condition)


_scopes: dict[type[models.Model], Scope] = {}


def register_scope(model: type[models.Model], scope: Scope) -> None:
    _scopes[model] = scope


def scope_for(model: type[models.Model]) -> Scope:
    concrete = model._meta.concrete_model
    try:
        return _scopes[concrete]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no access scope: register one with register_scope()."
        ) from None


def visible(qs: QuerySet[M], user: Any, capability: str | None = None) -> QuerySet[M]:
    """``qs`` narrowed to the rows ``user`` may see (and, if given, only with ``capability``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if capability and not has_capability(user, capability):
        return qs.none()
    return scope_for(qs.model).apply(qs, user)


def is_visible(user: Any, obj: models.Model) -> bool:
    return visible(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def get_for_user_or_404(
    qs: QuerySet[M], user: Any, capability: str | None = None, **lookup: Any
) -> M:
    """One row through the user's scope. A row the user may not see is a 404, like a missing one.

    When the row exists but is out of scope the refusal is audited (verb ``permission_denied``).
    """
    try:
        return visible(qs, user, capability).get(**lookup)
    except qs.model.DoesNotExist:
        existing = qs.filter(**lookup).first()
        if existing is not None:
            from securityunion.audit import verbs
            from securityunion.audit.services import audit_record

            audit_record(
                actor=user if getattr(user, "is_authenticated", False) else None,
                verb=verbs.PERMISSION_DENIED,
                target=existing,
                data={"reason": "out of scope"},
            )
        raise Http404(f"No {qs.model._meta.verbose_name} matches the given query.") from None


def users_with_capability(codename: str) -> QuerySet:
    """Active people who hold ``codename`` through a role or a grant of their own (one query).

    Superusers hold every capability implicitly but are not counted here: they are the
    administrators' break-glass accounts, not the people who work the cases. Company API
    service accounts never count.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    app_label, _, code = cap(codename).partition(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=code)
    return (
        get_user_model()
        .objects.filter(is_active=True, is_api_client=False)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
    )
