"""The in-memory PDQ index finds exactly what a full scan finds."""

import random

import pytest

from reports.pdq_index import THRESHOLD, PdqIndex, hash_words


def _random_hash(rng: random.Random) -> int:
    return rng.getrandbits(256)


def _hex(number: int) -> str:
    return format(number, "064x")


def _near(rng: random.Random, number: int, bits: int) -> int:
    for bit in rng.sample(range(256), bits):
        number ^= 1 << bit
    return number


def _scan(indicators: list[int], queries: list[int]) -> set[tuple[int, int, int]]:
    return {
        (q, pk, (value ^ query).bit_count())
        for q, query in enumerate(queries)
        for pk, value in enumerate(indicators, start=1000)
        if (value ^ query).bit_count() <= THRESHOLD
    }


def test_the_index_finds_what_a_full_scan_finds():
    rng = random.Random(7)
    indicators = [_random_hash(rng) for _ in range(3000)]
    queries = [_random_hash(rng) for _ in range(20)]
    queries += [_near(rng, rng.choice(indicators), rng.randint(0, 40)) for _ in range(200)]
    index = PdqIndex.build(
        list(range(1000, 1000 + len(indicators))), [_hex(i) for i in indicators], "t"
    )
    found = set(index.search([_hex(q) for q in queries]))
    assert found == _scan(indicators, queries)
    assert any(d > 25 for _, _, d in found)  # near matches, not only exact ones


def test_crowded_buckets_are_searched_whole():
    # 6,000 indicators share their first band, more candidates than one lookup first makes
    # room for: the lookup must grow, not stop at the room it had.
    rng = random.Random(11)
    indicators = [_random_hash(rng) >> 16 for _ in range(6000)]
    first_band_clear = (1 << 240) - 1
    queries = [
        _near(rng, rng.choice(indicators), rng.randint(0, 31)) & first_band_clear for _ in range(5)
    ]
    queries += [_random_hash(rng) >> 16 for _ in range(5)]
    index = PdqIndex.build(
        list(range(1000, 1000 + len(indicators))), [_hex(i) for i in indicators], "t"
    )
    found = set(index.search([_hex(q) for q in queries]))
    assert found == _scan(indicators, queries)
    assert len(found) >= 5


@pytest.mark.parametrize("bits", [31, 32])
def test_the_threshold_is_inclusive(bits):
    rng = random.Random(bits)
    base = _random_hash(rng)
    index = PdqIndex.build([1], [_hex(base)], "t")
    assert bool(index.search([_hex(_near(rng, base, bits))])) is (bits <= THRESHOLD)


def test_an_empty_index_matches_nothing():
    assert PdqIndex.build([], [], "t").search([_hex(1)]) == []


def test_hash_words_reads_the_most_significant_word_first():
    words = hash_words(["ff" + "00" * 31])
    assert words.tolist() == [[0xFF << 56, 0, 0, 0]]


def test_without_a_writable_cache_the_lookup_still_compiles(monkeypatch):
    from reports import pdq_index

    real = pdq_index.njit

    def njit(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if kwargs.get("cache"):
            raise RuntimeError("cannot cache function: no locator available")
        return real(*args, **kwargs)

    monkeypatch.setattr(pdq_index, "njit", njit)

    def double(x):  # noqa: ANN001, ANN202
        return 2 * x

    assert pdq_index.compiled(double)(21) == 42
