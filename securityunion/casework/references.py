"""Human references such as ``RPT-2026-000042``, drawn from database sequences.

On PostgreSQL each prefix has its own sequence (created by the app's migration with
``CreateReferenceSequence``), so concurrent inserts never queue on a counter row. SQLite, which
serialises writers anyway, uses a counter table instead.
"""

from __future__ import annotations

import re

from django.db import connection, migrations
from django.db.models import F
from django.utils import timezone

_PREFIX = re.compile(r"^[A-Z]{2,5}$")


def sequence_name(prefix: str) -> str:
    if not _PREFIX.match(prefix):
        raise ValueError(f"Reference prefix must be 2 to 5 capital letters, not {prefix!r}")
    return f"casework_ref_{prefix.lower()}"


def reference_next(prefix: str) -> str:
    """The next reference for ``prefix``: ``PREFIX-YYYY-NNNNNN`` (the number never resets)."""
    name = sequence_name(prefix)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [name])
            (number,) = cursor.fetchone()
    else:
        from .models import ReferenceCounter

        counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix)
        ReferenceCounter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
        counter.refresh_from_db()
        number = counter.value
    return f"{prefix}-{timezone.now().year}-{number:06d}"


class CreateReferenceSequence(migrations.operations.base.Operation):
    """Migration operation: the sequence behind one reference prefix (no-op off PostgreSQL)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def state_forwards(self, app_label, state) -> None:  # noqa: ANN001
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:  # noqa: ANN001
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {sequence_name(self.prefix)}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:  # noqa: ANN001
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP SEQUENCE IF EXISTS {sequence_name(self.prefix)}")

    def describe(self) -> str:
        return f"Create the reference sequence for {self.prefix}"

    def deconstruct(self):  # noqa: ANN201
        return (self.__class__.__qualname__, [self.prefix], {})


def references_next(prefix: str, count: int) -> list[str]:
    """``count`` new references in one round trip (batch intake)."""
    if count <= 0:
        return []
    name = sequence_name(prefix)
    year = timezone.now().year
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [name, count])
            numbers = [row[0] for row in cursor.fetchall()]
    else:
        from .models import ReferenceCounter

        counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix)
        ReferenceCounter.objects.filter(pk=counter.pk).update(value=F("value") + count)
        counter.refresh_from_db()
        numbers = list(range(counter.value - count + 1, counter.value + 1))
    return [f"{prefix}-{year}-{n:06d}" for n in numbers]
