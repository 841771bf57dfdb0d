"""Privilege escalation through the admin, and role changes through the one audited service."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from securityunion.accounts.services import user_roles_set
from securityunion.audit.models import AuditEvent


def _admin_change_url(settings, user) -> str:  # noqa: ANN001
    return f"/{settings.ADMIN_URL}accounts/user/{user.pk}/change/"


def _full_admin_post(user, **overrides):  # noqa: ANN001, ANN003, ANN202
    """Every field the stock user admin form would accept, as the attack sent it."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "country": user.country_id or "",
        "organisation": user.organisation_id or "",
        "time_zone": "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_an_administrator_cannot_make_itself_superuser_through_the_admin(
    client, settings, administrator
):
    client.force_login(administrator)
    response = client.post(
        _admin_change_url(settings, administrator),
        _full_admin_post(administrator, is_superuser="on"),
    )
    assert response.status_code == 403
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    event = AuditEvent.objects.get(verb="role_change_refused")
    assert event.actor_id == administrator.pk and event.object_id == str(administrator.pk)
    assert event.data["attempted"]["fields"] == ["is_staff", "is_superuser"]


def test_an_administrator_cannot_give_itself_a_role_through_the_admin(
    client, settings, administrator
):
    auditor_group = Group.objects.get(name="auditor")
    client.force_login(administrator)
    response = client.post(
        _admin_change_url(settings, administrator),
        _full_admin_post(administrator, groups=[str(auditor_group.pk)]),
    )
    assert response.status_code == 403
    assert not administrator.groups.filter(name="auditor").exists()
    assert AuditEvent.objects.filter(verb="role_change_refused").count() == 1


def test_an_administrator_cannot_grant_superuser_to_another_through_the_admin(
    client, settings, administrator, caseworker
):
    client.force_login(administrator)
    response = client.post(
        _admin_change_url(settings, caseworker),
        _full_admin_post(caseworker, is_superuser="on", user_permissions=["1"]),
    )
    assert response.status_code == 403
    caseworker.refresh_from_db()
    assert not caseworker.is_superuser and not caseworker.user_permissions.exists()


def test_the_admin_still_saves_the_ordinary_fields(client, settings, administrator, caseworker):
    client.force_login(administrator)
    data = _full_admin_post(caseworker, first_name="Renamed")
    del data["is_staff"]
    response = client.post(_admin_change_url(settings, caseworker), data)
    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.first_name == "Renamed"
    assert caseworker.groups.filter(name="centre_caseworker").exists()


def test_an_administrator_cannot_open_a_superuser_in_the_admin(
    client, settings, administrator, make_user
):
    root = make_user(None, "BE", username="root", is_superuser=True, is_staff=True)
    client.force_login(administrator)
    data = _full_admin_post(root, first_name="Owned")
    del data["is_staff"]
    response = client.post(_admin_change_url(settings, root), data)
    assert response.status_code in (302, 403)
    root.refresh_from_db()
    assert root.first_name != "Owned"


def test_adding_a_user_in_the_admin_leads_to_the_invitation(client, settings, administrator):
    client.force_login(administrator)
    response = client.get(f"/{settings.ADMIN_URL}accounts/user/add/")
    assert response.status_code == 302 and response["Location"] == "/accounts/invitations/new/"


def test_an_administrator_changes_another_users_roles_with_a_reason(
    client, administrator, caseworker
):
    client.force_login(administrator)
    response = client.post(
        f"/accounts/users/{caseworker.pk}/roles/",
        {"roles": ["centre_supervisor"], "reason": "Promoted to supervisor, ticket 42"},
    )
    assert response.status_code == 302
    assert set(caseworker.groups.values_list("name", flat=True)) == {"centre_supervisor"}
    event = AuditEvent.objects.get(verb="roles_changed")
    assert event.actor_id == administrator.pk and event.object_id == str(caseworker.pk)
    assert event.data["added"] == ["centre_supervisor"]
    assert event.data["removed"] == ["centre_caseworker"]
    assert event.data["reason"] == "Promoted to supervisor, ticket 42"


