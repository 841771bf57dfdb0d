"""The prevention app's capabilities (declared in prevention/permissions.py), frozen as of this migration.

On a database from before the apps declared their own capabilities the permission rows exist
already (as ``access.<codename>``); they are kept with every grant.
"""

from django.db import migrations

from securityunion.access.roles import create_capabilities

CAPABILITIES = (
    ('prevention_view_all', "See the whole prevention network"),
    ('prevention_view_published', "See published network content and own submissions"),
    ('prevention_submit', "Submit programmes, research and materials"),
    ('prevention_approve', "Approve members and publications"),
    ('prevention_assess_evidence', "Assess the evidence of programmes"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_capabilities_declared_by_apps"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [create_capabilities(CAPABILITIES)]
