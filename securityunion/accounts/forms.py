"""Forms of the account pages: shapes only; the services decide."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from securityunion.audit import verbs
from securityunion.audit.services import audit_record

from .models import Country, Organisation


def _role_choices() -> list[tuple[str, str]]:
    from securityunion.access.roles import ROLES

    from .services import staff_role_names

    names = set(staff_role_names())
    return [(role.name, role.label) for role in ROLES if role.name in names]


class VerifiedResetPasswordForm(ResetPasswordForm):
    """A password reset link goes only to a verified address; every request is audited.

    The page answers the same whether or not an account matched, so it reveals nothing.
    """

    def clean_email(self) -> str:
        email = super().clean_email()
        verified = set(
            EmailAddress.objects.filter(email__iexact=email, verified=True).values_list(
                "user_id", flat=True
            )
        )
        self.users = [user for user in self.users if user.pk in verified]
        return email

    def save(self, request, **kwargs: Any) -> str:  # noqa: ANN001
        target = self.users[0] if len(self.users) == 1 else None
        audit_record(
            actor=None,
            verb=verbs.PASSWORD_RESET_REQUESTED,
            target=target,
            data={"accounts": len(self.users)},
        )
        return super().save(request, **kwargs)


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log with the change."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = _role_choices()


class InvitationForm(forms.Form):
    username = forms.RegexField(
        label=_("User name"), max_length=150, regex=r"^[\w.@+-]+\Z", strip=True
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.exclude(type=Organisation.Type.COMPANY),
        required=False,
    )
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No role is preselected: granting one is a deliberate choice.
        self.fields["role"].choices = [("", _("Choose a role"))] + _role_choices()


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


def _api_scope_choices() -> list[tuple[str, str]]:
    from .services import api_scope_choices

    return [(name, f"{name}: {label}") for name, label in api_scope_choices()]


class ApiClientForm(forms.Form):
    """A new company API client: the company, a label, its scopes (the service checks them)."""

    organisation = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Organisation.objects.filter(type=Organisation.Type.COMPANY).order_by("name"),
        help_text=_("The company the client acts for; only companies get API clients."),
    )
    name = forms.CharField(
        label=_("Label"),
        max_length=200,
        required=False,
        help_text=_("To tell its clients apart, e.g. “Trust & Safety production”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=_api_scope_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What its tokens may do; give no more than the company needs."),
    )