def test_a_role_change_without_a_reason_changes_nothing(client, administrator, caseworker):
    client.force_login(administrator)
    response = client.post(
        f"/accounts/users/{caseworker.pk}/roles/", {"roles": ["auditor"], "reason": "  "}
    )
    assert response.status_code == 200
    assert set(caseworker.groups.values_list("name", flat=True)) == {"centre_caseworker"}
    assert not AuditEvent.objects.filter(verb="roles_changed").exists()


def test_an_administrator_cannot_change_its_own_roles_on_the_roles_page(client, administrator):
    client.force_login(administrator)
    response = client.post(
        f"/accounts/users/{administrator.pk}/roles/",
        {"roles": ["administrator", "auditor"], "reason": "I want to read cases"},
    )
    assert response.status_code == 403
    assert not administrator.groups.filter(name="auditor").exists()
    event = AuditEvent.objects.get(verb="role_change_refused")
    assert event.data["why"] == "own roles"


def test_a_user_without_manage_users_cannot_change_roles(caseworker, make_user):
    victim = make_user("network_member", "BE", username="member")
    with pytest.raises(PermissionDenied):
        user_roles_set(user=victim, roles=["auditor"], reason="because", actor=caseworker)
    assert not victim.groups.filter(name="auditor").exists()
    assert AuditEvent.objects.get(verb="role_change_refused").data["why"] == (
        "actor lacks manage_users"
    )


def test_an_unknown_role_is_refused(administrator, caseworker):
    with pytest.raises(ValidationError):
        user_roles_set(user=caseworker, roles=["company"], reason="x", actor=administrator)


def test_the_administrator_role_brings_admin_access_and_losing_it_takes_it(
    administrator, caseworker
):
    user_roles_set(
        user=caseworker, roles=["administrator"], reason="new admin", actor=administrator
    )
    caseworker.refresh_from_db()
    assert caseworker.is_staff
    user_roles_set(user=caseworker, roles=["auditor"], reason="moved", actor=administrator)
    caseworker.refresh_from_db()
    assert not caseworker.is_staff


def test_the_roles_page_asks_for_a_recent_password_when_enabled(
    client, settings, administrator, caseworker
):
    settings.SENSITIVE_ACTIONS_NEED_REAUTHENTICATION = True
    client.force_login(administrator)
    response = client.post(
        f"/accounts/users/{caseworker.pk}/roles/", {"roles": ["auditor"], "reason": "audit"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not caseworker.groups.filter(name="auditor").exists()


def test_a_non_administrator_cannot_open_the_roles_page(client, caseworker, administrator):
    client.force_login(caseworker)
    assert client.get(f"/accounts/users/{administrator.pk}/roles/").status_code == 403


def test_an_administrator_cannot_set_another_users_password_in_the_admin(
    client, settings, administrator, caseworker
):
    client.force_login(administrator)
    url = f"/{settings.ADMIN_URL}accounts/user/{caseworker.pk}/password/"
    response = client.post(url, {"password1": "Taken-over-2026!", "password2": "Taken-over-2026!"})
    assert response.status_code == 403
    caseworker.refresh_from_db()
    assert not caseworker.check_password("Taken-over-2026!")


def test_an_admin_edit_of_ordinary_fields_is_audited(client, settings, administrator, caseworker):
    client.force_login(administrator)
    data = _full_admin_post(caseworker, is_active="")
    del data["is_staff"]
    client.post(_admin_change_url(settings, caseworker), data)
    event = AuditEvent.objects.get(verb="update", object_id=str(caseworker.pk))
    assert event.data == {"fields": ["is_active"], "via": "admin"}


def test_a_non_administrator_cannot_probe_for_accounts_on_the_roles_page(client, caseworker):
    client.force_login(caseworker)
    assert client.get("/accounts/users/999999/roles/").status_code == 403
