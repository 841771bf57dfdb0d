"""Base views every app's pages are built from.

A view body does four things: parse, fetch through the access policy, call a service, respond.
Every view declares ``required_capability``; querysets always come from
``securityunion.access.policy``; list pages never count the table.
"""

from __future__ import annotations

import datetime
import time
from abc import ABCMeta, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from securityunion.access.mixins import AUTHENTICATED, CapabilityRequiredMixin
from securityunion.access.policy import get_for_user_or_404, has_capability, visible
from securityunion.accounts.reauth import (
    ReauthenticationRequiredMixin,
    require_recent_authentication,
)
from securityunion.audit import verbs
from securityunion.audit.services import audit_read, audit_record
from securityunion.documents.csv import csv_response
from securityunion.documents.models import DocumentExport
from securityunion.documents.registry import pdf_builder_for
from securityunion.documents.services import (
    ExportUnavailable,
    case_file_open,
    case_file_request,
    case_file_status,
    csv_export_record,
)
from securityunion.lib import timefmt

from .filters import CaseQueueFilterSet
from .forms import ApprovalDecisionForm, BulkAssignForm, TransitionForm, add_service_errors
from .models import Approval
from .pagination import bounded_paginate
from .proposals import proposal_summary
from .saved_filters import (
    saved_filter_delete,
    saved_filter_query,
    saved_filter_save,
    saved_filters_of,
)
from .services import approval_decide, case_transition, pending_approval_for
from .sorting import SORT_PARAMETER, Sort, apply_sort, parse_sort
from .visibility import TIMELINE, case_file_context, case_view_for
from .widgets import FlagInput
from .workflow import StaleVersion, WorkflowError

# How a refused submission answers: the page again, with the form as typed and the error beside
# the field (invalid input), or with the refusal at the top (the case's state or the user's
# rights forbid it). Success redirects to the case (post/redirect/get).
INVALID = 400
FORBIDDEN = 403
CONFLICT = 409


@dataclass(frozen=True)
class Column:
    """One column of a generic list: a label and an attribute path (``a.b``) or a callable.

    ``sort`` names the key (of the view's ``sort_fields``) its header sorts by. ``css_class``
    shapes the cells (``nowrap``, ``truncate``: cut with an ellipsis, the full text in the
    cell's title). ``template`` renders the cell from ``value``, ``object`` and ``row``;
    ``export`` gives the CSV's text where the value is not already plain text. A column may be
    for the page only or for the CSV only (``on_page``, ``in_export``).
    """

    label: str
    accessor: Any
    link: bool = False
    sort: str = ""
    css_class: str = ""
    template: str = ""
    export: Any = None
    on_page: bool = True
    in_export: bool = True

    def value(self, obj: Any) -> Any:
        """The cell's value. A date or time takes the one format of pages, CSV and PDF, in the
        reader's time zone with the zone named (``timefmt``), unless the column renders it with
        a template of its own (which gets the value as it is)."""
        value = self._read(self.accessor, obj)
        return value if self.template else _display(value)

    def export_value(self, obj: Any) -> Any:
        if self.export is not None:
            return _display(self._read(self.export, obj))
        return _display(self._read(self.accessor, obj))

    @staticmethod
    def _read(accessor: Any, obj: Any) -> Any:
        if callable(accessor):
            return accessor(obj)
        value = obj
        for part in str(accessor).split("."):
            display = getattr(value, f"get_{part}_display", None)
            value = display() if display else getattr(value, part, None)
            if value is None:
                return ""
        return value


