"""The categories of Annex I of Directive (EU) 2021/555 as reference rows (editable afterwards).

A1-A5 and the older wording of B1-B7 and C1-C4 were checked against the consolidated Annex
(``verified``); the 2017 additions (A6-A9, B8, B9, C5-C7) and the extra values are summaries
still to be checked, so they are loaded unverified and stay editable in the administration.
"""

from django.db import migrations

CATEGORIES = (
    ("A1", "A", "Military missiles and launchers", True),
    ("A2", "A", "Automatic firearms", True),
    ("A3", "A", "Firearms disguised as other objects", True),
    ("A4", "A", "Ammunition with penetrating, explosive or incendiary projectiles", True),
    ("A5", "A", "Expanding ammunition for pistols and revolvers", True),
    ("A6", "A", "Automatic firearms converted into semi-automatic firearms", False),
    (
        "A7",
        "A",
        "Centre-fire semi-automatic firearms with a magazine over 20 rounds (short) or over 10 "
        "rounds (long)",
        False,
    ),
    ("A8", "A", "Semi-automatic long firearms that can be reduced below 60 cm", False),
    ("A9", "A", "Category A firearms converted to fire blanks, irritants or salute", False),
    ("B1", "B", "Repeating short firearms", True),
    ("B2", "B", "Single-shot short firearms with centre-fire percussion", True),
    ("B3", "B", "Single-shot short firearms with rimfire percussion, under 28 cm", True),
    (
        "B4",
        "B",
        "Semi-automatic long firearms: over 3 rounds (rimfire) or 4 to 11 rounds (centre-fire)",
        True,
    ),
    ("B5", "B", "Semi-automatic short firearms not in A7", True),
    (
        "B6",
        "B",
        "Semi-automatic long firearms with at most 3 rounds whose magazine is removable or "
        "convertible",
        True,
    ),
    ("B7", "B", "Repeating and semi-automatic smooth-bore long firearms, barrel up to 60 cm", True),
    ("B8", "B", "Category B firearms converted to fire blanks, irritants or salute", False),
    ("B9", "B", "Semi-automatic civilian firearms that look like automatic ones", False),
    ("C1", "C", "Repeating long firearms other than those in B7", True),
    ("C2", "C", "Single-shot long firearms with rifled barrels", True),
    ("C3", "C", "Semi-automatic long firearms other than those in A or B", True),
    ("C4", "C", "Single-shot short firearms with rimfire percussion, 28 cm or more", True),
    ("C5", "C", "Category C firearms converted to fire blanks, irritants or salute", False),
    ("C6", "C", "Firearms deactivated under Regulation (EU) 2015/2403", False),
    ("C7", "C", "Single-shot smooth-bore long firearms placed on the market from 14.9.2018", False),
    ("NOT_FIREARM", "other", "Not a firearm (alarm or signal weapon meeting Directive 2019/69)", False),
    ("UNKNOWN", "other", "Category unknown", False),
)


def load(apps, schema_editor):
    EuCategory = apps.get_model("firearms", "EuCategory")
    for position, (code, group, description, verified) in enumerate(CATEGORIES, start=1):
        EuCategory.objects.update_or_create(
            code=code,
            defaults={
                "group": group,
                "description": description,
                "verified": verified,
                "position": position,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("firearms", "EuCategory").objects.filter(
        code__in=[c[0] for c in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("firearms", "0002_seizure_cases")]

    operations = [migrations.RunPython(load, unload)]
