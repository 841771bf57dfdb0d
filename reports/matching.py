"""Matching reported items against active indicators: indexed exact lookups, PDQ near matches.

Exact algorithms (md5, sha1, sha256, PhotoDNA, URL) are one indexed ``IN`` lookup per batch.
PDQ uses multi-index hashing: the 256-bit hash is cut into 16 bands of 16 bits; two hashes
within Hamming distance 31 agree, in at least one band, up to one bit (16 bands, at most 31
differing bits: some band holds at most one). A lookup probes 16 x 17 band codes through one
index and checks the candidates exactly, so the cost follows the candidates, not the list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from .models import Indicator, PdqBand

PDQ_THRESHOLD = 31
BANDS = 16
EXACT = ("md5", "sha1", "sha256", "photodna", "url")


@dataclass(frozen=True)
class Match:
    indicator_id: int
    algorithm: str
    distance: int = 0


def pdq_int(value: str) -> int:
    return int(value, 16)


def band_codes(value: str) -> list[int]:
    number = pdq_int(value)
    return [
        (band << 16) | ((number >> (16 * (BANDS - 1 - band))) & 0xFFFF) for band in range(BANDS)
    ]


def words(value: str) -> tuple[int, int, int, int]:
    """The hash as four signed 64-bit words (PostgreSQL bigint)."""
    number = pdq_int(value)
    out = []
    for shift in (192, 128, 64, 0):
        word = (number >> shift) & 0xFFFFFFFFFFFFFFFF
        out.append(word - (1 << 64) if word >= 1 << 63 else word)
    return tuple(out)  # type: ignore[return-value]


def bands_for(indicator_id: int, value: str) -> list:
    from .models import PdqBand

    h0, h1, h2, h3 = words(value)
    return [
        PdqBand(indicator_id=indicator_id, code=code, h0=h0, h1=h1, h2=h2, h3=h3)
        for code in band_codes(value)
    ]


def probe_codes(value: str) -> set[int]:
    codes = set()
    for code in band_codes(value):
        codes.add(code)
        for bit in range(16):
            codes.add(code ^ (1 << bit))
    return codes


def indicator_lookup(algorithm: str, value: str) -> str:
    """The indexed lookup key of a value: the value, or the SHA-256 of long ones."""
    from .intake import photodna_sha256, url_sha256

    if algorithm == "url":
        return url_sha256(value)
    if algorithm == "photodna":
        return photodna_sha256(value)
    return value.strip().lower()


def item_lookups(item) -> list[tuple[str, str]]:  # noqa: ANN001
    """(algorithm, lookup) pairs of a reported item (model or clean item)."""
    hashes = item.hashes if isinstance(item.hashes, dict) else item.hashes()
    pairs = []
    for algorithm in ("md5", "sha1", "sha256", "pdq"):
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
    _near_pdq(items, results)
    return results


_EXACT_SQL = """
SELECT i.id, i.algorithm, i.lookup
FROM unnest(%s::text[], %s::text[]) AS w(algorithm, lookup)
JOIN {indicator} i ON i.algorithm = w.algorithm AND i.lookup = w.lookup
WHERE i.status = 'active'
"""


def _exact_rows(wanted: dict[str, set[str]]) -> list[tuple[int, str, str]]:
    """Active indicators equal to any wanted (algorithm, lookup): one indexed lookup each.

    On PostgreSQL the pairs travel as two arrays joined to the partial index, which keeps the
    planner from estimating every listed value against the table's statistics.
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


def _near_pdq(items: list, results: list[list[Match]]) -> None:
    pdq_items = [
        (index, (item.hashes if isinstance(item.hashes, dict) else item.hashes()).get("pdq"))
        for index, item in enumerate(items)
    ]
    pdq_items = [(index, value) for index, value in pdq_items if value]
    if not pdq_items:
        return
    from django.db import connection

    found = _near_pg(pdq_items) if connection.vendor == "postgresql" else _near_python(pdq_items)
    for index, pk, distance in found:
        if all(m.indicator_id != pk for m in results[index]):
            results[index].append(Match(pk, "pdq", distance))


_NEAR_SQL = """
WITH p(item, code) AS (SELECT * FROM unnest(%(items)s::int[], %(codes)s::int[])),
d AS (
    SELECT p.item, b.indicator_id,
           bit_count((b.h0 # (%(h0)s::bigint[])[p.item])::bit(64))
           + bit_count((b.h1 # (%(h1)s::bigint[])[p.item])::bit(64))
           + bit_count((b.h2 # (%(h2)s::bigint[])[p.item])::bit(64))
           + bit_count((b.h3 # (%(h3)s::bigint[])[p.item])::bit(64)) AS distance
    FROM p JOIN {band} b ON b.code = p.code
)
SELECT DISTINCT item, indicator_id, distance FROM d WHERE distance <= %(threshold)s
"""


def _array(values: Iterable[int]) -> str:
    return "{" + ",".join(map(str, values)) + "}"


def _near_pg(pdq_items: list[tuple[int, str]]) -> list[tuple[int, int, int]]:
    """Probe the band index and compute distances in PostgreSQL: only matches come back.

    Each probe carries the position (1-based) of its item in the hash-word arrays, so the
    only join is probe -> band index, done as index lookups whatever the band table's size.
    """
    from django.db import connection

    h: tuple[list[int], ...] = ([], [], [], [])
    p_items, p_codes = [], []
    for position, (_index, value) in enumerate(pdq_items, start=1):
        for k, word in enumerate(words(value)):
            h[k].append(word)
        for code in probe_codes(value):
            p_items.append(position)
            p_codes.append(code)
    params = {
        "items": _array(p_items),
        "codes": _array(p_codes),
        "threshold": PDQ_THRESHOLD,
        **{f"h{k}": _array(h[k]) for k in range(4)},
    }
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # For this transaction only: index lookups, never a scan of the band table.
        cursor.execute(
            "SELECT set_config('enable_hashjoin', 'off', true), "
            "set_config('enable_mergejoin', 'off', true), set_config('jit', 'off', true)"
        )
        cursor.execute(_NEAR_SQL.format(band=PdqBand._meta.db_table), params)
        rows = cursor.fetchall()
    return [(pdq_items[position - 1][0], pk, distance) for position, pk, distance in rows]


def _near_python(pdq_items: list[tuple[int, str]]) -> list[tuple[int, int, int]]:
    """The same search for SQLite (the quick start): candidates by band, distance in Python."""
    found = []
    for index, value in pdq_items:
        codes = sorted(probe_codes(value))
        number = pdq_int(value)
        seen: set[int] = set()
        for start in range(0, len(codes), 900):  # SQLite's parameter limit
            for pk, other in PdqBand.objects.filter(
                code__in=codes[start : start + 900]
            ).values_list("indicator_id", "indicator__lookup"):
                if pk in seen:
                    continue
                seen.add(pk)
                distance = (number ^ pdq_int(other)).bit_count()
                if distance <= PDQ_THRESHOLD:
                    found.append((index, pk, distance))
    return found
