"""The notification pages: the list (unread first), mark read, preferences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from securityunion.access.mixins import AUTHENTICATED, CapabilityRequiredMixin
from securityunion.access.policy import get_for_user_or_404
from securityunion.casework.pagination import bounded_paginate

from .conf import app_settings
from .forms import PreferencesForm
from .models import Notification
from .selectors import events_for, inbox_of, preferences_of
from .services import (
    notification_mark_read,
    notification_preferences_save,
    notifications_mark_all_read,
)


class NotificationListView(CapabilityRequiredMixin, TemplateView):
    required_capability = AUTHENTICATED
    template_name = "notifications/notification_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = bounded_paginate(
            inbox_of(self.request.user).select_related("actor"),
            self.request.GET.get("page"),
            per_page=app_settings.NOTIFICATIONS_PAGE_SIZE,
        )
        context.update(
            title=_("Notifications"),
            page=page,
            notifications=page.object_list,
            any_unread=any(n.read_at is None for n in page.object_list),
            query_string="",
        )
        return context


def _back(request: Any) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:list")


class NotificationReadView(CapabilityRequiredMixin, View):
    """Mark one notification read; another person's is a 404 (audited), like a missing one."""

    required_capability = AUTHENTICATED
    http_method_names = ["post"]

    def post(self, request, pk: int, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        notification = get_for_user_or_404(Notification.objects.all(), request.user, pk=pk)
        notification_mark_read(notification=notification, actor=request.user)
        return HttpResponseRedirect(_back(request))


class NotificationReadAllView(CapabilityRequiredMixin, View):
    required_capability = AUTHENTICATED
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        count = notifications_mark_all_read(actor=request.user)
        messages.success(request, _("%d notification(s) marked read.") % count)
        return HttpResponseRedirect(reverse("notifications:list"))


class NotificationPreferencesView(CapabilityRequiredMixin, FormView):
    required_capability = AUTHENTICATED
    template_name = "notifications/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(
            events=events_for(self.request.user), current=preferences_of(self.request.user)
        )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Notification settings")
        context["has_email"] = bool(self.request.user.email)
        return context

    def form_valid(self, form: PreferencesForm):  # noqa: ANN201
        notification_preferences_save(
            user=self.request.user, actor=self.request.user, choices=form.choices()
        )
        messages.success(self.request, _("Notification settings saved."))
        return HttpResponseRedirect(reverse("notifications:preferences"))
