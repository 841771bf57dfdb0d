"""Account operations: company API clients, roles, invitations and sessions.

Roles are granted and withdrawn only through ``user_roles_set``: an administrator changes the
roles of others, never their own, with a reason, and every change and every refusal is in the
audit log. Superusers exist only from the command line (``createsuperuser``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import Application

from securityunion.audit import verbs
from securityunion.audit.services import audit_record

from .models import ApiClient, Country, Invitation, Organisation, User, UserSession

MANAGE_USERS = "manage_users"
ADMIN_ROLE = "administrator"
MANAGE_API_CLIENTS = "manage_api_clients"
#: How often the last use of a client is written at most (token issue, API calls).
API_CLIENT_LAST_USE_EVERY = timedelta(minutes=1)


def _api_client_actor_check(actor: Any, why: str, target: Any = None) -> None:
    """A person managing API clients needs ``manage_api_clients``; the system (``None``: the
    management command) may. A refusal is audited."""
    from securityunion.access.policy import has_capability

    if actor is None or has_capability(actor, MANAGE_API_CLIENTS):
        return
    audit_record(
        actor=actor,
        verb=verbs.PERMISSION_DENIED,
        target=target,
        data={"reason": why},
    )
    raise PermissionDenied(_("Only administrators manage API clients."))


def api_scope_choices() -> list[tuple[str, str]]:
    """The API scopes a client may be given: those the apps registered, by name."""
    from securityunion.casework.registry import api_scopes

    return [(name, str(api_scopes[name])) for name in sorted(api_scopes)]


def _clean_scopes(scopes: Iterable[str] | None) -> list[str]:
    if scopes is None:
        return []
    chosen = sorted({str(s) for s in scopes})
    known = {name for name, _label in api_scope_choices()}
    if not chosen:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise ValidationError({"scopes": _("Unknown scope: %s.") % ", ".join(unknown)})
    return chosen


def api_client_create(
    *,
    organisation: Organisation,
    actor: Any = None,
    name: str = "",
    scopes: Iterable[str] | None = None,
) -> tuple[ApiClient, str]:
    """Create a confidential client-credentials application for a company.

    Returns the client and its secret in plain text: the only time it is ever visible, since
    the application stores it hashed. The application acts as a dedicated service account
    (role ``company``, the company's organisation and country) that cannot sign in to pages.
    ``scopes`` (registered API scopes, at least one) bound what its tokens may carry; ``None``
    (the command line, as before scopes were chosen per client) allows every registered one.
    """
    _api_client_actor_check(actor, "api client create not permitted")
    if organisation.type != Organisation.Type.COMPANY:
        raise ValidationError(_("API clients are for companies; %s is not one.") % organisation)
    chosen = _clean_scopes(scopes)
    with transaction.atomic():
        return _api_client_create(organisation, actor, name, chosen)


def _api_client_create(
    organisation: Organisation, actor: Any, name: str, scopes: list[str]
) -> tuple[ApiClient, str]:
    suffix = secrets.token_hex(4)
    service_user = User.objects.create(
        username=f"api-{organisation.slug}-{suffix}"[:150],
        organisation=organisation,
        country=organisation.country,
        is_api_client=True,
    )
    service_user.set_unusable_password()
    service_user.save(update_fields=["password"])
    service_user.groups.add(Group.objects.get(name="company"))
    secret = secrets.token_urlsafe(48)
    application = Application.objects.create(
        name=(name or "").strip()[:255] or f"{organisation.name} API client",
        user=service_user,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    client = ApiClient.objects.create(
        application=application,
        organisation=organisation,
        scopes=scopes,
        created_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor,
        verb=verbs.API_CLIENT_CREATED,
        target=client,
        data={
            "organisation": organisation.slug,
            "client_id": application.client_id,
            "scopes": scopes or ["(all)"],
        },
    )
    return client, secret


def api_client_revoke(*, client: ApiClient, actor: Any = None) -> ApiClient:
    """Revoke a client: its secret is replaced, its tokens deleted, its service account
    deactivated. Revoking a revoked client changes nothing."""
    _api_client_actor_check(actor, "api client revoke not permitted", target=client)
    with transaction.atomic():
        return _api_client_revoke(client, actor)


def _api_client_revoke(client: ApiClient, actor: Any) -> ApiClient:
    from oauth2_provider.models import AccessToken, RefreshToken

    client = ApiClient.objects.select_for_update().select_related("application").get(pk=client.pk)
    if client.revoked_at is not None:
        return client
    application = client.application
    application.client_secret = secrets.token_urlsafe(48)  # the old secret stops working
    application.save(update_fields=["client_secret"])
    revoked = AccessToken.objects.filter(application=application).delete()[0]
    RefreshToken.objects.filter(application=application).delete()
    if application.user_id:
        User.objects.filter(pk=application.user_id).update(is_active=False)
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        verb=verbs.API_CLIENT_REVOKED,
        target=client,
        data={"revoked": True, "client_id": application.client_id, "tokens_revoked": revoked},
    )
    return client


def api_client_mark_used(*, application_id: int) -> None:
    """Record that a client was used (a token issued, an API call), at most once a minute.

    A cache key spares the database on every call; the conditional UPDATE keeps it right
    across processes that do not share a cache.
    """
    from django.core.cache import cache
    from django.db.models import Q

    every = API_CLIENT_LAST_USE_EVERY
    if not cache.add(f"api-client-used:{application_id}", 1, int(every.total_seconds())):
        return
    now = timezone.now()
    ApiClient.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - every),
        application_id=application_id,
    ).update(last_used_at=now)


@transaction.atomic
def api_client_rotate(*, client: ApiClient, actor: Any = None) -> tuple[ApiClient, str]:
    """Give a client a new secret; returns it in plain text, the only time it is visible.

    The old secret stops working at once and the client's tokens are revoked (a rotation
    usually follows a suspected leak). A revoked client cannot be rotated back to life.
    """
    from oauth2_provider.models import AccessToken, RefreshToken

    client = ApiClient.objects.select_for_update().select_related("application").get(pk=client.pk)
    if client.revoked_at is not None:
        raise ValidationError(_("This API client is revoked; create a new one."))
    application = client.application
    secret = secrets.token_urlsafe(48)
    application.client_secret = secret  # hashed on save
    application.save(update_fields=["client_secret"])
    revoked = AccessToken.objects.filter(application=application).delete()[0]
    RefreshToken.objects.filter(application=application).delete()
    audit_record(
        actor=actor,
        verb=verbs.UPDATE,
        target=client,
        data={
            "secret_rotated": True,
            "client_id": application.client_id,
            "tokens_revoked": revoked,
        },
    )
    return client, secret


@transaction.atomic
def demo_load(*, password: str) -> str:
    """Create (or leave as they are) the demo organisations, users and each app's demo data."""
    from securityunion.access.services import roles_sync
    from securityunion.casework.registry import demo_hooks

    from .demo import ORGANISATIONS, USERS
    from .models import Country

    roles_sync()
    created = 0
    organisations = {}
    for slug, name, kind, country in ORGANISATIONS:
        org, was_created = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "type": kind, "country_id": country}
        )
        organisations[slug] = org
        created += was_created
    users = {}
    for spec in USERS:
        user, was_created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.securityunion.invalid",
                "organisation": organisations[spec.organisation],
                "country": Country.objects.get(pk=spec.country) if spec.country else None,
                "is_staff": spec.is_staff,
            },
        )
        if was_created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if not user.groups.filter(name=spec.role).exists():
            user.groups.add(Group.objects.get(name=spec.role))
        users[spec.username] = user
        created += was_created
    for hook in demo_hooks:
        hook(users=users, organisations=organisations)
    return f"Demo data in place ({created} organisations and users created now)."


