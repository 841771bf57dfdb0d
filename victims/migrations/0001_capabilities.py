"""The victims app's capabilities (declared in victims/permissions.py), frozen as of this migration.

On a database from before the apps declared their own capabilities the permission rows exist
already (as ``access.<codename>``); they are kept with every grant.
"""

from django.db import migrations

from securityunion.access.roles import create_capabilities

CAPABILITIES = (
    ('victims_view_assigned', "See victim cases assigned to oneself"),
    ('victims_view_all', "See all victim cases"),
    ('victims_casework', "Work on victim cases: removal requests, notices, checks"),
    ('victims_assign', "Assign officers to victim cases"),
    ('victims_escalate', "Escalate notices to hosting companies"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_capabilities_declared_by_apps"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [create_capabilities(CAPABILITIES)]
