"""The system actor: who a scheduled job, a management command or the demo loader acts as
when no person does.

Services check their actor whoever calls them, so a command cannot simply pass ``None``. A
``SystemActor`` holds only the capabilities its caller names (least privilege) and, where a
service checks membership (a company's intake), the organisation it acts for. It cannot sign
in: it exists only in the process that built it. Audit events name it through
``actor_audit_data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from securityunion.access.policy import cap


@dataclass(frozen=True)
class SystemActor:
    name: str
    capabilities: frozenset[str] = field(default_factory=frozenset)
    organisation: Any = None

    pk = None
    id = None
    country_id = None
    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    is_api_client = False

    @classmethod
    def with_capabilities(
        cls, name: str, *capabilities: str, organisation: Any = None
    ) -> SystemActor:
        return cls(name=name, capabilities=frozenset(capabilities), organisation=organisation)

    @property
    def organisation_id(self) -> Any:
        return self.organisation.pk if self.organisation is not None else None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return obj is None and perm in {cap(c) for c in self.capabilities}

    def get_username(self) -> str:
        return f"system:{self.name}"

    def __str__(self) -> str:
        return self.get_username()


def actor_audit_data(actor: Any) -> dict[str, str]:
    """What an audit event adds to say that the system, not a person, acted."""
    return {"system_actor": actor.name} if isinstance(actor, SystemActor) else {}
