"""The eight strategic priorities are the seed document's, word for word."""

import re
from pathlib import Path

import pytest

from drugs.models import Priority

LOCAL_SEED = Path(__file__).parent / "seed_drug_priorities.txt"


def _seed_priorities() -> list[str]:
    text = LOCAL_SEED.read_text(encoding="utf-8")
    block = text.split("The Agenda identifies 8 strategic priorities")[1]
    block = block.split("The Action Plan accompanying the Agenda")[0]
    bullets = [line.strip() for line in block.splitlines() if line.strip().startswith("•")]
    return [re.sub(r"[;.]$", "", b.lstrip("• ").strip()) for b in bullets]


def test_the_seed_lists_eight_priorities():
    assert len(_seed_priorities()) == 8


@pytest.mark.django_db
def test_the_eight_priorities_are_verbatim_from_the_seed_document(framework):
    stored = list(
        Priority.objects.filter(framework=framework)
        .order_by("number")
        .values_list("text", flat=True)
    )
    assert stored == _seed_priorities()


@pytest.mark.django_db
def test_the_priorities_sit_under_the_three_headings(framework):
    by_heading = {p.number: p.heading.code for p in Priority.objects.filter(framework=framework)}
    assert by_heading == {
        1: "security",
        2: "security",
        3: "security",
        4: "security",
        5: "prevention",
        6: "harm",
        7: "harm",
        8: "harm",
    }
