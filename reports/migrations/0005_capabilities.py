"""The reports app's capabilities (declared in reports/permissions.py), frozen as of this migration.

On a database from before the apps declared their own capabilities the permission rows exist
already (as ``access.<codename>``); they are kept with every grant.
"""

from django.db import migrations

from securityunion.access.roles import create_capabilities

CAPABILITIES = (
    ('reports_view_all', "See all provider reports, complaints and indicators"),
    ('reports_assess', "Assess reports, propose forwarding or 'manifestly unfounded'"),
    ('reports_request_information', "Request information from a company"),
    ('reports_approve', "Approve forwarding and unfounded decisions of others"),
    ('reports_assign', "Assign reports to caseworkers"),
    ('reports_view_forwarded', "See reports forwarded to one's own organisation"),
    ('reports_acknowledge', "Acknowledge forwarded reports and give feedback"),
    ('reports_place_legal_hold', "Place legal holds on forwarded reports"),
    ('complaints_review', "Review complaints about removed content"),
    ('complaints_decide', "Decide complaints"),
    ('indicators_view', "See indicator lists"),
    ('indicators_verify', "Verify, import and retire indicators"),
    ('reports_submit', "Submit reports through the API (companies)"),
)


class Migration(migrations.Migration):
    dependencies = [
        ('reports', '0004_indicator_lookup_hash_index'),
        ("access", "0002_capabilities_declared_by_apps"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [create_capabilities(CAPABILITIES)]
