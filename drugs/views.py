"""Pages of the drugs area: the plan's overview, a priority, the actions and an action with
its status and progress updates. Each view reads through ``selectors`` and writes through one
service call."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from securityunion.access.mixins import CapabilityRequiredMixin
from securityunion.access.policy import get_for_user_or_404, has_capability
from securityunion.casework.views import (
    CaseActionView,
    Column,
    ScopedDetailView,
    ScopedListView,
    TransitionView,
    refused_response,
)
from securityunion.casework.workflow import WorkflowError

from . import selectors, services
from .filters import ActionFilterSet
from .forms import ActionForm, ProgressUpdateForm, ResubmitForm, ReviewForm
from .models import Action, ProgressUpdate

SEE_PLAN = selectors.SEE_PLAN
MANAGE = "drugs_manage"


def _current_actions() -> Any:
    return Action.objects.filter(framework__is_current=True)


class OverviewView(CapabilityRequiredMixin, TemplateView):
    required_capability = SEE_PLAN
    template_name = "drugs/overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            title=_("Drugs: agenda and action plan"),
            framework=selectors.current_framework(),
            headings=selectors.priorities_overview(user),
            totals=selectors.status_totals(user),
            can_manage=has_capability(user, MANAGE),
            sees_all=has_capability(user, "drugs_view_all"),
        )
        return context


class PriorityView(CapabilityRequiredMixin, TemplateView):
    required_capability = SEE_PLAN
    template_name = "drugs/priority_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        priority = selectors.priority_for(self.request.user, kwargs["number"])
        if priority is None:
            raise Http404
        context.update(
            title=str(priority),
            priority=priority,
            actions=list(selectors.action_list(self.request.user).filter(priority=priority)),
        )
        return context


def _lead_names(action: Action) -> str:
    return ", ".join(part.actor.name for part in getattr(action, "lead_parts", []))


def _short(text: str, length: int = 110) -> str:
    return text if len(text) <= length else text[:length] + "…"


class ActionListView(ScopedListView):
    model = Action
    required_capability = SEE_PLAN
    filterset_class = ActionFilterSet
    template_name = "drugs/action_list.html"
    title = gettext_lazy("Actions")
    export_name = "drug-actions"
    audit_reads = False
    empty_text = gettext_lazy("No action matches these filters.")
    columns = (
        Column(gettext_lazy("No."), "number"),
        Column(gettext_lazy("Priority"), "priority.number"),
        Column(gettext_lazy("Action"), lambda a: _short(a.text)),
        Column(gettext_lazy("Lead"), _lead_names),
        Column(gettext_lazy("Timetable"), "timetable_display"),
        Column(gettext_lazy("Status"), "status"),
    )

    def get_base_queryset(self):  # noqa: ANN201
        return selectors.action_list(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = has_capability(self.request.user, MANAGE)
        return context


class ActionDetailView(ScopedDetailView):
    model = Action
    required_capability = SEE_PLAN
    template_name = "drugs/action_detail.html"
    lookup_field = "number"
    lookup_url_kwarg = "number"
    audit_reads = False

    def get_object(self) -> Action:
        return get_for_user_or_404(
            _current_actions().select_related("priority__heading", "framework"),
            self.request.user,
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        action: Action = kwargs["object"]
        user = self.request.user
        updates = selectors.updates_of(action, user)
        may_review = has_capability(user, "drugs_review_updates")
        my_actor = selectors.actor_of(user)
        rows = []
        for update in updates:
            row: dict[str, Any] = {"update": update}
            if may_review and update.status == ProgressUpdate.Status.SUBMITTED:
                row["review_form"] = self.bound_forms.get(f"review_form:{update.pk}") or ReviewForm(
                    update_pk=update.pk, initial={"version": update.version}
                )
            if (
                update.status == ProgressUpdate.Status.RETURNED
                and my_actor is not None
                and update.actor_id == my_actor.pk
                and has_capability(user, "drugs_report_progress")
            ):
                row["resubmit_form"] = self.bound_forms.get(
                    f"resubmit_form:{update.pk}"
                ) or ResubmitForm(
                    update_pk=update.pk,
                    initial={
                        "version": update.version,
                        "rag": update.rag,
                        "narrative": update.narrative,
                        "evidence_links": "\n".join(update.evidence_links),
                    },
                )
            rows.append(row)
        may_report = action.status != Action.Status.DISCONTINUED and selectors.may_report_on(
            user, action
        )
        context.update(
            title=str(action),
            parts=selectors.action_parts(action),
            update_rows=rows,
            update_form=(self.bound_forms.get("update_form") or ProgressUpdateForm())
            if may_report
            else None,
            can_manage=has_capability(user, MANAGE),
            transition_url=_url("drugs:action_transition", action),
        )
        return context


def _url(name: str, action: Action) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"number": action.number})


class _ActionFormView(CapabilityRequiredMixin, FormView):
    required_capability = MANAGE
    form_class = ActionForm
    template_name = "drugs/action_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["framework"] = selectors.current_framework()
        return kwargs

    def values(self, form: ActionForm) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "number": data["number"],
            "text": data["text"],
            "priority": data["priority"],
            "timetable": data["timetable"],
            "due_year": data["due_year"],
            "due_date": data["due_date"],
            "lead_actors": list(data["lead_actors"]),
            "contributing_actors": list(data["contributing_actors"]),
        }

    def refused(self, form: ActionForm, error: Exception) -> Any:
        if isinstance(error, ValidationError):
            from securityunion.casework.forms import add_service_errors

            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        form.add_error(None, str(error) or _("This action is not allowed."))
        status = 409 if isinstance(error, WorkflowError) else 403
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def form_invalid(self, form: ActionForm) -> Any:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ActionCreateView(_ActionFormView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=_("New action"), submit_label=_("Add the action"))
        return context

    def form_valid(self, form: ActionForm) -> Any:
        try:
            action = services.action_create(
                framework=selectors.current_framework(),
                actor=self.request.user,
                **self.values(form),
            )
        except (ValidationError, WorkflowError, PermissionDenied) as error:
            return self.refused(form, error)
        messages.success(self.request, _("Action %s added.") % action.number)
        return HttpResponseRedirect(action.get_absolute_url())


class ActionEditView(_ActionFormView):
    def dispatch(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if request.user.is_authenticated:
            self.action = get_for_user_or_404(
                _current_actions(), request.user, number=kwargs["number"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        a = self.action
        parts = selectors.action_parts(a)
        return {
            "version": a.version,
            "number": a.number,
            "priority": a.priority_id,
            "text": a.text,
            "timetable": a.timetable,
            "due_year": a.due_year,
            "due_date": a.due_date,
            "lead_actors": [x.pk for x in parts["lead"]],
            "contributing_actors": [x.pk for x in parts["contributors"]],
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Edit %s") % self.action,
            submit_label=_("Save"),
            cancel_url=self.action.get_absolute_url(),
        )
        return context

    def form_valid(self, form: ActionForm) -> Any:
        try:
            action = services.action_update(
                action=self.action,
                expected_version=form.cleaned_data["version"] or 0,
                actor=self.request.user,
                **self.values(form),
            )
        except (ValidationError, WorkflowError, PermissionDenied) as error:
            return self.refused(form, error)
        messages.success(self.request, _("Action %s saved.") % action.number)
        return HttpResponseRedirect(action.get_absolute_url())


class ActionTransitionView(TransitionView):
    """Coordinators change an action's status; the service refuses (and audits) anyone else,
    including a hand-made POST of a transition the page did not offer."""

    model = Action
    required_capability = SEE_PLAN
    lookup_field = "number"
    lookup_url_kwarg = "number"


class ProgressSubmitView(CaseActionView):
    model = Action
    required_capability = "drugs_report_progress"
    lookup_field = "number"
    lookup_url_kwarg = "number"
    form_class = ProgressUpdateForm
    form_context_name = "update_form"

    def perform(self, case: Action, form: ProgressUpdateForm) -> str:
        services.progress_update_submit(
            action=case,
            period=form.cleaned_data["period"],
            rag=form.cleaned_data["rag"],
            narrative=form.cleaned_data["narrative"],
            evidence_links=form.links(),
            actor=self.request.user,
        )
        return _("Progress update submitted.")


class _UpdateActionView(CapabilityRequiredMixin, View, metaclass=ABCMeta):
    """A POST on one progress update, answered on its action's page."""

    http_method_names = ["post"]
    form_name = ""

    @abstractmethod
    def form(self, update: ProgressUpdate) -> Any:
        """The bound form of this action."""

    @abstractmethod
    def perform(self, update: ProgressUpdate, form: Any) -> str:
        """Carry the action out through its service; the success message."""

    def post(self, request, pk: int, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        update = get_for_user_or_404(
            ProgressUpdate.objects.select_related("action"), request.user, pk=pk
        )
        form = self.form(update)
        forms = {f"{self.form_name}:{update.pk}": form}
        if not form.is_valid():
            return refused_response(request, update.action, forms=forms)
        try:
            message = self.perform(update, form)
        except (ValidationError, WorkflowError, PermissionDenied) as error:
            return refused_response(request, update.action, forms=forms, error=error)
        messages.success(request, message)
        return HttpResponseRedirect(update.action.get_absolute_url())


class ProgressReviewView(_UpdateActionView):
    required_capability = "drugs_review_updates"
    form_name = "review_form"

    def form(self, update: ProgressUpdate) -> ReviewForm:
        return ReviewForm(self.request.POST, update_pk=update.pk)

    def perform(self, update: ProgressUpdate, form: ReviewForm) -> str:
        accept = form.cleaned_data["decision"] == "accept"
        services.progress_update_review(
            update=update,
            accept=accept,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
            actor=self.request.user,
        )
        return _("Update accepted.") if accept else _("Update returned with your comments.")


class ProgressResubmitView(_UpdateActionView):
    required_capability = "drugs_report_progress"
    form_name = "resubmit_form"

    def form(self, update: ProgressUpdate) -> ResubmitForm:
        return ResubmitForm(self.request.POST, update_pk=update.pk)

    def perform(self, update: ProgressUpdate, form: ResubmitForm) -> str:
        services.progress_update_resubmit(
            update=update,
            rag=form.cleaned_data["rag"],
            narrative=form.cleaned_data["narrative"],
            evidence_links=form.links(),
            expected_version=form.cleaned_data["version"],
            actor=self.request.user,
        )
        return _("Update submitted again.")
