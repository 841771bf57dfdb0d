from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .roles import ROLES


@transaction.atomic
def roles_sync() -> dict[str, tuple[int, int]]:
    """Make each role's group hold exactly the role's permissions; returns (added, removed).

    Raises ``LookupError`` naming any permission of the matrix that does not exist, so a typo
    in the matrix fails loudly instead of silently granting nothing.
    """
    changes: dict[str, tuple[int, int]] = {}
    for role in ROLES:
        wanted_names = [f"access.{c}" for c in role.capabilities] + list(role.extra_permissions)
        condition = Q(pk__in=[])
        for name in wanted_names:
            app_label, codename = name.split(".", 1)
            condition |= Q(content_type__app_label=app_label, codename=codename)
        wanted = set(Permission.objects.filter(condition).values_list("pk", flat=True))
        found = {
            f"{app}.{code}"
            for app, code in Permission.objects.filter(pk__in=wanted).values_list(
                "content_type__app_label", "codename"
            )
        }
        missing = sorted(set(wanted_names) - found)
        if missing:
            raise LookupError(f"Role {role.name}: unknown permissions {', '.join(missing)}")
        group, _ = Group.objects.get_or_create(name=role.name)
        current = set(group.permissions.values_list("pk", flat=True))
        to_add, to_remove = wanted - current, current - wanted
        if to_add:
            group.permissions.add(*to_add)
        if to_remove:
            group.permissions.remove(*to_remove)
        changes[role.name] = (len(to_add), len(to_remove))
    return changes