def _display(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timefmt.format_datetime(value)
    if isinstance(value, datetime.date):
        return timefmt.format_date(value)
    return value


@dataclass(frozen=True)
class Preset:
    """A built-in saved view of a list: a label and a query string."""

    label: str
    query: str


class ScopedMixin(CapabilityRequiredMixin):
    model: type[models.Model]

    def get_base_queryset(self) -> models.QuerySet:
        return visible(self.model._default_manager.all(), self.request.user)


# Parameters of a list page that are never part of a saved view.
_TRANSIENT_PARAMETERS = frozenset({"page", "export", "csrfmiddlewaretoken"})


class ScopedListView(ScopedMixin, TemplateView):
    """A filtered, sortable, bounded, exportable list of what the user may see.

    The page never counts the table (``bounded_paginate``), sorts by its headers
    (``sort_fields``, ``?sort=key`` / ``?sort=-key``), and keeps each user's saved views of it
    (``SavedFilter``, posted to the list itself) beside the view's built-in ``get_presets``.
    Filters, sort and page all live in the URL, and the CSV export applies the same filters and
    sort. A case queue whose filter set is a ``CaseQueueFilterSet`` shows open work unless
    asked for finished cases (``?include_closed=1``) and filters ``?awaiting_approval=1``;
    ``queue_options`` turns either off for a user.
    """

    template_name = "casework/generic_list.html"
    filterset_class: Any = None
    columns: tuple[Column, ...] = ()
    # Sort key -> the ascending order (field names, ``-field``, or expressions).
    sort_fields: dict[str, tuple[Any, ...]] = {}
    title = ""
    empty_text = gettext_lazy("Nothing matches these filters.")
    audit_reads = True
    export_capability = "export_csv"
    export_name = "export"
    select_related: tuple[str, ...] = ()
    saved_filters = True
    # A template rendered in a last column of each row (``object``, ``row``): per-row actions.
    row_actions_template = ""
    # Row selection for a bulk action: the POST field that carries the selected rows' keys.
    # The action is offered when ``get_bulk_url`` names where to post it; the page adds the
    # action's own fields in the template's ``bulk_panel`` block.
    bulk_field = "selected"

    # The list's URL name. Empty: the URL the request came to (a list shown again by another
    # view, such as a refused bulk action, names it so that its links and forms point here).
    list_url_name = ""

    @cached_property
    def sort(self) -> Sort | None:
        """The requested sort when it is one of ``sort_fields``; None: the default order."""
        return parse_sort(self.request.GET.get(SORT_PARAMETER), self.sort_fields)

    def queue_options(self) -> dict[str, bool]:
        """For a ``CaseQueueFilterSet``: whether this user's list shows open work unless asked
        for finished cases (``open_only``) and may filter on pending proposals (``approvals``).
        """
        return {"open_only": True, "approvals": True}

    def get_filterset_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"request": self.request}
        if issubclass(self.filterset_class, CaseQueueFilterSet):
            kwargs.update(self.queue_options())
        return kwargs

    @property
    def page_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.on_page)

    def sorted_queryset(self, qs: models.QuerySet) -> models.QuerySet:
        if self.sort is None:
            return qs
        return apply_sort(qs, self.sort, self.sort_fields[self.sort.key])

    def filtered_queryset(self) -> tuple[models.QuerySet, Any]:
        qs = self.get_base_queryset()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        qs = self.sorted_queryset(qs)
        if self.filterset_class is None:
            return qs, None
        # Always bound: defaults that hold without parameters (open work only) apply too.
        filterset = self.filterset_class(
            self.request.GET, queryset=qs, **self.get_filterset_kwargs()
        )
        if not filterset.is_valid():
            return qs.none(), filterset
        return filterset.qs, filterset

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        qs, filterset = self.filtered_queryset()
        if request.GET.get("export") == "csv":
            return self.export_csv(qs)
        return self.render_list(qs, filterset, **kwargs)

    def render_list(
        self,
        qs: models.QuerySet,
        filterset: Any,
        *,
        status: int = 200,
        bound_forms: dict[str, Any] | None = None,
        selected: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> HttpResponse:
        page = bounded_paginate(qs, self.request.GET.get("page"))
        if self.audit_reads:
            audit_read(
                actor=self.request.user, objects=page.object_list, what=self.model._meta.label_lower
            )
        context = self.get_context_data(page=page, filterset=filterset, **kwargs)
        context.update(bound_forms or {})
        chosen = set(selected)
        for row in context["rows"]:
            row["selected"] = row["key"] in chosen
        return self.render_to_response(context, status=status)

    def render_refused(
        self, *, forms: dict[str, Any], selected: tuple[str, ...], status: int = INVALID
    ) -> HttpResponse:
        """The list as the user left it (filters from ``self.request.GET``), the bulk action's
        form bound with its errors and the selected rows still ticked."""
        qs, filterset = self.filtered_queryset()
        return self.render_list(qs, filterset, status=status, bound_forms=forms, selected=selected)

    # --- saved views ---------------------------------------------------------------------

    @property
    def list_name(self) -> str:
        """The URL name of this list: what a saved view is kept under."""
        return self.list_url_name or self.request.resolver_match.view_name

    @property
    def list_path(self) -> str:
        return reverse(self.list_url_name) if self.list_url_name else self.request.path

    def saved_query_keys(self) -> frozenset[str]:
        keys = {SORT_PARAMETER}
        if self.filterset_class is not None:
            keys |= set(self.filterset_class.base_filters)
        return frozenset(keys - _TRANSIENT_PARAMETERS)

    def get_presets(self) -> list[Preset]:
        """Built-in views of this list for this user (the app's own presets)."""
        return []

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        """Save the list's current view (its query string) under a name, or delete a saved one."""
        if not self.saved_filters:
            return HttpResponseNotAllowed(["GET"])
        query = saved_filter_query(request.GET, self.saved_query_keys())
        if request.POST.get("delete_saved_filter"):
            label = saved_filter_delete(
                owner=request.user,
                list_name=self.list_name,
                pk=request.POST["delete_saved_filter"],
            )
            messages.success(request, _("Saved view “%s” deleted.") % label)
        else:

            def save() -> str:
                saved = saved_filter_save(
                    owner=request.user,
                    list_name=self.list_name,
                    label=request.POST.get("label", ""),
                    query=query,
                )
                return _("View saved as “%s”.") % saved.label

            run_action(request, save)
        return HttpResponseRedirect(self.list_path + (f"?{query}" if query else ""))

    def saved_views(self, current_query: str) -> list[dict[str, Any]]:
        views = [
            {"label": p.label, "query": p.query, "preset": True, "pk": None}
            for p in self.get_presets()
        ]
        if self.saved_filters:
            views += [
                {"label": s.label, "query": s.query, "preset": False, "pk": s.pk}
                for s in saved_filters_of(self.request.user, self.list_name)
            ]
        for view in views:
            view["current"] = QueryDict(view["query"]) == QueryDict(current_query)
        return views

    # --- rendering -----------------------------------------------------------------------

    def row_url(self, obj: Any) -> str:
        return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""

    def row_key(self, obj: Any) -> str:
        """What a selected row posts to the bulk action."""
        return str(obj.pk)

    def row_class(self, obj: Any) -> str:
        return ""

    def get_bulk_url(self) -> str:
        """Where the selected rows are posted; empty when this user has no bulk action."""
        return ""

    def open_switch(self, filterset: Any, query: QueryDict) -> dict[str, str] | None:
        """The visible switch between open work and every case (``include_closed``)."""
        if filterset is None or "include_closed" not in filterset.filters:
            return None
        toggled = query.copy()
        if filterset.shows_open_only:
            toggled["include_closed"] = "1"
            return {
                "state": _("Open work only."),
                "label": _("Include finished cases"),
                "query": toggled.urlencode(),
            }
        if FlagInput.is_set(query.get("include_closed", "")):
            toggled.pop("include_closed", None)
            return {
                "state": _("Including finished cases."),
                "label": _("Open work only"),
                "query": toggled.urlencode(),
            }
        return None

    def headers(self, query: QueryDict) -> list[dict[str, Any]]:
        """Each column's header: its label and, when sortable, the link that sorts by it (the
        other direction when it is the current sort) and its ``aria-sort``."""
        headers = []
        for column in self.page_columns:
            header: dict[str, Any] = {"column": column, "label": column.label}
            if column.sort and column.sort in self.sort_fields:
                current = self.sort is not None and self.sort.key == column.sort
                following = Sort(column.sort, descending=current and not self.sort.descending)
                link = query.copy()
                link[SORT_PARAMETER] = following.value
                header.update(
                    url=f"{self.list_path}?{link.urlencode()}",
                    aria_sort=self.sort.aria if current else "none",
                    current=current,
                    descending=current and self.sort.descending,
                )
            headers.append(header)
        return headers

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = kwargs["page"]
        filterset = kwargs.get("filterset")
        # The page's own links (headers, pages, export, views) carry the filters that have a
        # value: a submitted filter form sends every field, most of them empty.
        query = QueryDict(mutable=True)
        for key, values in self.request.GET.lists():
            kept = [v for v in values if v.strip()]
            if kept and key not in ("page", "export"):
                query.setlist(key, kept)
        if self.sort is None and (filterset is None or SORT_PARAMETER not in filterset.filters):
            query.pop(SORT_PARAMETER, None)  # an undeclared sort, ignored: not carried on
        bulk_url = self.get_bulk_url()
        query_string = query.urlencode()
        filter_params = [k for k in query if k != SORT_PARAMETER]
        context.update(
            title=self.title or self.model._meta.verbose_name_plural.capitalize(),
            columns=self.page_columns,
            headers=self.headers(query),
            sort=self.sort,
            rows=[
                {
                    "object": obj,
                    "url": self.row_url(obj),
                    "key": self.row_key(obj),
                    "css_class": self.row_class(obj),
                    "cells": [(c, c.value(obj)) for c in self.page_columns],
                }
                for obj in page.object_list
            ],
            bulk={"url": bulk_url, "field": self.bulk_field} if bulk_url else None,
            assign_form=BulkAssignForm() if bulk_url else None,
            list_path=self.list_path,
            query_string=query_string,
            filters_applied=bool(filter_params),
            open_switch=self.open_switch(filterset, query),
            open_by_default=filterset is not None and "include_closed" in filterset.filters,
            row_actions_template=self.row_actions_template,
            finished_statuses=getattr(getattr(self.model, "workflow", None), "finished", ()),
            shows_open_only=bool(getattr(filterset, "shows_open_only", False)),
            saved_views=self.saved_views(query_string),
            can_save_view=self.saved_filters,
            can_export=has_capability(self.request.user, self.export_capability),
            empty_text=self.empty_text,
        )
        return context

    def export_csv(self, qs: models.QuerySet):  # noqa: ANN201
        if not has_capability(self.request.user, self.export_capability):
            raise PermissionDenied
        # Case data leaves the system: the person at the keyboard proves it is still them.
        require_recent_authentication(self.request)
        limit = settings.CSV_EXPORT_MAX_ROWS
        csv_export_record(
            actor=self.request.user,
            what=self.model._meta.label_lower,
            filters={k: v for k, v in self.request.GET.items() if k not in ("export", "page")},
            limit=limit,
        )
        columns = [c for c in self.columns if c.in_export]
        header = [str(c.label) for c in columns]
        rows = (
            [c.export_value(obj) for c in columns] for obj in qs[:limit].iterator(chunk_size=2000)
        )
        return csv_response(f"{self.export_name}.csv", header, rows)


class ScopedDetailView(ScopedMixin, TemplateView):
    """One object through the user's scope (404 outside it); the read is audited."""

    template_name = "casework/generic_detail.html"
    lookup_field = "reference"
    lookup_url_kwarg = "reference"
    audit_reads = True

    def get_object(self) -> models.Model:
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg]}
        return get_for_user_or_404(self.model._default_manager.all(), self.request.user, **lookup)

    # Forms of the page as a refused submission left them (``render_refused``), by context name.
    bound_forms: dict[str, Any] = {}

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        self.object = self.get_object()
        if self.audit_reads:
            audit_record(actor=request.user, verb=verbs.VIEW, target=self.object)
        return self.render_to_response(self.get_context_data(object=self.object, **kwargs))

    def render_refused(self, *, forms: dict[str, Any], status: int = INVALID) -> HttpResponse:
        """The page again for a refused action: ``forms`` (context name -> bound form) replace
        the page's blank ones, every other form stays blank. The read is audited like a GET."""
        self.bound_forms = forms
        self.object = self.get_object()
        if self.audit_reads:
            audit_record(actor=self.request.user, verb=verbs.VIEW, target=self.object)
        context = self.get_context_data(object=self.object, **self.kwargs)
        context.update(forms)
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = kwargs["object"]
        context["object"] = obj
        # The page's <title> (base.html) unless the template names it itself.
        context.setdefault("title", f"{capfirst(obj._meta.verbose_name)} {obj}")
        workflow = getattr(type(obj), "workflow", None)
        if workflow is not None:
            pending = pending_approval_for(obj)
            context["pending_approval"] = pending
            context["pending_transition"] = workflow.get(pending.transition) if pending else None
            context["transitions"] = workflow.available(
                obj, self.request.user, pending_approval=pending is not None
            )
            context["transition_forms"] = [
                (
                    t,
                    self.bound_forms.get(f"transition_form:{t.name}")
                    or TransitionForm(transition=t, version=obj.version),
                )
                for t in context["transitions"]
            ]
            context["can_decide_approval"] = bool(
                pending
                and pending.proposed_by_id != self.request.user.pk
                and has_capability(
                    self.request.user, workflow.get(pending.transition).approve_capability
                )
            )
            pending_t = context["pending_transition"]
            if pending is not None and (
                pending_t.allowed(self.request.user)
                or has_capability(self.request.user, pending_t.approve_capability)
            ):
                # What the proposal would do, for those who may propose or decide it (its
                # recipients are not for a reader of the case such as one of them).
                items = proposal_summary(case=obj, approval=pending)
                context["proposal_items"] = items
                # A summary that quotes the proposer's reason (a statement the company receives)
                # shows it under its own label; the panel does not repeat it.
                context["reason_in_summary"] = any(
                    item.quote and item.value == pending.reason for item in items
                )
            if context["can_decide_approval"]:
                context["approval_form"] = self.bound_forms.get(
                    "approval_form"
                ) or ApprovalDecisionForm(initial={"decision": "approve"})
        # What of the object this user sees (``visibility``): the app's view reads it from here.
        view = case_view_for(self.request.user, obj)
        context["case_view"] = view
        context["timeline"] = view.events(TIMELINE, limit=100)
        return context


