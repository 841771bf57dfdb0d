"""The victim pages: each view fetches through the scope and makes one service call.

Another officer's case is a 404 like a missing one (``get_for_user_or_404``); every read of a
case (page, PDF) is audited by the shared views.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from securityunion.access.mixins import CapabilityRequiredMixin
from securityunion.access.policy import has_capability
from securityunion.casework.forms import add_service_errors
from securityunion.casework.views import (
    CaseActionView,
    Column,
    PdfExportView,
    ScopedDetailView,
    ScopedListView,
    TransitionView,
)
from securityunion.lib.timefmt import format_date

from . import services
from .effects import PERSONAL_FIELDS
from .filters import VictimCaseFilterSet
from .forms import AssignForm, AssistanceForm, PersonalDataForm, VictimCaseCreateForm
from .models import VictimCase
from .pdf import CASE_FILE, INFORMATION
from .selectors import ASSISTANCE, PERSONAL, WORK

SEE = ("victims_view_all", "victims_view_assigned")


class VictimCaseListView(ScopedListView):
    model = VictimCase
    required_capability = SEE
    template_name = "victims/case_list.html"
    filterset_class = VictimCaseFilterSet
    title = gettext_lazy("Victim cases")
    export_name = "victim-cases"
    select_related = ("country", "assignee")
    columns = (
        Column(gettext_lazy("Reference"), "reference", link=True),
        Column(gettext_lazy("Status"), "status"),
        Column(gettext_lazy("Country of residence"), "country"),
        Column(gettext_lazy("Assigned officer"), lambda c: c.assignee or "—"),
        Column(gettext_lazy("Opened"), lambda c: format_date(c.created_at)),
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_create"] = has_capability(self.request.user, WORK)
        return context


class VictimCaseCreateView(CapabilityRequiredMixin, FormView):
    """An officer or the lead opens a case (an officer's is assigned to them)."""

    required_capability = WORK
    form_class = VictimCaseCreateForm
    template_name = "casework/generic_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("New victim case"),
            submit_label=_("Open the case"),
            cancel_url=reverse("victims:index"),
        )
        return context

    def form_valid(self, form: VictimCaseCreateForm):  # noqa: ANN201
        data = form.cleaned_data
        try:
            case = services.victim_case_create(
                actor=self.request.user,
                country=data["country"],
                consent_scope=data["consent_scope"],
                consent_given_on=data["consent_given_on"],
                personal={name: data.get(name, "") for name in PERSONAL_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not open a case."))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        messages.success(self.request, _("Case %s opened.") % case.reference)
        return HttpResponseRedirect(case.get_absolute_url())

    def form_invalid(self, form: VictimCaseCreateForm):  # noqa: ANN201
        return self.render_to_response(self.get_context_data(form=form), status=400)


class VictimCaseDetailView(ScopedDetailView):
    model = VictimCase
    required_capability = SEE
    template_name = "victims/case_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case: VictimCase = context["object"]
        view = context["case_view"]
        user = self.request.user
        open_case = case.status not in VictimCase.workflow.final
        may_work = has_capability(user, WORK) and open_case
        context.update(
            transition_url=reverse("victims:transition", kwargs={"reference": case.reference}),
            personal=view[PERSONAL],
            assistance=view.rows(ASSISTANCE),
            assistance_shows=view[ASSISTANCE].shows,
            can_edit=may_work and view.shows(PERSONAL),
            can_record=may_work,
            can_assign=has_capability(user, "victims_assign"),
            can_export=has_capability(user, "export_pdf"),
            can_inform=has_capability(user, WORK),
        )
        if context["can_edit"]:
            context["personal_form"] = PersonalDataForm(
                initial={**{n: getattr(case, n) for n in PERSONAL_FIELDS}, "version": case.version}
            )
        if may_work:
            context["assistance_form"] = AssistanceForm()
        if context["can_assign"]:
            context["assign_form"] = AssignForm(initial={"assignee": case.assignee_id})
        return context


class VictimCaseTransitionView(TransitionView):
    model = VictimCase
    required_capability = WORK


class PersonalDataView(CaseActionView):
    model = VictimCase
    required_capability = WORK
    form_class = PersonalDataForm
    form_context_name = "personal_form"

    def perform(self, case: VictimCase, form: PersonalDataForm) -> str:
        data = form.cleaned_data
        services.victim_personal_data_update(
            case=case,
            actor=self.request.user,
            personal={name: data.get(name, "") for name in PERSONAL_FIELDS},
            expected_version=data.get("version") or case.version,
        )
        return _("Personal data saved.")


class AssistanceView(CaseActionView):
    model = VictimCase
    required_capability = WORK
    form_class = AssistanceForm
    form_context_name = "assistance_form"

    def perform(self, case: VictimCase, form: AssistanceForm) -> str:
        record = services.assistance_record_add(
            case=case, actor=self.request.user, **form.cleaned_data
        )
        return _("%s recorded.") % record.get_kind_display()


class AssignView(CaseActionView):
    model = VictimCase
    required_capability = "victims_assign"
    form_class = AssignForm
    form_context_name = "assign_form"

    def perform(self, case: VictimCase, form: AssignForm) -> str:
        assignee = form.cleaned_data["assignee"]
        services.victim_cases_assign(cases=[case], assignee=assignee, actor=self.request.user)
        return _("Case assigned.") if assignee else _("Case unassigned.")


class VictimCasePdfView(PdfExportView):
    model = VictimCase
    pdf_builder = CASE_FILE
    required_capability = "export_pdf"


class VictimInformationPdfView(PdfExportView):
    """The plain-language document handed to the person: their reference and rights only."""

    model = VictimCase
    pdf_builder = INFORMATION
    required_capability = WORK
