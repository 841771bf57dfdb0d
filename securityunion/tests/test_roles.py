from django.contrib.auth.models import Group
from django.core.management import call_command

from securityunion.access.roles import ROLES, role
from securityunion.access.services import roles_sync


def test_it_creates_one_group_per_role_named_as_the_matrix(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {r.name for r in ROLES}
    assert Group.objects.filter(name="centre_caseworker").exists()
    assert Group.objects.filter(name="company").exists()


def test_it_gives_each_group_exactly_its_capabilities(db):
    group = Group.objects.get(name="focal_point")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == set(role("focal_point").capabilities)


def test_it_is_idempotent(db):
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    changes = roles_sync()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after
    assert all(change == (0, 0) for change in changes.values())


def test_it_removes_a_permission_granted_outside_the_matrix(db):
    group = Group.objects.get(name="network_member")
    from django.contrib.auth.models import Permission

    stray = Permission.objects.get(codename="audit_view_log")
    group.permissions.add(stray)
    changes = roles_sync()
    assert changes["network_member"] == (0, 1)
    assert not group.permissions.filter(pk=stray.pk).exists()


def test_the_command_reports_every_role(db, capsys):
    call_command("sync_roles")
    out = capsys.readouterr().out
    assert f"{len(ROLES)} roles in step." in out


def test_caseworkers_cannot_approve_and_supervisors_can(db):
    assert "reports_approve" not in role("centre_caseworker").capabilities
    assert "reports_approve" in role("centre_supervisor").capabilities


def test_the_auditor_role_grants_no_write_capability(db):
    writes = {"reports_assess", "firearms_edit", "drugs_manage", "victims_casework"}
    assert writes.isdisjoint(role("auditor").capabilities)


# --- capabilities declared by the apps -------------------------------------------------------


def test_each_app_declares_its_capabilities_in_its_own_permissions_module():
    from securityunion.access.roles import declared_capabilities

    declared = declared_capabilities()
    assert declared["reports_assess"].app_label == "reports"
    assert declared["victims_casework"].app_label == "victims"
    assert declared["testapp_archive_samples"].app_label == "testapp"
    assert declared["audit_view_log"].app_label == "access"


def test_the_shared_role_file_declares_only_cross_cutting_capabilities():
    from securityunion.access.roles import CAPABILITIES

    assert {code for code, _ in CAPABILITIES} == {
        "audit_view_log",
        "export_pdf",
        "export_csv",
        "manage_users",
        "manage_api_clients",
        "notices_receive",
    }


def test_every_declared_capability_exists_after_migrate(db):
    from django.contrib.auth.models import Permission

    from securityunion.access.roles import declared_capabilities

    existing = set(
        Permission.objects.filter(content_type__app_label="access").values_list(
            "codename", flat=True
        )
    )
    assert set(declared_capabilities()) <= existing


def test_has_capability_works_for_a_capability_only_the_test_app_declares(make_user):
    from django.contrib.auth.models import Permission

    from securityunion.access.policy import has_capability

    user = make_user(None, username="archivist")
    assert not has_capability(user, "testapp_archive_samples")
    user.user_permissions.add(Permission.objects.get(codename="testapp_archive_samples"))
    user = type(user).objects.get(pk=user.pk)
    assert has_capability(user, "testapp_archive_samples")


def test_a_role_naming_an_unknown_capability_fails_the_system_check(monkeypatch):
    from securityunion.access import roles

    typo = roles.Role("centre_caseworker", "Caseworker", ("reports_asess",))
    monkeypatch.setattr(roles, "ROLES", (*roles.ROLES, typo))
    errors = roles.check_role_matrix()
    assert [e.id for e in errors] == ["access.E001"]
    assert "reports_asess" in errors[0].msg


def test_the_role_matrix_passes_the_system_check():
    from securityunion.access.roles import check_role_matrix

    assert check_role_matrix() == []


def test_a_capability_declared_by_two_apps_fails_the_system_check(monkeypatch):
    from securityunion.access import roles

    monkeypatch.setattr(roles, "CAPABILITIES", (*roles.CAPABILITIES, ("reports_assess", "x")))
    assert [e.id for e in roles.check_role_matrix()] == ["access.E002"]


def test_the_matrix_may_grant_an_installed_apps_capability_and_sync_roles_applies_it(
    db, monkeypatch
):
    from securityunion.access import roles, services

    archivist = roles.Role("sample_archivist", "Archivist", ("testapp_archive_samples",))
    monkeypatch.setattr(roles, "ROLES", (*roles.ROLES, archivist))
    monkeypatch.setattr(services, "ROLES", roles.ROLES)
    assert roles.check_role_matrix() == []
    assert services.roles_sync()["sample_archivist"] == (1, 0)
    group = Group.objects.get(name="sample_archivist")
    assert list(group.permissions.values_list("codename", flat=True)) == ["testapp_archive_samples"]
    assert services.roles_sync()["sample_archivist"] == (0, 0)


def test_an_apps_capability_migration_keeps_existing_rows_and_their_grants(db):
    from types import SimpleNamespace

    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.db import connection

    from securityunion.access.roles import create_capabilities

    before = Permission.objects.get(codename="reports_assess")
    group = Group.objects.get(name="centre_caseworker")
    operation = create_capabilities([("reports_assess", "Assess reports")])
    operation.code(apps, SimpleNamespace(connection=connection))
    after = Permission.objects.get(codename="reports_assess")
    assert after.pk == before.pk
    assert group.permissions.filter(pk=after.pk).exists()


def test_a_capability_lost_from_the_database_is_recreated_after_migrate(db):
    from django.contrib.auth.models import Permission

    from securityunion.access.roles import ensure_capabilities

    Permission.objects.filter(codename="testapp_archive_samples").delete()
    ensure_capabilities()
    assert Permission.objects.filter(
        content_type__app_label="access", codename="testapp_archive_samples"
    ).exists()
