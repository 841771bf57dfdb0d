from django.db import migrations


def load_countries(apps, schema_editor):
    from securityunion.accounts.countries import COUNTRIES, EU_MEMBER_STATES, WESTERN_BALKANS

    Country = apps.get_model("accounts", "Country")
    for code, name in COUNTRIES:
        Country.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "eu_member": code in EU_MEMBER_STATES,
                "western_balkans": code in WESTERN_BALKANS,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_client")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