def run_action(request: Any, action: Callable[[], str]) -> bool:
    """Run a service call for a page; report its outcome as a message.

    Rule violations (validation, workflow state, permission) become error messages the user
    can act on; anything else is a bug and propagates.
    """
    try:
        message = action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    except (WorkflowError, PermissionDenied) as error:
        messages.error(request, str(error) or _("This action is not allowed."))
    else:
        messages.success(request, message)
        return True
    return False


def _case_page_view(request: Any, case: models.Model) -> ScopedDetailView | None:
    """The detail view that shows ``case`` (found through its URL), set up for ``request``."""
    try:
        match = resolve(case.get_absolute_url())  # type: ignore[attr-defined]
    except (AttributeError, Resolver404):
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ScopedDetailView):
        return None
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return view


def refused_response(
    request: Any,
    case: models.Model,
    *,
    forms: dict[str, Any],
    error: Exception | None = None,
) -> HttpResponse:
    """Answer a refused action on ``case``: its page again with ``forms`` as typed.

    A ``ValidationError`` goes on the form (beside the field it names) and answers 400; a
    workflow refusal (the case's state, a stale version) 409 and a permission refusal 403, with
    the reason at the top of the page. Without a form or a page to show it on, the message is
    kept for the case page the user is sent back to.
    """
    status = INVALID
    form = next(iter(forms.values()), None)
    if isinstance(error, ValidationError):
        if form is not None:
            add_service_errors(form, error)
        else:
            for text in error.messages:
                messages.error(request, text)
    elif isinstance(error, (WorkflowError, PermissionDenied)):
        status = CONFLICT if isinstance(error, WorkflowError) else FORBIDDEN
        messages.error(request, str(error) or _("This action is not allowed."))
        if isinstance(error, StaleVersion) and form is not None and "version" in form.fields:
            # The page now shows the case as it is: a new submission applies to that version.
            form.data = form.data.copy()
            form.data["version"] = str(case.version)  # type: ignore[attr-defined]
    view = _case_page_view(request, case) if form is not None else None
    if view is None:
        if form is not None:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for text in errors:
                    messages.error(request, f"{label}: {text}" if label else text)
        return HttpResponseRedirect(case.get_absolute_url())  # type: ignore[attr-defined]
    return view.render_refused(forms=forms, status=status)


