"""Matching reported items against active indicators: indexed exact lookups, PDQ near matches.

Exact algorithms (md5, sha1, sha256, PhotoDNA, URL) are one indexed lookup per batch in the
database. PDQ near matches (Hamming distance up to 31) come from the in-memory multi-index of
the active PDQ indicators (``reports.pdq_index``); for a batch, that lookup runs in a thread of
its own while the database answers the exact ones.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q

from .models import Indicator, PdqIndexVersion
from .pdq_index import PdqIndex, held_pdq_index, pdq_index_for, pdq_token

EXACT = ("md5", "sha1", "sha256", "photodna", "url")
# From this many PDQ hashes in one call, their lookup runs in a thread of its own while this one
# waits for the database's answer to the exact lookups; below it, starting a thread costs more
# than the lookup.
OVERLAP_FROM = 16


@dataclass(frozen=True)
class Match:
    indicator_id: int
    algorithm: str
    distance: int = 0


def indicator_lookup(algorithm: str, value: str) -> str:
    """The indexed lookup key of a value: the value, or the SHA-256 of long ones."""
    from .intake import photodna_sha256, url_sha256

    if algorithm == "url":
        return url_sha256(value)
    if algorithm == "photodna":
        return photodna_sha256(value)
    return value.strip().lower()


def item_lookups(item) -> list[tuple[str, str]]:  # noqa: ANN001
    """(algorithm, lookup) pairs of a reported item (model or clean item) for exact lookups.

    PDQ is not among them: the PDQ index finds equal hashes too (at distance 0).
    """
    hashes = item.hashes if isinstance(item.hashes, dict) else item.hashes()
    pairs = []
    for algorithm in ("md5", "sha1", "sha256"):
        if hashes.get(algorithm):
            pairs.append((algorithm, hashes[algorithm]))
    if hashes.get("photodna"):
        pairs.append(("photodna", indicator_lookup("photodna", hashes["photodna"])))
    url_hash = getattr(item, "url_sha256", "")
    if url_hash:
        pairs.append(("url", url_hash))
    return pairs


def match_many(items: Iterable) -> list[list[Match]]:
    """For each item, its matches against active indicators (one query for the whole batch).

    The PDQ index this process holds starts looking at once (in a thread of its own for a
    batch). What it finds counts only if the index carries the token the database gives in the
    same statement as the exact lookups; else the index is rebuilt and looks again.
    """
    items = list(items)
    results: list[list[Match]] = [[] for _ in items]
    pdq_items = _pdq_items(items)
    pdq_values = [value for _, value in pdq_items]
    held = held_pdq_index() if pdq_values else None
    near = _near_pdq_start(held, pdq_values) if held is not None else None
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for algorithm, lookup in item_lookups(item):
            wanted[algorithm].add(lookup)
    rows, token = _exact_rows(wanted, with_token=bool(pdq_values))
    if rows:
        found: dict[tuple[str, str], list[int]] = defaultdict(list)
        for pk, algorithm, lookup in rows:
            found[(algorithm, lookup)].append(pk)
        for index, item in enumerate(items):
            for algorithm, lookup in item_lookups(item):
                for pk in found.get((algorithm, lookup), ()):
                    results[index].append(Match(pk, algorithm, 0))
    if pdq_values:
        near_found = near() if near is not None else []  # waited for even when discarded
        if held is None or held.token != token:
            near_found = pdq_index_for(token).search(pdq_values)
        for position, pk, distance in sorted(near_found):
            index = pdq_items[position][0]
            if all(m.indicator_id != pk for m in results[index]):
                results[index].append(Match(pk, "pdq", distance))
    return results


_EXACT_SQL = """
SELECT i.id, i.algorithm::text, i.lookup::text
FROM unnest(%s::text[], %s::text[]) AS w(algorithm, lookup)
JOIN {indicator} i ON i.algorithm = w.algorithm AND i.lookup = w.lookup
WHERE i.status = 'active'
"""

_VERSION_ROW_SQL = """
UNION ALL
SELECT NULL, NULL, v.token::text FROM {version} v WHERE v.id = 1
"""


def _exact_rows(
    wanted: dict[str, set[str]], with_token: bool = False
) -> tuple[list[tuple[int, str, str]], str | None]:
    """Active indicators equal to any wanted (algorithm, lookup), and the PDQ index token.

    On PostgreSQL the pairs travel as two arrays joined to the hash index on ``lookup`` (one
    bucket page per value whatever the list's size), which also keeps the planner from
    estimating every listed value against the table's statistics; the token comes as one more
    row of the same statement (no id), so both are read at one moment and in one round trip.
    """
    from django.db import connection

    if not wanted:
        return [], (pdq_token() if with_token else None)
    if connection.vendor == "postgresql":
        pairs = [(a, v) for a, values in wanted.items() for v in values]
        sql = _EXACT_SQL.format(indicator=Indicator._meta.db_table)
        if with_token:
            sql += _VERSION_ROW_SQL.format(version=PdqIndexVersion._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql, [[a for a, _ in pairs], [v for _, v in pairs]])
            fetched = cursor.fetchall()
        rows = [row for row in fetched if row[0] is not None]
        tokens = [row[2] for row in fetched if row[0] is None]
        return rows, (tokens[0] if tokens else None)
    condition = Q()
    for algorithm, lookups in wanted.items():
        condition |= Q(algorithm=algorithm, lookup__in=lookups)
    rows = list(
        Indicator.objects.filter(condition, status=Indicator.Status.ACTIVE).values_list(
            "pk", "algorithm", "lookup"
        )
    )
    return rows, (pdq_token() if with_token else None)


def _pdq_items(items: list) -> list[tuple[int, str]]:
    """(item position, PDQ hash) of the items that carry one."""
    pdq_items = [
        (index, (item.hashes if isinstance(item.hashes, dict) else item.hashes()).get("pdq"))
        for index, item in enumerate(items)
    ]
    return [(index, value.strip().lower()) for index, value in pdq_items if value]


def _near_pdq_start(index: PdqIndex, values: list[str]) -> Callable[[], list[tuple[int, int, int]]]:
    """Start the near lookup of PDQ hashes in ``index``; the returned function waits for it.

    For many hashes the lookup, which needs neither the interpreter nor the database, runs in a
    thread of its own while the caller's thread waits for the database.
    """
    if len(values) < OVERLAP_FROM:
        found = index.search(values)
        return lambda: found
    outcome: dict[str, object] = {}

    def lookup() -> None:
        try:
            outcome["found"] = index.search(values)
        except BaseException as error:  # handed to the waiting caller
            outcome["error"] = error

    thread = threading.Thread(target=lookup, name="pdq-lookup", daemon=True)
    thread.start()

    def wait() -> list[tuple[int, int, int]]:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        return outcome["found"]  # type: ignore[return-value]

    return wait
