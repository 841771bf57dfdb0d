"""Who sees what of the drugs action plan: every read the pages need.

Coordinators (``drugs_view_all``) see the whole plan. Reporters (``drugs_view_own``) see the
framework, its priorities and its actors, but of the actions and progress updates only those
of actions their organisation's actor leads or contributes to. The rules are registered with
the access policy in ``apps.py`` and joined in SQL (``Exists``), never per row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from securityunion.access.policy import has_capability, visible

from .models import Action, ActionActor, Actor, Framework, Priority, ProgressUpdate

SEE_PLAN = ("drugs_view_all", "drugs_view_own")


def _my_organisations_actions(user: Any) -> Q:
    """Actions that the actor of ``user``'s organisation leads or contributes to."""
    if not getattr(user, "organisation_id", None):
        return Q(pk__in=[])
    return Q(
        Exists(
            ActionActor.objects.filter(
                action=OuterRef("pk"), actor__organisation_id=user.organisation_id
            )
        )
    )


def _updates_of_my_organisations_actions(user: Any) -> Q:
    if not getattr(user, "organisation_id", None):
        return Q(pk__in=[])
    return Q(
        Exists(
            ActionActor.objects.filter(
                action=OuterRef("action"), actor__organisation_id=user.organisation_id
            )
        )
    )


def current_framework() -> Framework:
    return Framework.objects.get(is_current=True)


def actor_of(user: Any) -> Actor | None:
    """The actor ``user`` reports for: their organisation's, if it is an actor."""
    if not getattr(user, "organisation_id", None):
        return None
    return Actor.objects.filter(organisation_id=user.organisation_id).first()


def actions_visible_to(user: Any) -> QuerySet[Action]:
    return visible(Action.objects.all(), user).filter(framework__is_current=True)


def action_list(user: Any) -> QuerySet[Action]:
    """The actions of the list page, with what each row shows (no query per row)."""
    return (
        actions_visible_to(user)
        .select_related("priority")
        .prefetch_related(
            Prefetch(
                "parts",
                queryset=ActionActor.objects.filter(role=ActionActor.Role.LEAD).select_related(
                    "actor"
                ),
                to_attr="lead_parts",
            )
        )
        .order_by("priority__number", "id")
    )


def priorities_overview(user: Any) -> list[dict[str, Any]]:
    """The current framework's headings, each with its priorities and, per priority, the
    number of actions the user sees in each status (one query for all the counts)."""
    framework = current_framework()
    priorities = list(
        visible(Priority.objects.filter(framework=framework), user).select_related("heading")
    )
    counts: dict[int, dict[str, int]] = {}
    rows = (
        actions_visible_to(user).values("priority_id", "status").annotate(n=Count("id")).order_by()
    )
    for row in rows:
        counts.setdefault(row["priority_id"], {})[row["status"]] = row["n"]
    headings: dict[int, dict[str, Any]] = {}
    for priority in priorities:
        by_status = counts.get(priority.pk, {})
        entry = headings.setdefault(
            priority.heading_id, {"heading": priority.heading, "priorities": []}
        )
        entry["priorities"].append(
            {
                "priority": priority,
                "counts": [
                    (label, by_status.get(value, 0), value)
                    for value, label in Action.Status.choices
                ],
                "total": sum(by_status.values()),
            }
        )
    return sorted(headings.values(), key=lambda h: h["heading"].order)


def status_totals(user: Any) -> list[tuple[str, int, str]]:
    rows = dict(actions_visible_to(user).values_list("status").annotate(n=Count("id")).order_by())
    return [(label, rows.get(value, 0), value) for value, label in Action.Status.choices]


def priority_for(user: Any, number: int) -> Priority | None:
    return (
        visible(Priority.objects.filter(framework__is_current=True), user)
        .select_related("heading", "framework")
        .filter(number=number)
        .first()
    )


def action_parts(action: Action) -> dict[str, list[Actor]]:
    parts = list(action.parts.select_related("actor"))
    return {
        "lead": [p.actor for p in parts if p.role == ActionActor.Role.LEAD],
        "contributors": [p.actor for p in parts if p.role == ActionActor.Role.CONTRIBUTOR],
    }


def updates_visible_to(user: Any) -> QuerySet[ProgressUpdate]:
    return visible(ProgressUpdate.objects.all(), user)


def updates_of(action: Action, user: Any) -> list[ProgressUpdate]:
    return list(
        updates_visible_to(user)
        .filter(action=action)
        .select_related("actor", "submitted_by", "reviewed_by")
        .order_by("-period", "-id")
    )


def may_report_on(user: Any, action: Action) -> bool:
    """Whether ``user`` may give progress updates on ``action`` (their organisation's actor
    leads or contributes to it). The service checks it again; the page only offers the form."""
    if not has_capability(user, "drugs_report_progress"):
        return False
    actor = actor_of(user)
    return actor is not None and action.parts.filter(actor=actor).exists()


def actors_visible_to(user: Any) -> QuerySet[Actor]:
    return visible(Actor.objects.all(), user)