# --- roles -----------------------------------------------------------------------------------


def staff_role_names() -> list[str]:
    """The roles a person can hold (the ``company`` role belongs to API service accounts)."""
    from securityunion.access.roles import ROLES

    return [role.name for role in ROLES if role.name != "company"]


def _may_manage_users(actor: Any) -> bool:
    from securityunion.access.policy import has_capability

    return bool(actor is not None and has_capability(actor, MANAGE_USERS))


def role_change_refused(*, user: Any, actor: Any, why: str, attempted: dict[str, Any]) -> None:
    """Record a refused attempt to change roles or privileges (committed even as it is refused)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=verbs.ROLE_CHANGE_REFUSED,
            target=user,
            data={"why": why, "attempted": attempted},
        )


def _role_change_check(*, user: User, actor: Any, attempted: dict[str, Any]) -> None:
    """Refuse (audited) an actor who may not change ``user``'s roles."""
    why = ""
    if not _may_manage_users(actor):
        why = "actor lacks manage_users"
    elif actor.pk == user.pk:
        why = "own roles"
    elif user.is_superuser and not actor.is_superuser:
        why = "target is a superuser"
    elif user.is_api_client:
        why = "target is an API client"
    if why:
        role_change_refused(user=user, actor=actor, why=why, attempted=attempted)
        raise PermissionDenied(_("You may not change the roles of this account."))


