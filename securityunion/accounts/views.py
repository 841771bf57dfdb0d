"""Account pages: one's own sessions, roles of others, invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from securityunion.access.mixins import AUTHENTICATED, CapabilityRequiredMixin

from .forms import InvitationAcceptForm, InvitationForm, RolesForm
from .models import User, UserSession
from .reauth import ReauthenticationRequiredMixin
from .services import (
    SESSION_RECORD_KEY,
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
