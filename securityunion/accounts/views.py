"""Account pages: one's own sessions, roles of others, invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from securityunion.access.mixins import AUTHENTICATED, CapabilityRequiredMixin
from securityunion.access.policy import has_capability

from .forms import ApiClientForm, InvitationAcceptForm, InvitationForm, RolesForm
from .models import ApiClient, User, UserSession
from .reauth import ReauthenticationRequiredMixin
from .services import (
    MANAGE_API_CLIENTS,
    SESSION_RECORD_KEY,
    api_client_create,
    api_client_revoke,
    invitation_accept,
    invitation_create,
    invitation_get_valid,
    staff_role_names,
    user_roles_set,
    user_session_end,
)


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class SessionListView(CapabilityRequiredMixin, TemplateView):
    """The user's own signed-in sessions; any other than this one can be ended."""

    required_capability = AUTHENTICATED
    template_name = "accounts/session_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sessions"] = UserSession.objects.filter(user=self.request.user)
        context["current_id"] = self.request.session.get(SESSION_RECORD_KEY)
        context["title"] = _("Your sessions")
        return context


class SessionEndView(CapabilityRequiredMixin, View):
    required_capability = AUTHENTICATED
    http_method_names = ["post"]

    def post(self, request, pk: int):  # noqa: ANN001, ANN201
        if pk == request.session.get(SESSION_RECORD_KEY):
            messages.error(request, _("Sign out to end this session."))
            return HttpResponseRedirect(reverse("accounts:session_list"))
        try:
            user_session_end(session_id=pk, actor=request.user)
        except UserSession.DoesNotExist:
            raise Http404 from None
        messages.success(request, _("The session has been ended."))
        return HttpResponseRedirect(reverse("accounts:session_list"))


