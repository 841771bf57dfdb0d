"""Authentication events go to the audit log (sign-in, sign-out, failed sign-in)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from securityunion.audit import verbs
from securityunion.audit.services import audit_record


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs) -> None:  # noqa: ANN001, ANN003
    audit_record(actor=user, verb=verbs.LOGIN, target=user)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs) -> None:  # noqa: ANN001, ANN003
    if user is not None:
        audit_record(actor=user, verb=verbs.LOGOUT, target=user)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:  # noqa: ANN001, ANN003
    # Only the username is kept, never the password.
    audit_record(
        actor=None,
        verb=verbs.LOGIN_FAILED,
        data={"username": str(credentials.get("username", ""))[:150]},
    )
