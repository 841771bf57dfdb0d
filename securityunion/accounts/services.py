"""Account operations: company API clients."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import Application

from securityunion.audit import verbs
from securityunion.audit.services import audit_record

from .models import ApiClient, Organisation, User


@transaction.atomic
def api_client_create(
    *, organisation: Organisation, actor: Any = None, name: str = ""
) -> tuple[ApiClient, str]:
    """Create a confidential client-credentials application for a company.

    Returns the client and its secret in plain text: the only time it is ever visible, since
    the application stores it hashed. The application acts as a dedicated service account
    (role ``company``, the company's organisation and country) that cannot sign in to pages.
    """
    if organisation.type != Organisation.Type.COMPANY:
        raise ValidationError(_("API clients are for companies; %s is not one.") % organisation)
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
        name=name or f"{organisation.name} API client",
        user=service_user,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    client = ApiClient.objects.create(application=application, organisation=organisation)
    audit_record(
        actor=actor,
        verb=verbs.CREATE,
        target=client,
        data={"organisation": organisation.slug, "client_id": application.client_id},
    )
    return client, secret


@transaction.atomic
def api_client_revoke(*, client: ApiClient, actor: Any = None) -> ApiClient:
    """Revoke a client: its tokens are deleted and its service account deactivated."""
    from oauth2_provider.models import AccessToken, RefreshToken

    application = client.application
    application.client_secret = secrets.token_urlsafe(48)  # the old secret stops working
    application.save(update_fields=["client_secret"])
    AccessToken.objects.filter(application=application).delete()
    RefreshToken.objects.filter(application=application).delete()
    if application.user_id:
        User.objects.filter(pk=application.user_id).update(is_active=False)
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        verb=verbs.UPDATE,
        target=client,
        data={"revoked": True, "client_id": application.client_id},
    )
    return client


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
