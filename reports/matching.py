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
        condition = Q()
        for algorithm, lookups in wanted.items():
            condition |= Q(algorithm=algorithm, lookup__in=lookups)
        found: dict[tuple[str, str], list[int]] = defaultdict(list)
        for pk, algorithm, lookup in Indicator.objects.filter(
            condition, status=Indicator.Status.ACTIVE
        ).values_list("pk", "algorithm", "lookup"):
            found[(algorithm, lookup)].append(pk)
        for index, item in enumerate(items):
            for algorithm, lookup in item_lookups(item):
                for pk in found.get((algorithm, lookup), ()):
                    results[index].append(Match(pk, algorithm, 0))
    _near_pdq(items, results)
    return results


def _near_pdq(items: list, results: list[list[Match]]) -> None:
    pdq_items = [
        (index, (item.hashes if isinstance(item.hashes, dict) else item.hashes()).get("pdq"))
        for index, item in enumerate(items)
    ]
    pdq_items = [(index, value) for index, value in pdq_items if value]
    if not pdq_items:
        return
    codes: set[int] = set()
    for _, value in pdq_items:
        codes |= probe_codes(value)
    candidates: dict[int, int] = {}
    for _code, pk, lookup in _band_rows(sorted(codes)):
        candidates.setdefault(pk, pdq_int(lookup))
    if not candidates:
        return
    for index, value in pdq_items:
        number = pdq_int(value)
        exact = {m.indicator_id for m in results[index]}
        for pk, other in candidates.items():
            if pk in exact:
                continue
            distance = (number ^ other).bit_count()
            if distance <= PDQ_THRESHOLD:
                results[index].append(Match(pk, "pdq", distance))


def _band_rows(codes: list[int]) -> list[tuple[int, int, str]]:
    """Active PDQ indicators having any of ``codes``: one query, the codes as one array."""
    from django.db import connection

    band = PdqBand._meta.db_table
    indicator = Indicator._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT b.code, b.indicator_id, i.lookup FROM {band} b "  # noqa: S608
            f"JOIN {indicator} i ON i.id = b.indicator_id "
            "WHERE b.code = ANY(%s::integer[]) AND i.status = 'active'"
        )
        with connection.cursor() as cursor:
            # One text literal: much cheaper to send than an adapted list of 100k integers.
            cursor.execute(sql, ["{" + ",".join(map(str, codes)) + "}"])
            return cursor.fetchall()
    rows: list[tuple[int, int, str]] = []
    for start in range(0, len(codes), 900):  # SQLite's parameter limit
        rows += list(
            PdqBand.objects.filter(
                code__in=codes[start : start + 900], indicator__status=Indicator.Status.ACTIVE
            ).values_list("code", "indicator_id", "indicator__lookup")
        )
    return rows