class UserRolesView(CapabilityRequiredMixin, ReauthenticationRequiredMixin, FormView):
    """An administrator gives another person their roles, with a reason (audited)."""

    required_capability = "manage_users"
    template_name = "accounts/user_roles.html"
    form_class = RolesForm

    @cached_property
    def subject(self) -> User:
        """Looked up only after the capability check: others cannot probe for accounts."""
        return get_object_or_404(User, pk=self.kwargs["pk"], is_api_client=False)

    def get_initial(self) -> dict[str, Any]:
        current = self.subject.groups.filter(name__in=staff_role_names())
        return {"roles": list(current.values_list("name", flat=True))}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["subject"] = self.subject
        context["title"] = _("Roles of %s") % self.subject.get_username()
        context["is_self"] = self.subject.pk == self.request.user.pk
        return context

    def form_valid(self, form: RolesForm):  # noqa: ANN201
        try:
            added, removed = user_roles_set(
                user=self.subject,
                roles=form.cleaned_data["roles"],
                reason=form.cleaned_data["reason"],
                actor=self.request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        if added or removed:
            messages.success(self.request, _("The roles have been changed."))
        else:
            messages.info(self.request, _("Nothing changed."))
        return HttpResponseRedirect(self.request.path)


class InvitationCreateView(CapabilityRequiredMixin, ReauthenticationRequiredMixin, FormView):
    """An administrator invites a person: an account and a one-time link by e-mail."""

    required_capability = "manage_users"
    template_name = "accounts/invitation_form.html"
    form_class = InvitationForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Invite a user")
        context["submit_label"] = _("Send the invitation")
        return context

    def form_valid(self, form: InvitationForm):  # noqa: ANN201
        data = form.cleaned_data
        try:
            invitation_create(
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                country=data["country"],
                organisation=data["organisation"],
                role=data["role"],
                actor=self.request.user,
                accept_url=lambda token: self.request.build_absolute_uri(
                    reverse("accounts:invitation_accept", kwargs={"token": token})
                ),
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The invitation has been sent to %(email)s.") % {"email": data["email"]}
        )
        return HttpResponseRedirect(reverse("accounts:invitation_create"))


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(FormView):
    """The invitee sets their password through the link; the link then stops working."""

    template_name = "accounts/invitation_accept.html"
    form_class = InvitationAcceptForm

    def dispatch(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        self.invitation = invitation_get_valid(token=kwargs["token"])
        if self.invitation is None:
            return render(request, "accounts/invitation_invalid.html", status=404)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Set your password")
        context["submit_label"] = _("Set password")
        context["invited_user"] = self.invitation.user
        return context

    def form_valid(self, form: InvitationAcceptForm):  # noqa: ANN201
        try:
            invitation_accept(token=self.kwargs["token"], password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your password is set. Sign in to finish setting up your account.")
        )
        return HttpResponseRedirect(reverse("account_login"))


# --- company API clients ------------------------------------------------------------------


class ApiClientListView(CapabilityRequiredMixin, TemplateView):
    """Every company API client: its company, scopes, creation, last use and status.

    Administrators create and revoke clients here; auditors (who read everything, change
    nothing) may read the list. The read is audited.
    """

    required_capability = (MANAGE_API_CLIENTS, "audit_view_log")
    template_name = "accounts/api_client_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from securityunion.audit.services import audit_read
        from securityunion.casework.pagination import bounded_paginate

        context = super().get_context_data(**kwargs)
        qs = ApiClient.objects.select_related("organisation", "application", "created_by").order_by(
            F("revoked_at").desc(nulls_first=True), "-created_at", "-id"
        )
        page = bounded_paginate(qs, self.request.GET.get("page"))
        audit_read(actor=self.request.user, objects=page.object_list, what="accounts.apiclient")
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            title=_("Company API clients"),
            page=page,
            clients=page.object_list,
            query_string=query.urlencode(),
            can_manage=has_capability(self.request.user, MANAGE_API_CLIENTS),
        )
        return context


class ApiClientCreateView(CapabilityRequiredMixin, ReauthenticationRequiredMixin, FormView):
    """An administrator creates a client; its secret is shown in this one response only.

    The secret is never stored in plain text (the application keeps a hash), so the answer to
    the POST shows it once, uncached; there is no page that shows it again.
    """

    required_capability = MANAGE_API_CLIENTS
    template_name = "accounts/api_client_form.html"
    form_class = ApiClientForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("New API client")
        context["submit_label"] = _("Create the client")
        context["cancel_url"] = reverse("accounts:api_client_list")
        return context

    def form_valid(self, form: ApiClientForm):  # noqa: ANN201
        data = form.cleaned_data
        try:
            client, secret = api_client_create(
                organisation=data["organisation"],
                name=data["name"],
                scopes=data["scopes"],
                actor=self.request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        response = render(
            self.request,
            "accounts/api_client_created.html",
            {"title": _("API client created"), "client": client, "secret": secret},
        )
        response["Cache-Control"] = "no-store"
        return response


class ApiClientRevokeView(CapabilityRequiredMixin, ReauthenticationRequiredMixin, TemplateView):
    """Confirm, then revoke a client: its secret stops working and its tokens are deleted."""

    required_capability = MANAGE_API_CLIENTS
    template_name = "casework/generic_confirm.html"

    @cached_property
    def client(self) -> ApiClient:
        return get_object_or_404(
            ApiClient.objects.select_related("organisation", "application"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Revoke the API client %s") % self.client.application.name,
            message=_(
                "%(company)s's client %(client_id)s will stop working at once: its secret is "
                "replaced and every token it holds is revoked. This cannot be undone; the "
                "company needs a new client to use the API again."
            )
            % {
                "company": self.client.organisation,
                "client_id": self.client.application.client_id,
            },
            confirm_label=_("Revoke the client"),
            confirm_style="danger",
            cancel_url=reverse("accounts:api_client_list"),
        )
        return context

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        if self.client.revoked_at is not None:
            messages.info(request, _("This client was already revoked."))
        else:
            api_client_revoke(client=self.client, actor=request.user)
            messages.success(
                request,
                _("The client %s is revoked; its tokens no longer work.")
                % self.client.application.client_id,
            )
        return HttpResponseRedirect(reverse("accounts:api_client_list"))