class BulkAssignView(ScopedMixin, View, metaclass=ABCMeta):
    """Assign the rows selected on a list to one user, or unassign them (``BulkAssignForm``);
    or, with ``assign_to_me`` posted, assign them to the user posting ("Assign to me").

    The rows are looked up by ``key_field`` among what the user may see; the app's service
    (``assign``) checks the assignee and the capability and assigns them all or none. A refusal
    shows the list again as it was (its filters from the posted ``query``), the rows still
    ticked and the error in the action's form.
    """

    http_method_names = ["post"]
    bulk_field = "selected"  # the list's ``bulk_field``
    key_field = "reference"
    list_url_name = ""
    max_rows = 200
    nothing_selected = gettext_lazy("Select at least one row.")
    assigned = gettext_lazy("%d case(s) assigned.")

    @abstractmethod
    def assign(self, cases: list[models.Model], assignee: Any) -> int:
        """Assign ``cases`` to ``assignee`` (None: unassign) through the app's service."""

    def refused(
        self, form: BulkAssignForm, keys: list[str], error: Exception | None = None
    ) -> HttpResponse:
        status = INVALID
        if isinstance(error, ValidationError):
            add_service_errors(form, error)
        elif error is not None:
            status = CONFLICT if isinstance(error, WorkflowError) else FORBIDDEN
            form.add_error(None, str(error) or _("This action is not allowed."))
        match = resolve(reverse(self.list_url_name))
        view = match.func.view_class(**getattr(match.func, "view_initkwargs", {}))
        self.request.GET = QueryDict(self.request.POST.get("query", ""))
        view.setup(self.request, *match.args, **match.kwargs)
        return view.render_refused(forms={"assign_form": form}, selected=tuple(keys), status=status)

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        from securityunion.accounts.models import User

        keys = request.POST.getlist(self.bulk_field)[: self.max_rows]
        form = BulkAssignForm(request.POST)
        if not form.is_valid():
            return self.refused(form, keys)
        if not keys:
            form.add_error(None, str(self.nothing_selected))
            return self.refused(form, keys)
        username = form.cleaned_data["assignee"].strip()
        assignee = None
        if request.POST.get("assign_to_me"):
            assignee = request.user
        elif username:
            assignee = User.objects.filter(username=username, is_active=True).first()
            if assignee is None:
                form.add_error("assignee", _("There is no active user “%s”.") % username)
                return self.refused(form, keys)
        cases = list(self.get_base_queryset().filter(**{f"{self.key_field}__in": keys}))
        try:
            count = self.assign(cases, assignee)
        except (ValidationError, WorkflowError, PermissionDenied) as error:
            return self.refused(form, keys, error)
        messages.success(request, str(self.assigned) % count)
        query = request.POST.get("query", "")
        return HttpResponseRedirect(reverse(self.list_url_name) + (f"?{query}" if query else ""))


