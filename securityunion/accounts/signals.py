"""Authentication events go to the audit log, and sessions follow the account.

Audited here: sign-in, sign-out, failed sign-in, e-mail address changes and two-factor changes
(allauth's signals). A sign-in records its session (``UserSession``) so that disabling an
account or taking a role away can end every session of that user.
"""

import time

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from securityunion.audit import verbs
from securityunion.audit.services import audit_record

from .network import client_ip
from .services import (
    SESSION_RECORD_KEY,
    SESSION_STARTED_KEY,
    user_session_record,
    user_sessions_end,
)

User = get_user_model()


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs) -> None:  # noqa: ANN001, ANN003
    audit_record(actor=user, verb=verbs.LOGIN, target=user)
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    record = user_session_record(
        user=user,
        session_key=session.session_key,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip=client_ip(request),
    )
    session[SESSION_RECORD_KEY] = record.pk
    session[SESSION_STARTED_KEY] = time.time()


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs) -> None:  # noqa: ANN001, ANN003
    if user is not None:
        audit_record(actor=user, verb=verbs.LOGOUT, target=user)
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        from .models import UserSession

        UserSession.objects.filter(session_key=session.session_key).delete()


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:  # noqa: ANN001, ANN003
    # Only the username is kept, never the password.
    audit_record(
        actor=None,
        verb=verbs.LOGIN_FAILED,
        data={"username": str(credentials.get("username", ""))[:150]},
    )


# --- sessions end with the account or a role ------------------------------------------------


@receiver(pre_save, sender=User)
def _remember_active(sender, instance, **kwargs) -> None:  # noqa: ANN001, ANN003
    if instance.pk is None:
        instance._was_active = False
        return
    instance._was_active = (
        sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    )


@receiver(post_save, sender=User)
def _end_sessions_when_disabled(sender, instance, created, **kwargs) -> None:  # noqa: ANN001, ANN003
    if not created and getattr(instance, "_was_active", False) and not instance.is_active:
        user_sessions_end(user=instance, actor=None, why="account disabled")


@receiver(m2m_changed, sender=User.groups.through)
def _end_sessions_when_a_role_goes(sender, instance, action, reverse, pk_set, **kwargs) -> None:  # noqa: ANN001, ANN003
    if action not in ("post_remove", "pre_clear"):
        return
    if not reverse:
        users = [instance]
    elif action == "pre_clear":
        users = list(instance.user_set.all())
    else:
        users = list(User.objects.filter(pk__in=pk_set or ()))
    for user in users:
        user_sessions_end(user=user, actor=None, why="role removed")


# --- e-mail addresses and two-factor authentication -----------------------------------------


def _email_event(action: str):  # noqa: ANN202
    def receiver_(sender, request=None, user=None, **kwargs) -> None:  # noqa: ANN001, ANN003
        address = kwargs.get("email_address") or kwargs.get("to_email_address")
        if user is None and address is not None:
            user = address.user
        audit_record(
            actor=user if user is not None and user.is_authenticated else None,
            verb=verbs.EMAIL_CHANGED,
            target=user,
            data={"action": action, "address": getattr(address, "pk", None)},
        )

    return receiver_


_email_added = _email_event("added")
_email_removed = _email_event("removed")
_email_changed = _email_event("primary changed")
_email_confirmed = _email_event("verified")
account_signals.email_added.connect(_email_added, dispatch_uid="audit_email_added")
account_signals.email_removed.connect(_email_removed, dispatch_uid="audit_email_removed")
account_signals.email_changed.connect(_email_changed, dispatch_uid="audit_email_changed")
account_signals.email_confirmed.connect(_email_confirmed, dispatch_uid="audit_email_confirmed")


def _mfa_event(action: str):  # noqa: ANN202
    def receiver_(sender, request=None, user=None, authenticator=None, **kwargs) -> None:  # noqa: ANN001, ANN003
        audit_record(
            actor=user,
            verb=verbs.MFA_CHANGED,
            target=user,
            data={"action": action, "type": getattr(authenticator, "type", "")},
        )

    return receiver_


_mfa_added = _mfa_event("added")
_mfa_removed = _mfa_event("removed")
_mfa_reset = _mfa_event("recovery codes regenerated")
mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="audit_mfa_added")
mfa_signals.authenticator_removed.connect(_mfa_removed, dispatch_uid="audit_mfa_removed")
mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="audit_mfa_reset")
