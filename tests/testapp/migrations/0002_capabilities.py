from django.db import migrations

from securityunion.access.roles import create_capabilities


class Migration(migrations.Migration):
    dependencies = [
        ("testapp", "0001_initial"),
        ("access", "0002_capabilities_declared_by_apps"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        create_capabilities([("testapp_archive_samples", "Archive sample cases (test app)")])
    ]
