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

from .models import Indicator
from .pdq_index import pdq_index

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
    """For each item, its matches against active indicators (few queries for the whole batch)."""
    items = list(items)
    results: list[list[Match]] = [[] for _ in items]
    pdq_items = _pdq_items(items)
    near = _near_pdq_start([value for _, value in pdq_items])
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for algorithm, lookup in item_lookups(item):
            wanted[algorithm].add(lookup)
    if wanted:
        found: dict[tuple[str, str], list[int]] = defaultdict(list)
        for pk, algorithm, lookup in _exact_rows(wanted):
            found[(algorithm, lookup)].append(pk)
        for index, item in enumerate(items):
            for algorithm, lookup in item_lookups(item):
                for pk in found.get((algorithm, lookup), ()):
                    results[index].append(Match(pk, algorithm, 0))
    for position, pk, distance in sorted(near()):
        index = pdq_items[position][0]
        if all(m.indicator_id != pk for m in results[index]):
            results[index].append(Match(pk, "pdq", distance))
    return results


_EXACT_SQL = """
SELECT i.id, i.algorithm, i.lookup
FROM unnest(%s::text[], %s::text[]) AS w(algorithm, lookup)
JOIN {indicator} i ON i.algorithm = w.algorithm AND i.lookup = w.lookup
WHERE i.status = 'active'
"""


def _exact_rows(wanted: dict[str, set[str]]) -> list[tuple[int, str, str]]:
    """Active indicators equal to any wanted (algorithm, lookup): one indexed lookup each.

    On PostgreSQL the pairs travel as two arrays joined to the hash index on ``lookup`` (one
    bucket page per value whatever the list's size), which also keeps the planner from
    estimating every listed value against the table's statistics.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        pairs = [(a, v) for a, values in wanted.items() for v in values]
        with connection.cursor() as cursor:
            cursor.execute(
                _EXACT_SQL.format(indicator=Indicator._meta.db_table),
                [[a for a, _ in pairs], [v for _, v in pairs]],
            )
            return cursor.fetchall()
    condition = Q()
    for algorithm, lookups in wanted.items():
        condition |= Q(algorithm=algorithm, lookup__in=lookups)
    return list(
        Indicator.objects.filter(condition, status=Indicator.Status.ACTIVE).values_list(
            "pk", "algorithm", "lookup"
        )
    )


def _pdq_items(items: list) -> list[tuple[int, str]]:
    """(item position, PDQ hash) of the items that carry one."""
    pdq_items = [
        (index, (item.hashes if isinstance(item.hashes, dict) else item.hashes()).get("pdq"))
        for index, item in enumerate(items)
    ]
    return [(index, value.strip().lower()) for index, value in pdq_items if value]


def _near_pdq_start(values: list[str]) -> Callable[[], list[tuple[int, int, int]]]:
    """Start the near lookup of PDQ hashes; the returned function waits for its matches.

    The index is fetched (its freshness checked in the database) here, in the caller's thread,
    which owns the database connection. For many hashes the lookup itself, which needs neither
    the interpreter nor the database, runs in a thread of its own meanwhile.
    """
    if not values:
        return list
    index = pdq_index()
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