def user_roles_set(
    *, user: User, roles: Iterable[str], reason: str, actor: Any
) -> tuple[list[str], list[str]]:
    """Give ``user`` exactly ``roles``; returns the roles (added, removed).

    The actor needs ``manage_users``, may not change their own roles, nor a superuser's
    (unless a superuser themselves). A reason is required and kept in the audit event. A role
    taken away ends the user's sessions (see ``signals``).
    """
    wanted = sorted(set(roles))
    _role_change_check(user=user, actor=actor, attempted={"roles": wanted})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the change.")})
    unknown = sorted(set(wanted) - set(staff_role_names()))
    if unknown:
        raise ValidationError({"roles": _("Unknown roles: %s") % ", ".join(unknown)})
    return _roles_apply(user=user, wanted=wanted, reason=reason, actor=actor)


@transaction.atomic
def _roles_apply(
    *, user: User, wanted: list[str], reason: str, actor: Any
) -> tuple[list[str], list[str]]:
    user = User.objects.select_for_update().get(pk=user.pk)
    current = set(user.groups.filter(name__in=staff_role_names()).values_list("name", flat=True))
    added = sorted(set(wanted) - current)
    removed = sorted(current - set(wanted))
    if not added and not removed:
        return [], []
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
    if added:
        user.groups.add(*Group.objects.filter(name__in=added))
    staff = ADMIN_ROLE in wanted
    if user.is_staff != staff and not user.is_superuser:
        user.is_staff = staff  # the admin site is for administrators
        user.save(update_fields=["is_staff"])
    audit_record(
        actor=actor,
        verb=verbs.ROLES_CHANGED,
        target=user,
        data={
            "added": added,
            "removed": removed,
            "reason": reason[:500],
            "is_staff": user.is_staff,
        },
    )
    return added, removed


# --- sessions --------------------------------------------------------------------------------

SESSION_RECORD_KEY = "_user_session_id"
SESSION_STARTED_KEY = "_auth_started_at"


def user_session_record(*, user: User, session_key: str, user_agent: str, ip: str) -> UserSession:
    """Remember a new signed-in session (called at sign-in)."""
    session, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "user_agent": user_agent[:300], "ip": ip or None},
    )
    return session


