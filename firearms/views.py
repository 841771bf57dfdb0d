"""Firearms pages: the dashboard, the seizure list and page, the seizure and item forms, the
case file. Each view fetches through the access policy and calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from securityunion.access.mixins import CapabilityRequiredMixin
from securityunion.access.policy import get_for_user_or_404, has_capability
from securityunion.audit.services import audit_read
from securityunion.casework.forms import add_service_errors
from securityunion.casework.views import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    CaseActionView,
    Column,
    PdfExportView,
    ScopedDetailView,
    ScopedListView,
    TransitionView,
)
from securityunion.casework.workflow import WorkflowError

from . import selectors
from .filters import SeizureFilterSet
from .forms import ItemForm, ItemRemoveForm, SeizureForm
from .models import SeizedItem, SeizureCase
from .pdf import SEIZURE_FILE
from .services import item_add, item_remove, item_update, seizure_create, seizure_update
from .workflow import EDIT

SEE = selectors.SEE_ANY


class IndexView(CapabilityRequiredMixin, TemplateView):
    """The dashboard: cases by status in the user's scope and the latest seizures."""

    required_capability = SEE
    template_name = "firearms/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        recent = selectors.recent_seizures(user)
        audit_read(actor=user, objects=recent, what="firearms.seizurecase")
        context.update(
            title=_("Firearms"),
            counts=selectors.seizure_status_counts(user),
            recent=recent,
            can_create=has_capability(user, EDIT) and user.country_id is not None,
        )
        return context


class SeizureListView(ScopedListView):
    model = SeizureCase
    required_capability = SEE
    template_name = "firearms/seizure_list.html"
    filterset_class = SeizureFilterSet
    select_related = ("country",)
    title = gettext_lazy("Seizures")
    export_name = "seizures"
    columns = (
        Column(gettext_lazy("Reference"), "reference"),
        Column(gettext_lazy("Date"), "seized_on"),
        Column(gettext_lazy("Country"), "country.name"),
        Column(gettext_lazy("Place"), "place"),
        Column(gettext_lazy("Context"), "context"),
        Column(gettext_lazy("Smuggling mode"), "smuggling_mode"),
        Column(gettext_lazy("Status"), "status"),
    )

    def get_base_queryset(self):  # noqa: ANN201
        return selectors.seizures_visible_to(self.request.user).order_by("-seized_on", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_create"] = has_capability(user, EDIT) and user.country_id is not None
        return context


class SeizureDetailView(ScopedDetailView):
    model = SeizureCase
    required_capability = SEE
    template_name = "firearms/seizure_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case = kwargs["object"]
        user = self.request.user
        reference = {"reference": case.reference}
        context.update(
            items=list(selectors.seizure_items(case)),
            transit=list(case.transit_countries.all()),
            editable=selectors.seizure_editable_by(user, case),
            item_form=self.bound_forms.get("item_form") or ItemForm(),
            transition_url=reverse("firearms:seizure_transition", kwargs=reference),
            pdf_url=reverse("firearms:seizure_pdf", kwargs=reference),
            can_export_pdf=has_capability(user, "export_pdf"),
        )
        return context


class SeizureTransitionView(TransitionView):
    model = SeizureCase
    required_capability = SEE


class SeizureFormView(CapabilityRequiredMixin, TemplateView):
    """Create (no reference) or edit a seizure case; a refused form keeps what was typed."""

    required_capability = EDIT
    template_name = "casework/generic_form.html"

    def get_case(self) -> SeizureCase | None:
        reference = self.kwargs.get("reference")
        if reference is None:
            return None
        return get_for_user_or_404(
            SeizureCase.objects.select_related("country"), self.request.user, reference=reference
        )

    def render_form(self, form: SeizureForm, case: SeizureCase | None, status: int = 200):  # noqa: ANN201
        context = self.get_context_data(
            form=form,
            title=_("Edit %s") % case.reference if case else _("New seizure"),
            submit_label=_("Save") if case else _("Create the seizure case"),
            cancel_url=case.get_absolute_url() if case else reverse("firearms:seizure_list"),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        case = self.get_case()
        if case is not None and not selectors.seizure_editable_by(request.user, case):
            messages.error(request, _("Only a draft or a returned case of your country is edited."))
            return HttpResponseRedirect(case.get_absolute_url())
        return self.render_form(SeizureForm(instance=case), case)

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        case = self.get_case()
        form = SeizureForm(request.POST, instance=case)
        if not form.is_valid():
            return self.render_form(form, case, status=INVALID)
        try:
            if case is None:
                case = seizure_create(actor=request.user, data=form.service_data())
                message = _("Seizure case %s created.") % case.reference
            else:
                seizure_update(
                    case=case,
                    actor=request.user,
                    data=form.service_data(),
                    expected_version=form.cleaned_data.get("version") or 0,
                )
                message = _("Seizure case saved.")
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_form(form, case, status=INVALID)
        except (WorkflowError, PermissionDenied) as error:
            form.add_error(None, str(error) or _("This action is not allowed."))
            status = CONFLICT if isinstance(error, WorkflowError) else FORBIDDEN
            return self.render_form(form, case, status=status)
        messages.success(request, message)
        return HttpResponseRedirect(case.get_absolute_url())


class ItemAddView(CaseActionView):
    model = SeizureCase
    required_capability = EDIT
    form_class = ItemForm
    form_context_name = "item_form"

    def perform(self, case: Any, form: Any) -> str:
        item_add(case=case, actor=self.request.user, data=form.service_data())
        return _("Item added.")


class ItemRemoveView(CaseActionView):
    model = SeizureCase
    required_capability = EDIT
    form_class = ItemRemoveForm
    form_context_name = "remove_form"

    def perform(self, case: Any, form: Any) -> str:
        item_remove(case=case, actor=self.request.user, item_id=form.cleaned_data["item"])
        return _("Item removed.")


class ItemEditView(CapabilityRequiredMixin, TemplateView):
    """One item of a case on its own page (the case page lists them)."""

    required_capability = EDIT
    template_name = "casework/generic_form.html"

    def get_item(self) -> tuple[SeizureCase, SeizedItem]:
        case = get_for_user_or_404(
            SeizureCase.objects.select_related("country"),
            self.request.user,
            reference=self.kwargs["reference"],
        )
        item = selectors.seizure_items(case).filter(pk=self.kwargs["item"]).first()
        if item is None:
            raise Http404
        return case, item

    def render_form(self, case: SeizureCase, form: ItemForm, status: int = 200) -> HttpResponse:
        context = self.get_context_data(
            form=form,
            title=_("Edit an item of %s") % case.reference,
            cancel_url=case.get_absolute_url(),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        case, item = self.get_item()
        if not selectors.seizure_editable_by(request.user, case):
            messages.error(request, _("Only a draft or a returned case of your country is edited."))
            return HttpResponseRedirect(case.get_absolute_url())
        return self.render_form(case, ItemForm(instance=item))

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        case, item = self.get_item()
        form = ItemForm(request.POST, instance=item)
        if not form.is_valid():
            return self.render_form(case, form, status=INVALID)
        try:
            item_update(case=case, actor=request.user, item_id=item.pk, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_form(case, form, status=INVALID)
        except (WorkflowError, PermissionDenied) as error:
            form.add_error(None, str(error) or _("This action is not allowed."))
            status = CONFLICT if isinstance(error, WorkflowError) else FORBIDDEN
            return self.render_form(case, form, status=status)
        messages.success(request, _("Item saved."))
        return HttpResponseRedirect(case.get_absolute_url())


class SeizurePdfView(PdfExportView):
    model = SeizureCase
    pdf_builder = SEIZURE_FILE
