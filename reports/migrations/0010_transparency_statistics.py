"""Transparency statistics: the capability to see and export them, and the periods exported."""

import django.utils.timezone
from django.db import migrations, models

from securityunion.access.roles import create_capabilities


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0009_forwarding_recipient_sent_index"),
        ("access", "0002_capabilities_declared_by_apps"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='StatisticsPeriod',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=8, unique=True, verbose_name='period')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'statistics period',
                'verbose_name_plural': 'statistics periods',
                'ordering': ['-key'],
            },
        ),
        create_capabilities(
            [("reports_statistics", "See and export the transparency statistics")]
        ),
    ]