class CaseActionView(ScopedMixin, View, metaclass=ABCMeta):
    """A POST action on one case: fetch it through the policy, validate the optional form,
    call a service (``perform`` returns the success message), go back to the case.

    A refused submission shows the case page again (``refused_response``) with this form as
    typed, found on the page under ``form_context_name``; the page's other forms stay blank.
    """

    lookup_field = "reference"
    lookup_url_kwarg = "reference"
    http_method_names = ["post"]
    form_class: Any = None
    form_context_name = ""

    def get_form_kwargs(self, case: models.Model) -> dict[str, Any]:
        return {}

    def get_form(self, case: models.Model) -> Any:
        if self.form_class is None:
            return None
        return self.form_class(self.request.POST, **self.get_form_kwargs(case))

    def get_form_context_name(self, form: Any) -> str:
        return self.form_context_name or "form"

    @abstractmethod
    def perform(self, case: Any, form: Any) -> str:
        """Call the service; return the message shown on success."""

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg]}
        case = get_for_user_or_404(self.model._default_manager.all(), request.user, **lookup)
        form = self.get_form(case)
        forms = {self.get_form_context_name(form): form} if form is not None else {}
        if form is not None and not form.is_valid():
            return refused_response(request, case, forms=forms)
        try:
            message = self.perform(case, form)
        except (ValidationError, WorkflowError, PermissionDenied) as error:
            return refused_response(request, case, forms=forms, error=error)
        messages.success(request, message)
        return HttpResponseRedirect(case.get_absolute_url())


