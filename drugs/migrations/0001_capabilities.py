"""The drugs app's capabilities (declared in drugs/permissions.py), frozen as of this migration.

On a database from before the apps declared their own capabilities the permission rows exist
already (as ``access.<codename>``); they are kept with every grant.
"""

from django.db import migrations

from securityunion.access.roles import create_capabilities

CAPABILITIES = (
    ('drugs_view_all', "See the whole drugs action plan"),
    ('drugs_view_own', "See actions of one's organisation and indicators of one's country"),
    ('drugs_manage', "Manage priorities, actions and indicators"),
    ('drugs_review_updates', "Review progress updates"),
    ('drugs_report_progress', "Give progress updates and measurements"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_capabilities_declared_by_apps"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [create_capabilities(CAPABILITIES)]
