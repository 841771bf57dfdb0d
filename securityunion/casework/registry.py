"""Registries through which the shared layer asks the domain apps, never importing them.

- ``case_models``: every concrete case model (for the dashboard's panels).
- ``workflow_models``: every model whose status follows a ``Workflow`` (the case models and
  others such as indicators); the system checks walk their transitions.
- ``dashboard_panels``: callables ``(user) -> Panel | None`` that an app adds to "my work".
- ``reported_item_hooks``: subscribers told about newly reported items (victims listens to
  reports through it).
- ``demo_hooks``: each app's demo data, called by ``manage.py demo`` with the demo users.
- ``notice_types``: the kinds of notice the centre sends companies (the notice inbox), each
  registered by the app that sends it, from its own ``apps.py``: ``register_notice_type``.
- ``notification_events``: what people are told about (the notification centre), each
  registered by the part that raises it: ``register_notification_event``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

case_models: list[type[models.Model]] = []
workflow_models: list[type[models.Model]] = []
dashboard_panels: list[Callable[[Any], Panel | None]] = []
reported_item_hooks: list[Callable[..., None]] = []
demo_hooks: list[Callable[..., None]] = []
# benchmark part name -> callable(options, bench) returning a JSON-able dict
benchmark_parts: dict[str, Callable[..., dict]] = {}
# notice type -> handler(notice=..., actor=..., text=...) run when a company answers it
# (filled by ``register_notice_type``)
notice_response_handlers: dict[str, Callable[..., None]] = {}


@dataclass(frozen=True)
class NoticeType:
    """A kind of notice in the companies' inbox.

    ``code`` is what the API shows as the notice's ``type``; ``subject_type`` names what the
    notice is about in the API's ``subject`` (``report``, ``victim_case``, ``complaint``...).
    A notice takes an answer when it has a ``response_handler`` (``notice, actor, text``) and
    a confirmation that the company carried it out (``POST .../confirm/`` with ``done_at``)
    when ``confirmable``; ``confirm_handler`` (``notice, actor, done_at``) then acts on it.
    """

    code: str
    label: Any
    subject_type: str
    confirmable: bool = False
    response_handler: Callable[..., None] | None = None
    confirm_handler: Callable[..., None] | None = None


notice_types: dict[str, NoticeType] = {}

# OAuth 2 scope -> description: the scopes company API tokens may carry, registered by the
# apps whose endpoints need them (read by ``securityunion.access.api.RegisteredScopes``).
api_scopes: dict[str, Any] = {}


def register_api_scope(name: str, description: Any) -> None:
    api_scopes[name] = description


@dataclass
class PanelItem:
    title: str
    url: str
    meta: str = ""
    overdue: bool = False
    urgent: bool = False


@dataclass
class Panel:
    """A panel of "my work": a short list, and ``count`` when the panel knows how many there
    are in all (shown beside its title; "see all" leads to ``more_url``)."""

    title: str
    items: list[PanelItem] = field(default_factory=list)
    empty_text: str = ""
    more_url: str = ""
    count: int | None = None


# Modules of URL patterns that an app adds to the company API under /api/v1/ (namespace "api"),
# so a new app needs one include in the project's urls for its pages and nothing for its API.
api_url_modules: list[str] = []


def register_api_urls(module: str) -> None:
    """Add ``module``'s ``urlpatterns`` to ``/api/v1/`` (call from the app's ``ready``)."""
    if module not in api_url_modules:
        api_url_modules.append(module)


def register_case_model(model: type[models.Model]) -> None:
    """A case type: shown on the dashboard, its workflow checked, its references drawn."""
    if model not in case_models:
        case_models.append(model)
    register_workflow_model(model)


def register_workflow_model(model: type[models.Model]) -> None:
    """A model with ``status``, ``version`` and a ``workflow`` (checked at start-up)."""
    if model not in workflow_models:
        workflow_models.append(model)


def register_panel(panel: Callable[[Any], Panel | None]) -> Callable[[Any], Panel | None]:
    if panel not in dashboard_panels:
        dashboard_panels.append(panel)
    return panel


def announce_reported_items(**kwargs: Any) -> None:
    for hook in reported_item_hooks:
        hook(**kwargs)


def register_demo(hook: Callable[..., None]) -> Callable[..., None]:
    if hook not in demo_hooks:
        demo_hooks.append(hook)
    return hook


def register_notice_type(notice_type: NoticeType) -> NoticeType:
    """Register a kind of notice (from the sending app's ``AppConfig.ready``); idempotent."""
    if len(notice_type.code) > 32:
        raise ImproperlyConfigured(f"Notice type code {notice_type.code!r} is over 32 characters.")
    existing = notice_types.get(notice_type.code)
    if existing is not None and existing != notice_type:
        raise ImproperlyConfigured(f"Notice type {notice_type.code!r} is registered twice.")
    notice_types[notice_type.code] = notice_type
    if notice_type.response_handler is not None:
        notice_response_handlers[notice_type.code] = notice_type.response_handler
    return notice_type


def notice_type_choices() -> list[tuple[str, Any]]:
    return sorted(((t.code, t.label) for t in notice_types.values()), key=lambda c: c[0])


# --- notification events ---------------------------------------------------------------------
@dataclass(frozen=True)
class NotificationEvent:
    """Something people are told about (``securityunion.notifications.services.notify``).

    ``label`` names it on the preferences page ("A case is assigned to me"); ``title`` is the
    entry's text, with ``%(case)s`` standing for the case's kind and reference ("Provider report
    RPT-2026-000042"): never case content, since the same words go into the e-mail's subject.
    ``audience``: capabilities of which a user needs one for the event to be offered on their
    preferences page (empty: everyone).
    """

    code: str
    label: Any
    title: Any
    audience: tuple[str, ...] = ()
    order: int = 100


notification_events: dict[str, NotificationEvent] = {}


def register_notification_event(event: NotificationEvent) -> NotificationEvent:
    """Register an event (from the raising part's ``AppConfig.ready``); idempotent."""
    if len(event.code) > 64:
        raise ImproperlyConfigured(f"Notification event {event.code!r} is over 64 characters.")
    existing = notification_events.get(event.code)
    if existing is not None and existing != event:
        raise ImproperlyConfigured(f"Notification event {event.code!r} is registered twice.")
    notification_events[event.code] = event
    return event


# --- benchmark parts with their own options ---------------------------------------------------
# benchmark part name -> add_arguments(parser): the part's own command-line options
benchmark_arguments: dict[str, Callable[[Any], None]] = {}


def register_benchmark_part(
    name: str,
    run: Callable[..., dict],
    *,
    add_arguments: Callable[[Any], None] | None = None,
) -> None:
    """A part of ``manage.py benchmark``: ``run(options, log)`` returns JSON-able figures, and
    ``add_arguments(parser)`` declares the options it reads (shown in the command's help)."""
    benchmark_parts[name] = run
    if add_arguments is not None:
        benchmark_arguments[name] = add_arguments


# --- navigation areas -------------------------------------------------------------------------
@dataclass(frozen=True)
class NavigationArea:
    label: Any
    url_name: str
    capabilities: tuple[str, ...]
    order: int = 100


navigation_areas: list[NavigationArea] = []


def register_navigation(
    label: Any, url_name: str, capabilities: tuple[str, ...], *, order: int = 100
) -> None:
    """An entry of the main navigation, shown to holders of any of ``capabilities``."""
    area = NavigationArea(label, url_name, tuple(capabilities), order)
    if area not in navigation_areas:
        navigation_areas.append(area)
        navigation_areas.sort(key=lambda a: (a.order, a.url_name))
