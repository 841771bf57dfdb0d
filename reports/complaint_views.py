"""Pages of the complaints: the public form and status look-up (no sign-in), and the
centre's list, complaint page, decision and match forms, PDF case file; law enforcement's
corrections.

The public pages carry ``required_capability = PUBLIC``: they are deliberately open (the route
walk in the tests sees the choice) and exempt from the sign-in requirement.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from securityunion.access.mixins import (
    PUBLIC,
    CapabilityRequiredMixin,
)
from securityunion.access.policy import has_capability
from securityunion.audit import verbs
from securityunion.audit.services import audit_record
from securityunion.casework.views import (
    CaseActionView,
    Column,
    PdfExportView,
    ScopedDetailView,
    ScopedListView,
    TransitionView,
    run_action,
)
from securityunion.casework.visibility import NOTICES
from securityunion.lib.network import client_ip
from securityunion.lib.timefmt import format_datetime, time_remaining

from . import complaint_throttle as throttle
from .complaint_forms import ComplaintForm, DecisionForm, LinkReportForm, StatusLookupForm
from .complaints import COMPLAINT_DECIDED, Complaint
from .models import Provider
from .pdf import COMPLAINT_CASE_FILE, complaint_case_file_context
from .selectors import (
    COMPLAINANT,
    CORRECTIONS,
    MATCHES,
    SEE_COMPLAINTS,
    complaint_queue,
    corrections_for,
)
from .services import complaints as services

NOT_FOUND = gettext_lazy(
    "We found no complaint with this reference and status code. Check both and try again."
)


# --- public pages ----------------------------------------------------------------------------


def _throttled(request: Any, kind: str, template: str) -> Any:
    """The limit of ``kind`` for this address is used up: refuse (429) and audit it."""
    audit_record(
        actor=None,
        verb=verbs.PERMISSION_DENIED,
        data={"reason": "rate limited", "form": f"complaint {kind}"},
    )
    return render(
        request,
        template,
        {
            "title": _("Too many attempts"),
            "throttled": True,
        },
        status=429,
    )


@method_decorator(login_not_required, name="dispatch")
class ComplaintCreateView(View):
    """``/complaints/new/``: the public complaint form."""

    required_capability = PUBLIC
    template_name = "complaints/complaint_form.html"
    http_method_names = ["get", "post"]

    def render_form(self, request: Any, form: ComplaintForm, status: int = 200) -> Any:
        return render(
            request,
            self.template_name,
            {"form": form, "title": _("Complain about removed or reported content")},
            status=status,
        )

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        return self.render_form(request, ComplaintForm())

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        ip = client_ip(request)
        if throttle.used_up("submit", ip):
            return _throttled(request, "submit", self.template_name)
        throttle.count("submit", ip)
        form = ComplaintForm(request.POST)
        if form.honeypot_filled:
            audit_record(
                actor=None,
                verb=verbs.PERMISSION_DENIED,
                data={"reason": "honeypot filled", "form": "complaint submit"},
            )
            form.add_error(None, _("Your complaint could not be accepted. Please try again."))
            return self.render_form(request, form, status=400)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        data = form.cleaned_data
        try:
            receipt = services.complaint_submit(
                complainant=data["complainant"],
                provider=data["provider"],
                service=data["service"],
                content_url=data["content_url"],
                item_id=data["item_id"],
                removed_on=data["removed_on"],
                description=data["description"],
                contact_email=data["contact_email"],
                consent=data["consent"],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
            form._describe()
            return self.render_form(request, form, status=400)
        return render(
            request,
            "complaints/complaint_received.html",
            {
                "title": _("We received your complaint"),
                "reference": receipt.complaint.reference,
                "code": receipt.code,
                "mailed": bool(data["contact_email"]),
            },
        )


@method_decorator(login_not_required, name="dispatch")
class ComplaintStatusView(View):
    """``/complaints/status/``: reference and status code give the status and the decision.

    A wrong code and an unknown reference give the same answer (text and status code)."""

    required_capability = PUBLIC
    template_name = "complaints/complaint_status.html"
    http_method_names = ["get", "post"]

    def render_page(self, request: Any, form: Any, status: int = 200, **extra: Any) -> Any:
        return render(
            request,
            self.template_name,
            {"form": form, "title": _("The status of your complaint"), **extra},
            status=status,
        )

    def get(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        return self.render_page(request, StatusLookupForm())

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        ip = client_ip(request)
        if throttle.used_up("status", ip):
            return _throttled(request, "status", self.template_name)
        throttle.count("status", ip)
        form = StatusLookupForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        complaint = services.complaint_status_lookup(
            reference=form.cleaned_data["reference"], code=form.cleaned_data["code"]
        )
        if complaint is None:
            return self.render_page(request, form, status=404, not_found=NOT_FOUND)
        return self.render_page(
            request,
            StatusLookupForm(),
            complaint=complaint,
            decided=complaint.decision in COMPLAINT_DECIDED,
        )


# --- the centre's pages ----------------------------------------------------------------------


class ComplaintFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Complaint.Status.choices
    )
    provider = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Company"), queryset=Provider.objects.select_related("organisation")
    )

    class Meta:
        model = Complaint
        fields = ["status", "provider"]


class ComplaintListView(ScopedListView):
    model = Complaint
    required_capability = SEE_COMPLAINTS
    filterset_class = ComplaintFilterSet
    template_name = "reports/complaints/complaint_list.html"
    title = gettext_lazy("Complaints")
    export_name = "complaints"
    empty_text = gettext_lazy("No complaint matches these filters.")
    columns = (
        Column(gettext_lazy("Reference"), "reference"),
        Column(gettext_lazy("Received"), lambda c: format_datetime(c.created_at)),
        Column(gettext_lazy("Company"), lambda c: c.provider.organisation.name),
        Column(gettext_lazy("Status"), "status"),
        Column(
            gettext_lazy("Decision due"),
            lambda c: time_remaining(c.due_at) if c.status not in COMPLAINT_DECIDED else "",
        ),
        Column(gettext_lazy("Assignee"), lambda c: c.assignee.username if c.assignee else ""),
    )

    def get_base_queryset(self):  # noqa: ANN201
        return complaint_queue(self.request.user)

    def row_class(self, obj: Complaint) -> str:
        return "overdue" if obj.is_overdue else ""


class ComplaintDetailView(ScopedDetailView):
    model = Complaint
    required_capability = SEE_COMPLAINTS
    template_name = "reports/complaints/complaint_detail.html"

    def get_object(self) -> Complaint:
        from securityunion.access.policy import get_for_user_or_404

        qs = Complaint.objects.select_related("provider__organisation", "assignee")
        return get_for_user_or_404(qs, self.request.user, reference=self.kwargs["reference"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        complaint: Complaint = kwargs["object"]
        user = self.request.user
        view = context["case_view"]
        pending = context.get("pending_approval")
        offered = {
            t.name
            for t in Complaint.workflow.available(
                complaint, user, pending_approval=pending is not None, including_services=True
            )
        }
        decisions = [d for d in ("uphold", "reject", "inadmissible") if d in offered]
        editable = complaint.status not in (*COMPLAINT_DECIDED, Complaint.Status.CLOSED)
        context.update(
            transition_url=reverse(
                "reports:complaint_transition", kwargs={"reference": complaint.reference}
            ),
            matches=view.rows(MATCHES),
            notices=view.rows(NOTICES),
            corrections=view.rows(CORRECTIONS),
            shows_complainant=view.shows(COMPLAINANT),
            decision_form=DecisionForm(offered=tuple(decisions)) if decisions else None,
            can_edit_matches=editable and has_capability(user, "complaints_review"),
            link_form=LinkReportForm(),
            can_pdf=has_capability(user, "export_pdf"),
        )
        return context


class ComplaintTransitionView(TransitionView):
    model = Complaint
    required_capability = "complaints_review"


class ComplaintActionView(CaseActionView):
    model = Complaint
    required_capability = "complaints_review"


class ComplaintDecisionView(ComplaintActionView):
    form_class = DecisionForm

    def perform(self, case: Complaint, form: Any) -> str:
        data = form.cleaned_data
        services.complaint_propose_decision(
            complaint=case,
            decision=data["decision"],
            ground=data["ground"],
            facts=data["facts"],
            automated_detection=data["automated_detection"],
            redress=data["redress"],
            actor=self.request.user,
        )
        return _("Decision proposed; a supervisor other than you decides it.")


class ComplaintLinkView(ComplaintActionView):
    form_class = LinkReportForm

    def perform(self, case: Complaint, form: Any) -> str:
        services.complaint_link_report(
            complaint=case, reference=form.cleaned_data["reference"], actor=self.request.user
        )
        return _("Report linked to the complaint.")


class ComplaintUnlinkView(ComplaintActionView):
    def perform(self, case: Complaint, form: Any) -> str:
        services.complaint_unlink_report(
            complaint=case, match_id=self.kwargs["match"], actor=self.request.user
        )
        return _("Report unlinked from the complaint.")


class ComplaintPdfView(PdfExportView):
    model = Complaint
    pdf_builder = COMPLAINT_CASE_FILE

    def get_pdf_context(self, obj, user):  # noqa: ANN001, ANN201
        return complaint_case_file_context(obj, user)


# --- law enforcement: corrections ------------------------------------------------------------


class CorrectionListView(CapabilityRequiredMixin, TemplateView):
    """Corrections addressed to the user's organisation, unacknowledged first."""

    required_capability = "reports_view_forwarded"
    template_name = "reports/complaints/correction_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        corrections = list(corrections_for(self.request.user)[:200])
        from securityunion.audit.services import audit_read

        audit_read(actor=self.request.user, objects=corrections, what="casework.notice")
        context.update(
            title=_("Corrections"),
            corrections=corrections,
            can_acknowledge=has_capability(self.request.user, "reports_acknowledge"),
        )
        return context


class CorrectionAcknowledgeView(CapabilityRequiredMixin, View):
    required_capability = "reports_acknowledge"
    http_method_names = ["post"]

    def post(self, request, pk: int, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        notice = get_object_or_404(corrections_for(request.user), pk=pk)

        def acknowledge() -> str:
            services.correction_acknowledge(notice=notice, actor=request.user)
            return _("Correction acknowledged.")

        run_action(request, acknowledge)
        back = request.POST.get("next", "")
        if back != "list":
            return HttpResponseRedirect(
                reverse("reports:detail", kwargs={"reference": notice.subject_reference})
            )
        return HttpResponseRedirect(reverse("reports:correction_list"))