class TransitionView(CaseActionView):
    """POST ``transition``, ``reason`` and ``version``: take (or propose) a transition.

    Accepts exactly what the detail page offers (``Workflow.available`` for this user): a
    transition that only a domain service takes (one that carries data) is refused, the
    refusal audited, and nothing changes.
    """

    def get_form(self, case: models.Model) -> Any:
        try:
            transition = type(case).workflow.get(self.request.POST.get("transition", ""))
        except WorkflowError:
            return None  # the service refuses it (and audits the refusal)
        return TransitionForm(self.request.POST, transition=transition)

    def get_form_context_name(self, form: Any) -> str:
        return f"transition_form:{form.transition.name}"

    def perform(self, case: Any, form: Any) -> str:
        data = form.cleaned_data if form is not None else {}
        result = case_transition(
            case=case,
            transition=self.request.POST.get("transition", ""),
            actor=self.request.user,
            reason=data.get("reason", ""),
            expected_version=data.get("version"),
            offered_only=True,
        )
        if isinstance(result, Approval):
            return _("Proposal recorded; it now awaits a second person.")
        return _("Status changed to “%s”.") % result.get_status_display()


class ApprovalDecisionView(CapabilityRequiredMixin, View):
    """POST ``decision`` (approve / send_back) and ``reason`` on a pending proposal."""

    http_method_names = ["post"]
    required_capability = "__authenticated__"

    def post(self, request, pk: int, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        approval = get_object_or_404(Approval, pk=pk)
        case = approval.case
        if case is None:
            raise PermissionDenied
        case = get_for_user_or_404(type(case)._default_manager.all(), request.user, pk=case.pk)
        form = ApprovalDecisionForm(request.POST)
        forms = {"approval_form": form}
        if not form.is_valid():
            return refused_response(request, case, forms=forms)
        try:
            approval_decide(
                approval=approval,
                actor=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, WorkflowError, PermissionDenied) as error:
            return refused_response(request, case, forms=forms, error=error)
        messages.success(request, _("Decision recorded."))
        return HttpResponseRedirect(case.get_absolute_url())


def _pdf_response(export: DocumentExport, pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{export.title}.pdf"'
    response["X-Document-SHA256"] = export.sha256
    return response


class PdfExportView(ScopedMixin, ReauthenticationRequiredMixin, View):
    """A case file as PDF, rendered by a worker; the export is audited with its SHA-256.

    The document is a builder of ``securityunion.documents.registry``: ``pdf_builder`` names its
    key, or the one builder registered for ``model`` is used. Each app registers its builders
    from its ``pdf.py``. The request queues the export, waits up to ``CASE_FILE_WAIT_SECONDS``
    for it and answers the PDF; a longer one continues in the background and the user is sent
    to the export's own page, which refreshes until it is ready.
    """

    lookup_field = "reference"
    lookup_url_kwarg = "reference"
    pdf_builder = ""
    required_capability = "export_pdf"
    poll_seconds = 0.2

    def get_pdf_context(self, obj: models.Model, user: Any) -> dict[str, Any]:
        """Cover, decisions with reasons (four-eyes proposals) and the timeline or audit excerpt,
        as far as ``user`` sees them (``visibility``)."""
        return default_case_file_context(obj, user)

    def get_builder_key(self) -> str:
        return self.pdf_builder or pdf_builder_for(self.model).key

    def wait_for_file(self, export: DocumentExport, seconds: float) -> DocumentExport:
        """The export once finished, or as it is after ``seconds`` (no transaction is held)."""
        deadline = time.monotonic() + seconds
        while not export.is_finished and time.monotonic() < deadline:
            time.sleep(self.poll_seconds)
            export.refresh_from_db(fields=["status", "sha256", "size", "error", "finished_at"])
        return export

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg]}
        obj = get_for_user_or_404(self.model._default_manager.all(), request.user, **lookup)
        export = case_file_request(builder=self.get_builder_key(), target=obj, actor=request.user)
        export = self.wait_for_file(export, settings.CASE_FILE_WAIT_SECONDS)
        if export.status == DocumentExport.Status.READY:
            try:
                export, pdf = case_file_open(export_id=export.pk, actor=request.user)
            except ExportUnavailable:
                raise Http404 from None
            return _pdf_response(export, pdf)
        return HttpResponseRedirect(reverse("casework:export", kwargs={"pk": export.pk}))


