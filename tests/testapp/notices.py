"""A notice type of the test app: proves apps register their own kinds of notice."""

from typing import Any

from securityunion.audit import verbs
from securityunion.audit.services import audit_record

SAMPLE_REMOVAL = "sample_removal"


def sample_removal_confirmed(*, notice: Any, actor: Any, done_at: Any) -> None:
    """What the app does when a company confirms it carried out a sample removal."""
    audit_record(
        actor=actor,
        verb=verbs.UPDATE,
        target=notice.subject,
        data={"removal_confirmed": True, "notice": notice.pk, "done_at": done_at.isoformat()},
    )
