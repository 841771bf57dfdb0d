"""The in-process index of active PDQ indicators, for near-duplicate matching at intake.

Multi-index hashing: the 256-bit hash is cut into 16 bands of 16 bits. Two hashes within
Hamming distance 31 agree, in at least one band, up to one bit (16 bands, at most 31 differing
bits: some band holds at most one). For each band the index keeps the indicators ordered by the
band's value with an offsets table (65,537 entries), so a lookup reads 16 x 17 buckets and
checks each candidate's full distance in a compiled loop that asks for the memory it will read
a few steps ahead. Open-source hash matchers likewise
keep a built index per signal type in memory; in PostgreSQL each of those probes costs a B-tree
descent.

Memory: 104 bytes per active PDQ indicator plus 4 MB of offsets (about 104 MB at a million).

Freshness: one database row carries a token that every change to the set of active PDQ
indicators replaces, in the changing transaction (``pdq_index_changed``). Each match call reads
the token (in the same statement as its exact lookups, ``reports.matching``) and keeps what the
held index found only if the index carries that token; else it rebuilds the index and looks
again.
Tokens are random, never counters, so a rolled-back change can never be mistaken for the state
that follows it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

BANDS = 16
BAND_VALUES = 1 << 16
THRESHOLD = 31
PROBES = BANDS * 17  # each band's value and its 16 one-bit neighbours
AHEAD = 16  # how many buckets or candidates ahead the lookup asks for memory


def compiled(fn):  # noqa: ANN001, ANN201
    """``fn`` compiled, with its machine code cached on disk where there is a writable place.

    With none (a read-only installation and no writable home), it compiles on first use in
    each process instead of failing at import.
    """
    try:
        return njit(cache=True, nogil=True)(fn)
    except RuntimeError:
        return njit(nogil=True)(fn)


@compiled
def _popcount(x):  # noqa: ANN001, ANN202
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@intrinsic
def _prefetch(typingctx, array, index):  # noqa: ANN001, ANN202
    """Start loading ``array[index]`` (the row's first element) into the cache; no effect else.

    The lookup's cost is memory latency: the buckets and the candidates' hashes lie at random
    places in tens of megabytes. Asking for the ones a few steps ahead overlaps those waits.
    """
    signature = types.void(array, index)

    def codegen(context, builder, sig, args):  # noqa: ANN001, ANN202
        array_type = sig.args[0]
        data = context.make_array(array_type)(context, builder, args[0])
        row = context.cast(builder, args[1], sig.args[1], types.intp)
        zero = context.get_constant(types.intp, 0)
        pointer = cgutils.get_item_pointer(
            context, builder, array_type, data, [row] + [zero] * (array_type.ndim - 1)
        )
        byte_pointer = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        function = cgutils.get_or_insert_function(
            builder.module,
            ir.FunctionType(ir.VoidType(), [byte_pointer, i32, i32, i32]),
            "llvm.prefetch.p0",
        )
        # read, keep in all cache levels, data cache
        builder.call(function, [builder.bitcast(pointer, byte_pointer), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return signature, codegen


@compiled
def _search(first_halves, second_halves, positions, offsets, queries, threshold):  # noqa: ANN001, ANN202
    """(query, position, distance) of the indicators within ``threshold`` of each query.

    For each query, in three passes with no branch between the memory reads of a pass, so that
    the processor can wait for many of them at once: the 16 x 17 buckets' bounds, then their
    indicators' positions, then each candidate's distance. The distance is first taken on the
    hashes' first halves: half the memory, so it stays in the cache more often, and a random
    candidate already differs there in more than 31 bits; only the few that do not read their
    second half. An indicator close to a query in several bands is reported once per such band;
    the caller keeps one of each.
    """
    starts = np.empty(PROBES, dtype=np.int64)
    ends = np.empty(PROBES, dtype=np.int64)
    candidates = np.empty(4096, dtype=np.int32)
    found_query = []
    found_position = []
    found_distance = []
    for q in range(queries.shape[0]):
        probe = 0
        for band in range(BANDS):
            word = queries[q, band // 4] >> np.uint64(48 - 16 * (band % 4))
            value = np.int64(word & np.uint64(0xFFFF))
            base = band * BAND_VALUES
            for flip in range(17):
                key = base + (value if flip == 0 else value ^ (1 << (flip - 1)))
                starts[probe] = offsets[key]
                ends[probe] = offsets[key + 1]
                probe += 1
        total = 0
        for probe in range(PROBES):
            total += ends[probe] - starts[probe]
        if total > candidates.shape[0]:
            candidates = np.empty(2 * total, dtype=np.int32)
        count = 0
        for probe in range(PROBES):
            if probe + AHEAD < PROBES:
                _prefetch(positions, starts[probe + AHEAD])
            for slot in range(starts[probe], ends[probe]):
                candidates[count] = positions[slot]
                count += 1
        q0 = queries[q, 0]
        q1 = queries[q, 1]
        q2 = queries[q, 2]
        q3 = queries[q, 3]
        for c in range(count):
            if c + AHEAD < count:
                _prefetch(first_halves, candidates[c + AHEAD])
            i = candidates[c]
            distance = _popcount(first_halves[i, 0] ^ q0) + _popcount(first_halves[i, 1] ^ q1)
            if distance > threshold:
                continue
            distance += _popcount(second_halves[i, 0] ^ q2) + _popcount(second_halves[i, 1] ^ q3)
            if distance <= threshold:
                found_query.append(q)
                found_position.append(i)
                found_distance.append(np.int64(distance))
    return found_query, found_position, found_distance


def hash_words(values: Sequence[str]) -> np.ndarray:
    """PDQ hex strings as an (n, 4) array of unsigned 64-bit words, most significant first."""
    if not values:
        return np.zeros((0, 4), dtype=np.uint64)
    raw = bytes.fromhex("".join(v.strip() for v in values))
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64).reshape(-1, 4)


@dataclass
class PdqIndex:
    token: str | None
    pks: np.ndarray  # indicator primary keys, by position
    first_halves: np.ndarray  # (n, 2) uint64: each hash's first two words
    second_halves: np.ndarray  # (n, 2) uint64: and its last two
    positions: np.ndarray  # (16 * n,) int32: positions ordered by band, then band value
    offsets: np.ndarray  # (16 * 65536 + 1,) int32: where each band value's run starts

    @classmethod
    def build(cls, pks: Sequence[int], values: Sequence[str], token: str | None) -> PdqIndex:
        hashes = hash_words(values)
        n = len(hashes)
        positions = np.empty(BANDS * n, dtype=np.int32)
        counts = np.empty(BANDS * BAND_VALUES, dtype=np.int64)
        for band in range(BANDS):
            shift = np.uint64(48 - 16 * (band % 4))
            band_values = ((hashes[:, band // 4] >> shift) & np.uint64(0xFFFF)).astype(np.uint16)
            # A stable sort of 16-bit keys is a radix sort: linear in the list's size.
            positions[band * n : (band + 1) * n] = np.argsort(band_values, kind="stable")
            counts[band * BAND_VALUES : (band + 1) * BAND_VALUES] = np.bincount(
                band_values, minlength=BAND_VALUES
            )
        if BANDS * n >= 2**31:
            raise ValueError(f"{n} PDQ indicators are more than one index holds.")
        offsets = np.zeros(BANDS * BAND_VALUES + 1, dtype=np.int32)
        # Each band's counts add up to n, so the running total over the bands in order points
        # into each band's own slice of ``positions``.
        np.cumsum(counts, out=offsets[1:])
        return cls(
            token=token,
            pks=np.asarray(pks, dtype=np.int64),
            first_halves=np.ascontiguousarray(hashes[:, :2]),
            second_halves=np.ascontiguousarray(hashes[:, 2:]),
            positions=positions,
            offsets=offsets,
        )

    def __len__(self) -> int:
        return len(self.pks)

    @property
    def nbytes(self) -> int:
        arrays = (self.pks, self.first_halves, self.second_halves, self.positions, self.offsets)
        return sum(array.nbytes for array in arrays)

    def search(
        self, values: Sequence[str], threshold: int = THRESHOLD
    ) -> list[tuple[int, int, int]]:
        """(query position, indicator pk, distance) of every match, for PDQ hex strings."""
        if not len(self) or not values:
            return []
        queries, found, distances = _search(
            self.first_halves,
            self.second_halves,
            self.positions,
            self.offsets,
            hash_words(values),
            threshold,
        )
        matches = {
            (int(q), int(self.pks[i])): int(d)
            for q, i, d in zip(queries, found, distances, strict=True)
        }
        return [(q, pk, d) for (q, pk), d in matches.items()]


_lock = threading.Lock()
_current: PdqIndex | None = None


def pdq_token() -> str | None:
    """The database's token of the set of active PDQ indicators."""
    from .models import PdqIndexVersion

    return PdqIndexVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def held_pdq_index() -> PdqIndex | None:
    """The index this process holds, if any, without asking whether it is still the list's."""
    return _current


def pdq_index() -> PdqIndex:
    """The index of the active PDQ indicators as the database has them now."""
    return pdq_index_for(pdq_token())


def pdq_index_for(token: str | None) -> PdqIndex:
    """The index labelled ``token``, a token just read from the database: the held one if it
    carries that label, else one built now.

    Built after the token was read, the new index holds that state or a later one; labelled
    with the older token, it is rebuilt at the next call that reads the newer one.
    """
    global _current
    index = _current
    if index is not None and index.token == token:
        return index
    with _lock:
        if _current is not None and _current.token == token:
            return _current
        from .models import Indicator

        rows = Indicator.objects.filter(
            algorithm=Indicator.Algorithm.PDQ, status=Indicator.Status.ACTIVE
        ).values_list("pk", "lookup")
        pks: list[int] = []
        values: list[str] = []
        for pk, value in rows.iterator(chunk_size=20_000):
            pks.append(pk)
            values.append(value)
        _current = PdqIndex.build(pks, values, token)
        return _current


def pdq_index_changed() -> None:
    """Record, in the current transaction, that the set of active PDQ indicators changed.

    The one path to a new token: the services that change indicators call it explicitly (the
    import, and the effect of every indicator status transition); no model signal does.
    """
    from django.utils import timezone

    from .models import PdqIndexVersion

    token = uuid.uuid4().hex
    if not PdqIndexVersion.objects.filter(pk=1).update(token=token, changed_at=timezone.now()):
        PdqIndexVersion.objects.update_or_create(pk=1, defaults={"token": token})