def default_case_file_context(obj: models.Model, user: Any) -> dict[str, Any]:
    """A PDF builder's context for any case: the record, its decisions and its timeline or audit
    excerpt, as far as ``user`` sees them."""
    return case_file_context(case_view_for(user, obj))


class ExportView(CapabilityRequiredMixin, TemplateView):
    """A requested case file: being prepared (the page refreshes itself), ready, or failed.

    Open to any signed-in user, like the download: ``case_file_status`` shows an export only to
    its requester while they hold its builder's capability (``export_pdf`` for case files,
    another for documents such as the statistics report) and see its record; else a 404.
    """

    required_capability = AUTHENTICATED
    template_name = "casework/export.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            export = case_file_status(export_id=kwargs["pk"], actor=self.request.user)
        except ExportUnavailable:
            raise Http404 from None
        context["export"] = export
        context["title"] = _("Case file %s") % export.title
        context["kept_until"] = export.created_at + timedelta(hours=settings.CASE_FILE_KEEP_HOURS)
        return context


class ExportPdfView(CapabilityRequiredMixin, View):
    """The document of a ready export, for the user who asked for it while they may still see
    the record (checked again now; a refusal is a 404, audited)."""

    required_capability = AUTHENTICATED

    def get(self, request, pk, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        try:
            export, pdf = case_file_open(export_id=pk, actor=request.user)
        except ExportUnavailable:
            raise Http404 from None
        return _pdf_response(export, pdf)
