"""Demo data of the victims area: two cases, one for each officer, in different states."""

from __future__ import annotations

import datetime
from typing import Any


def load(*, users: dict[str, Any], organisations: dict[str, Any]) -> None:
    from django.utils import timezone

    from securityunion.accounts.models import Country
    from securityunion.casework.services import case_transition

    from .models import VictimCase
    from .services import assistance_record_add, victim_case_create, victim_cases_assign

    lead = users.get("victim_lead")
    officer = users.get("victim_officer")
    if lead is None or officer is None or VictimCase.objects.exists():
        return
    other = users.get("victim_officer2")
    today = timezone.localdate()

    first = victim_case_create(
        actor=lead,
        country=Country.objects.get(pk="PT"),
        consent_scope="removal_and_search",
        consent_given_on=today - datetime.timedelta(days=12),
        personal={
            "person_name": "Maria Example",
            "person_contact": "maria.example@example.org",
            "date_of_birth": "2007-04-02",
            "representative_name": "Rui Example",
            "representative_role": "Parent",
            "representative_contact": "+351 000 000 000",
        },
    )
    victim_cases_assign(cases=[first], assignee=officer, actor=lead)
    for transition in ("verify", "activate"):
        case_transition(case=first, transition=transition, actor=officer)
    assistance_record_add(
        case=first,
        actor=officer,
        kind="referral",
        counterpart="National child helpline",
        note="Agreed to be called back on Thursday.",
        happened_on=today - datetime.timedelta(days=3),
    )
    assistance_record_add(
        case=first,
        actor=officer,
        kind="information",
        counterpart="Telephone",
        note="Explained how removal notices work.",
        happened_on=today - datetime.timedelta(days=2),
    )

    second = victim_case_create(
        actor=lead,
        country=Country.objects.get(pk="BE"),
        consent_scope="removal",
        consent_given_on=today,
        personal={"person_name": "Alex Sample", "person_contact": "alex.sample@example.org"},
    )
    if other is not None:
        victim_cases_assign(cases=[second], assignee=other, actor=lead)
