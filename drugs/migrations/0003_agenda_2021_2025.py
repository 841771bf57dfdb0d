"""The EU Agenda and Action Plan on Drugs 2021-2025: its three headings and eight strategic
priorities, verbatim from the Commission's "Delivering on a Security Union: Questions and
Answers" (24 July 2020), without the list punctuation (the trailing ";" or ".")."""

from django.db import migrations

FRAMEWORK = {
    "code": "eu-agenda-drugs-2021-2025",
    "title": "EU Agenda and Action Plan on Drugs 2021-2025",
    "start_year": 2021,
    "end_year": 2025,
}

HEADINGS = (
    ("security", "Enhanced security", 1),
    ("prevention", "Increased prevention", 2),
    ("harm", "Addressing drug-related harm", 3),
)

PRIORITIES = (
    (
        1,
        "security",
        "Disrupting and dismantling major high-risk drug-related organised crime groups "
        "operating in EU Member States and addressing links with other security threats",
    ),
    (
        2,
        "security",
        "Increasing detection of illicit trafficking of drugs and drug precursors at EU points "
        "of entry and exit",
    ),
    (
        3,
        "security",
        "Increasing effective monitoring of logistical and digital channels exploited for "
        "medium and small-volume drug distribution and increasing seizures of illicit "
        "substances smuggled through these channels in close cooperation with the private sector",
    ),
    (
        4,
        "security",
        "Dismantling drug production and processing, preventing the diversion and trafficking "
        "of drug precursors for illicit drug production, and eradicating illegal cultivation",
    ),
    (
        5,
        "prevention",
        "Preventing the uptake of drugs, enhancing crime prevention, and raising awareness of "
        "the adverse effects of drugs on citizens and communities",
    ),
    (
        6,
        "harm",
        "Enhancing access to treatment options for people who experience harm from substance use",
    ),
    (
        7,
        "harm",
        "Increasing the efficiency of risk and harm reduction interventions to protect the "
        "health of drug users and the public",
    ),
    (
        8,
        "harm",
        "Developing a balanced intervention on drugs use in prisons (reduce demand and restrict "
        "supply)",
    ),
)


def load(apps, schema_editor):  # noqa: ANN001, ANN201
    Framework = apps.get_model("drugs", "Framework")
    Heading = apps.get_model("drugs", "Heading")
    Priority = apps.get_model("drugs", "Priority")
    framework, _ = Framework.objects.get_or_create(
        code=FRAMEWORK["code"], defaults={**FRAMEWORK, "is_current": True}
    )
    headings = {}
    for code, title, order in HEADINGS:
        headings[code], _ = Heading.objects.get_or_create(
            framework=framework, code=code, defaults={"title": title, "order": order}
        )
    for number, heading, text in PRIORITIES:
        Priority.objects.update_or_create(
            framework=framework,
            number=number,
            defaults={"heading": headings[heading], "text": text},
        )


def unload(apps, schema_editor):  # noqa: ANN001, ANN201
    Framework = apps.get_model("drugs", "Framework")
    framework = Framework.objects.filter(code=FRAMEWORK["code"]).first()
    if framework is None:
        return
    apps.get_model("drugs", "Priority").objects.filter(framework=framework).delete()
    apps.get_model("drugs", "Heading").objects.filter(framework=framework).delete()
    framework.delete()


class Migration(migrations.Migration):
    dependencies = [("drugs", "0002_plan_actions_updates")]

    operations = [migrations.RunPython(load, unload)]
