"""Index types the apps share."""

from __future__ import annotations

from django.db import models


class EqualityIndex(models.Index):
    """A hash index on PostgreSQL (a B-tree elsewhere) for columns only ever compared with ``=``.

    For long random keys (hashes, digests) a hash index holds 4 bytes per row instead of the
    key, so it stays small and a lookup reads one bucket page whatever the table's size, where a
    B-tree grows a level and spills out of the cache. One column, no ordering, no uniqueness.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):  # noqa: ANN001, ANN201
        if schema_editor.connection.vendor == "postgresql":
            using = " USING hash"
        return super().create_sql(model, schema_editor, using=using, **kwargs)
