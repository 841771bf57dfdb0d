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
