"""The firearms app's capabilities (declared in firearms/permissions.py), frozen as of this migration.

On a database from before the apps declared their own capabilities the permission rows exist
already (as ``access.<codename>``); they are kept with every grant.
"""

from django.db import migrations

from securityunion.access.roles import create_capabilities

CAPABILITIES = (
    ('firearms_view_own_country', "See firearms data of one's own countries"),
    ('firearms_view_all_countries', "See firearms data of all countries"),
    ('firearms_edit', "Enter seizures, seized items and tracing requests"),
    ('firearms_prepare_return', "Prepare periodic indicator returns"),
    ('firearms_submit_return', "Submit indicator returns prepared by others"),
    ('firearms_validate_return', "Validate indicator returns or return them with comments"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_capabilities_declared_by_apps"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [create_capabilities(CAPABILITIES)]
