"""Demo data of the drugs area: actors, a dozen plausible actions across the eight priorities
(the demo reporter's agency leads some and contributes to others), actions in every status and
progress updates submitted, accepted and returned.

The actions are illustrations written for the demo, not the text of the real Action Plan; each
says so in its text ("[demo]").
"""

from __future__ import annotations

from datetime import date
from typing import Any

ACTORS = (
    ("European Commission (DG HOME)", "commission", "european-commission"),
    ("European Union Drugs Agency (EUDA)", "eu_agency", "euda"),
    ("Europol", "eu_agency", None),
    ("Eurojust", "eu_agency", None),
    ("Horizontal Working Party on Drugs (HDG)", "council_body", None),
    ("Member States", "member_state", None),
    ("Civil Society Forum on Drugs", "civil_society", None),
    ("UNODC", "international", None),
)

# number, priority, text, timetable, year/date, lead, contributors, status path
ACTIONS: tuple[tuple[Any, ...], ...] = (
    (
        "1",
        1,
        "Prioritise high-risk drug-related criminal networks in EMPACT operational action plans.",
        "ongoing",
        None,
        ["Europol"],
        ["Member States", "Eurojust"],
        ["start"],
    ),
    (
        "2",
        1,
        "Map the links between drug trafficking and other serious crime, including "
        "violence and corruption.",
        "year",
        2024,
        ["EUDA"],
        ["Europol"],
        ["start", "complete"],
    ),
    (
        "3",
        2,
        "Improve risk profiling of containers at EU ports of entry for drugs and precursors.",
        "date",
        date(2025, 6, 30),
        ["DG HOME"],
        ["Member States"],
        ["start", "delay"],
    ),
    (
        "4",
        3,
        "Monitor darknet marketplaces and parcel services used for small-volume drug distribution.",
        "ongoing",
        None,
        ["Europol"],
        ["EUDA"],
        ["start"],
    ),
    (
        "5",
        4,
        "Exchange information on dismantled synthetic drug production sites and dumped "
        "chemical waste.",
        "year",
        2025,
        ["EUDA"],
        ["Europol", "Member States"],
        [],
    ),
    (
        "6",
        5,
        "Compile and disseminate evidence-based prevention programmes (Xchange registry).",
        "ongoing",
        None,
        ["EUDA"],
        ["Civil Society Forum on Drugs"],
        ["start"],
    ),
    (
        "7",
        6,
        "Review barriers to treatment faced by women and older people who use drugs.",
        "year",
        2023,
        ["DG HOME"],
        ["EUDA"],
        ["start", "delay", "resume", "complete", "reopen"],
    ),
    (
        "8",
        7,
        "Scale up naloxone take-home programmes and drug-checking services.",
        "date",
        date(2025, 12, 31),
        ["Member States"],
        ["EUDA", "UNODC"],
        ["start"],
    ),
    (
        "9",
        8,
        "Collect data on drug use and drug supply in prisons.",
        "year",
        2022,
        ["EUDA"],
        ["Member States"],
        ["discontinue"],
    ),
    (
        "10",
        2,
        "Support third countries in controlling precursors at borders.",
        "ongoing",
        None,
        ["UNODC"],
        ["DG HOME"],
        [],
    ),
)

REASONS = {
    "delay": "Waiting for the Member States' data.",
    "reopen": "The review missed two Member States; it is being completed.",
    "discontinue": "Merged into a wider prison health action of the next plan.",
}


def load(*, users: dict[str, Any], organisations: dict[str, Any]) -> None:
    from securityunion.casework.services import case_transition

    from .models import Action, Actor, Framework, Priority
    from .services import action_create, progress_update_review, progress_update_submit

    framework = Framework.objects.filter(is_current=True).first()
    if framework is None or Action.objects.filter(framework=framework).exists():
        return
    coordinator, reporter = users.get("drugs_coordinator"), users.get("drugs_reporter")
    if coordinator is None or reporter is None:
        return
    actors = {}
    for name, kind, org in ACTORS:
        actors[name], _ = Actor.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "organisation": organisations.get(org) if org else None},
        )

    def find(short: str) -> Any:
        return next(a for n, a in actors.items() if short in n)

    priorities = {p.number: p for p in Priority.objects.filter(framework=framework)}
    created = {}
    for number, prio, text, timetable, when, lead, contrib, path in ACTIONS:
        action = action_create(
            framework=framework,
            number=number,
            text=f"[demo] {text}",
            priority=priorities[prio],
            timetable=timetable,
            due_year=when if timetable == "year" else None,
            due_date=when if timetable == "date" else None,
            lead_actors=[find(n) for n in lead],
            contributing_actors=[find(n) for n in contrib],
            actor=coordinator,
        )
        for step in path:
            case_transition(
                case=action, transition=step, actor=coordinator, reason=REASONS.get(step, "")
            )
        created[number] = action

    first = progress_update_submit(
        action=created["6"],
        period="2025-H2",
        rag="green",
        narrative="Twelve programmes added to the registry; two national launches.",
        evidence_links=["https://www.euda.europa.eu/best-practice/xchange_en"],
        actor=reporter,
    )
    progress_update_review(update=first, accept=True, comment="Thank you.", actor=coordinator)
    second = progress_update_submit(
        action=created["5"],
        period="2025-H2",
        rag="amber",
        narrative="Data from five Member States received; the rest are late.",
        actor=reporter,
    )
    progress_update_review(
        update=second,
        accept=False,
        comment="Please name the Member States that have not yet sent data.",
        actor=coordinator,
    )
    progress_update_submit(
        action=created["2"],
        period="2025-H1",
        rag="green",
        narrative="The mapping report was published.",
        actor=reporter,
    )
