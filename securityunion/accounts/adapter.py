from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators only: no self-service sign-up."""

    def is_open_for_signup(self, request) -> bool:  # noqa: ANN001
        return False

    def pre_login(self, request, user, **kwargs):  # noqa: ANN001, ANN003
        """API service accounts never sign in to the pages."""
        if getattr(user, "is_api_client", False):
            from django.contrib import messages
            from django.shortcuts import redirect
            from django.utils.translation import gettext as _

            messages.error(request, _("This account is an API client and cannot sign in."))
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)
