from django.db import migrations, models
import django.utils.timezone


def create_version(apps, schema_editor):
    PdqIndexVersion = apps.get_model("reports", "PdqIndexVersion")
    PdqIndexVersion.objects.get_or_create(pk=1, defaults={"token": "initial"})


class Migration(migrations.Migration):
    """PDQ near matching moves from the band table to an in-memory index."""

    dependencies = [
        ("reports", "0002_pdq_band_words"),
    ]

    operations = [
        migrations.DeleteModel(name="PdqBand"),
        migrations.CreateModel(
            name="PdqIndexVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(blank=True, max_length=32)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.RunPython(create_version, migrations.RunPython.noop),
    ]