def _sessions_delete(sessions: Any) -> int:
    keys = list(sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    sessions.delete()
    return len(keys)


def user_sessions_end(*, user: Any, actor: Any, why: str) -> int:
    """End every session of ``user`` (disabled account, role taken away); audited."""
    count = _sessions_delete(UserSession.objects.filter(user_id=user.pk))
    if count:
        audit_record(
            actor=actor,
            verb=verbs.SESSION_ENDED,
            target=user,
            data={"sessions": count, "why": why},
        )
    return count


@transaction.atomic
def user_session_end(*, session_id: int, actor: Any) -> None:
    """End one of the actor's own sessions. Another user's session is not found (404 upstream)."""
    sessions = UserSession.objects.filter(pk=session_id, user_id=actor.pk)
    if not sessions.exists():
        raise UserSession.DoesNotExist
    _sessions_delete(sessions)
    audit_record(
        actor=actor,
        verb=verbs.SESSION_ENDED,
        target=actor,
        data={"sessions": 1, "why": "ended by the user"},
    )


# --- invitations -----------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *,
    username: str,
    email: str,
    country: Country | None,
    organisation: Organisation | None,
    role: str,
    actor: Any,
    accept_url: Any,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Create an account waiting for its owner and e-mail them a one-time link to set a password.

    ``accept_url(token)`` builds the absolute link. The account is inactive with no usable
    password until the link is used; the token is stored only as its SHA-256, and expires
    after ``INVITATION_EXPIRY_HOURS``. No password is ever sent.
    """
    if not _may_manage_users(actor):
        role_change_refused(
            user=None, actor=actor, why="actor lacks manage_users", attempted={"invite": role}
        )
        raise PermissionDenied(_("You may not invite users."))
    if role not in staff_role_names():
        raise ValidationError({"role": _("Unknown role.")})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = _invitation_write(
            username=username,
            email=email,
            country=country,
            organisation=organisation,
            role=role,
            actor=actor,
            token=token,
            first_name=first_name,
            last_name=last_name,
        )
        link = accept_url(token)
        transaction.on_commit(
            lambda: send_mail(
                subject=_("Your account on the Security Union back office"),
                message=_(
                    "An account has been created for you on the Security Union back office.\n\n"
                    "Set your password with this link (valid once, until %(expires)s UTC):\n"
                    "%(link)s\n\nIf you did not expect this message, ignore it."
                )
                % {"link": link, "expires": f"{invitation.expires_at:%Y-%m-%d %H:%M}"},
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[email],
            )
        )
    return invitation


def _invitation_write(
    *,
    username: str,
    email: str,
    country: Country | None,
    organisation: Organisation | None,
    role: str,
    actor: Any,
    token: str,
    first_name: str,
    last_name: str,
) -> Invitation:
    from allauth.account.models import EmailAddress

    username = username.strip()
    email = email.strip()
    errors = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This user name is taken.")
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        errors["email"] = _("An account with this e-mail address exists.")
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        country=country,
        organisation=organisation,
        is_active=False,
        is_staff=role == ADMIN_ROLE,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(Group.objects.get(name=role))
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=user,
        token_hash=_token_hash(token),
        invited_by=actor,
        role=role,
        expires_at=now + timedelta(hours=settings.INVITATION_EXPIRY_HOURS),
    )
    audit_record(
        actor=actor,
        verb=verbs.INVITATION_SENT,
        target=user,
        data={"role": role, "invitation": invitation.pk},
    )
    audit_record(
        actor=actor,
        verb=verbs.ROLES_CHANGED,
        target=user,
        data={"added": [role], "removed": [], "reason": "invitation"},
    )
    return invitation


def invitation_get_valid(*, token: str) -> Invitation | None:
    """The open, unexpired invitation of ``token``, or ``None``."""
    return (
        Invitation.objects.filter(
            token_hash=_token_hash(token or ""),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("user")
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Use an invitation: set the password, activate the account, verify its e-mail address.

    The link works once: the invitation row is locked and marked used in the same
    transaction. Receiving the link proves the address, so it counts as verified.
    """
    from allauth.account.models import EmailAddress

    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            token_hash=_token_hash(token or ""),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is invalid, used or expired."))
    user = User.objects.select_for_update().get(pk=invitation.user_id)
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        verb=verbs.INVITATION_ACCEPTED,
        target=user,
        data={"invitation": invitation.pk},
    )
    return user
