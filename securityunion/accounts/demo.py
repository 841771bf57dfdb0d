"""The demo organisations and users: one user per role, with a plausible organisation."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Organisation

ORGANISATIONS: tuple[tuple[str, str, str, str | None], ...] = (
    # slug, name, type, country
    (
        "european-commission",
        "European Commission, DG Migration and Home Affairs",
        Organisation.Type.EU_INSTITUTION,
        "BE",
    ),
    (
        "eu-centre",
        "EU Centre to prevent and counter child sexual abuse (pilot)",
        Organisation.Type.EU_AGENCY,
        "BE",
    ),
    (
        "europol",
        "Europol, European Cybercrime Centre (EC3)",
        Organisation.Type.LAW_ENFORCEMENT,
        "NL",
    ),
    (
        "police-fr",
        "Police nationale, Office mineurs (OFMIN)",
        Organisation.Type.LAW_ENFORCEMENT,
        "FR",
    ),
    ("police-de", "Bundeskriminalamt", Organisation.Type.LAW_ENFORCEMENT, "DE"),
    (
        "firearms-fr",
        "Service central des armes et explosifs",
        Organisation.Type.NATIONAL_AUTHORITY,
        "FR",
    ),
    (
        "firearms-de",
        "Nationale Kontaktstelle Feuerwaffen (BKA)",
        Organisation.Type.NATIONAL_AUTHORITY,
        "DE",
    ),
    ("euda", "European Union Drugs Agency", Organisation.Type.EU_AGENCY, "PT"),
    ("prevention-ngo", "Safe Childhood Prevention Network (NGO)", Organisation.Type.NGO, "BE"),
    ("example-social", "Example Social", Organisation.Type.COMPANY, "IE"),
    ("example-hosting", "Example Hosting", Organisation.Type.COMPANY, "NL"),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    organisation: str
    country: str | None
    is_staff: bool = False


USERS: tuple[DemoUser, ...] = (
    DemoUser("caseworker", "centre_caseworker", "Claire", "Dubois", "eu-centre", "BE"),
    DemoUser("supervisor", "centre_supervisor", "Sofia", "Marino", "eu-centre", "BE"),
    DemoUser("europol", "law_enforcement", "Jan", "de Vries", "europol", "NL"),
    DemoUser("police_fr", "law_enforcement", "Luc", "Martin", "police-fr", "FR"),
    DemoUser("victim_officer", "victim_support_officer", "Ana", "Costa", "eu-centre", "BE"),
    DemoUser("victim_officer2", "victim_support_officer", "Piotr", "Nowak", "eu-centre", "BE"),
    DemoUser("victim_lead", "victim_support_lead", "Ingrid", "Larsen", "eu-centre", "BE"),
    DemoUser("focal_point_fr", "focal_point", "Julien", "Moreau", "firearms-fr", "FR"),
    DemoUser("focal_point_de", "focal_point", "Katrin", "Schmidt", "firearms-de", "DE"),
    DemoUser("approver_fr", "national_approver", "Hélène", "Bernard", "firearms-fr", "FR"),
    DemoUser(
        "firearms_reviewer", "firearms_reviewer", "Marco", "Rossi", "european-commission", "BE"
    ),
    DemoUser(
        "drugs_coordinator", "drugs_coordinator", "Elena", "Popescu", "european-commission", "BE"
    ),
    DemoUser("drugs_reporter", "drugs_reporter", "João", "Ferreira", "euda", "PT"),
    DemoUser(
        "prevention_coordinator",
        "prevention_coordinator",
        "Maria",
        "Keller",
        "european-commission",
        "BE",
    ),
    DemoUser("network_member", "network_member", "Eva", "Horvat", "prevention-ngo", "BE"),
    DemoUser("auditor", "auditor", "Tomas", "Novak", "european-commission", "BE"),
    DemoUser("admin", "administrator", "Alex", "Admin", "european-commission", "BE", is_staff=True),
)

DEFAULT_PASSWORD = "demo-Password-2026"
