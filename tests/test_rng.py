"""Named counter-based random streams (secorder.rng): Philox4x32-10 and the draws built on it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from secorder.engine import simulate_chunk
from secorder.mechanisms import REGISTRY
from secorder.params import Params
from secorder.rng import Draws, Streams, philox4x32, to_uniform

MASK = 0xFFFFFFFF
# Random123's published known-answer vectors for Philox4x32-10 (counter, key, output).
KNOWN_ANSWERS = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((MASK, MASK, MASK, MASK), (MASK, MASK), (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


def philox_reference(counter, key, rounds=10):
    """Philox4x32 written out on Python integers, one block at a time (Salmon et al. 2011)."""
    c, k = list(counter), list(key)
    for n in range(rounds):
        if n:
            k = [(k[0] + 0x9E3779B9) & MASK, (k[1] + 0xBB67AE85) & MASK]
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k[0], p1 & MASK, (p0 >> 32) ^ c[3] ^ k[1], p0 & MASK]
    return tuple(c)


@pytest.mark.parametrize(("counter", "key", "expected"), KNOWN_ANSWERS)
def test_philox_known_answers(counter, key, expected):
    assert tuple(int(w) for w in philox4x32(counter, key)) == expected
    assert philox_reference(counter, key) == expected


def test_vectorised_philox_equals_the_reference_block_by_block():
    rng = np.random.default_rng(7)
    counters = rng.integers(0, 2**32, size=(4, 50), dtype=np.uint64)
    keys = rng.integers(0, 2**32, size=(2, 50), dtype=np.uint64)
    out = np.stack(philox4x32(tuple(counters), tuple(keys)))
    for b in range(50):
        ref = philox_reference(tuple(int(c) for c in counters[:, b]), tuple(int(k) for k in keys[:, b]))
        assert tuple(int(w) for w in out[:, b]) == ref


def test_uniforms_lie_strictly_inside_the_unit_interval():
    u = to_uniform(np.array([0, 1, MASK], dtype=np.uint32))
    assert u[0] > 0.0 and u[-1] < 1.0 and u[0] < u[1]
    big = Streams(3, np.arange(200), 10).dense(0, 12345, 1000)
    assert 0.0 < big.min() and big.max() < 1.0
    assert abs(big.mean() - 0.5) < 0.002 and abs(big.var() - 1 / 12) < 0.001
    # neighbouring runs, elements and years are uncorrelated
    assert abs(np.corrcoef(big[:-1].ravel(), big[1:].ravel())[0, 1]) < 0.01
    assert abs(np.corrcoef(big[:, :-1].ravel(), big[:, 1:].ravel())[0, 1]) < 0.01


def test_a_run_draws_the_same_alone_in_any_batch():
    alone = Streams(11, [7], 6).dense(4, 99, 36)
    batch = Streams(11, np.arange(20), 6).dense(4, 99, 36)
    shuffled = Streams(11, [30, 7, 2], 6).dense(4, 99, 36)
    np.testing.assert_array_equal(alone[0], batch[7])
    np.testing.assert_array_equal(alone[0], shuffled[1])


def test_seed_year_stream_and_institution_each_change_the_numbers():
    base = Streams(1, [0, 1], 5, ["a"]).dense(2, 10, 25)
    for other in (Streams(2, [0, 1], 5, ["a"]).dense(2, 10, 25), Streams(1, [0, 1], 5, ["a"]).dense(3, 10, 25),
                  Streams(1, [0, 1], 5, ["a"]).dense(2, 11, 25), Streams(1, [0, 1], 5, ["a"]).dense(2, 10, 25, 1)):
        assert not np.any(other == base)
    big_seed = Streams(2**100 + 5, [0], 5).dense(0, 10, 25)
    assert not np.array_equal(big_seed, Streams(5, [0], 5).dense(0, 10, 25))


def test_sparse_draws_equal_the_dense_array_at_those_places():
    kinds = {"noise": "dyad", "hit": "state", "level": "run"}
    draws = Streams(4, np.arange(6), 5).draws("beliefs", kinds, 2)
    fresh = Streams(4, np.arange(6), 5).draws("beliefs", kinds, 2)
    r, i, j = np.array([0, 5, 3, 3]), np.array([1, 4, 0, 2]), np.array([2, 0, 4, 2])
    at = fresh.at("noise", r, i, j)
    assert "noise" not in fresh._full  # nothing else was drawn
    np.testing.assert_array_equal(at, draws["noise"][r, i, j])
    np.testing.assert_array_equal(fresh.at("hit", r, i), draws["hit"][r, i])
    np.testing.assert_array_equal(fresh.at("level", r), draws["level"][r])
    np.testing.assert_array_equal(draws.at("noise", r, i, j), at)  # from the kept array too
    assert draws["noise"].shape == (6, 5, 5) and draws["hit"].shape == (6, 5) and draws["level"].shape == (6,)
    with pytest.raises(KeyError, match="declares no draw"):
        draws["other"]


def test_institution_draws_are_keyed_by_the_institution_id():
    kinds = {"form": "institution", "accede": "membership"}
    one = Streams(9, [0, 1, 2], 4, ["asean", "arf"]).draws("institutions", kinds, 0)
    two = Streams(9, [0, 1, 2], 4, ["arf", "new", "asean"]).draws("institutions", kinds, 0)
    assert one["accede"].shape == (3, 2, 4) and one["form"].shape == (3, 2)
    np.testing.assert_array_equal(one["accede"][:, 0], two["accede"][:, 2])
    np.testing.assert_array_equal(one.institution("accede", 1), two.institution("accede", 0))
    np.testing.assert_array_equal(one.institution("form", 0), two["form"][:, 2])


def test_draws_of_two_mechanisms_are_independent_streams():
    s = Streams(0, np.arange(3), 4)
    a = s.draws("prevention", {"u": "dyad"}, 1)["u"]
    b = s.draws("concert", {"u": "dyad"}, 1)["u"]
    assert not np.any(a == b)
    assert isinstance(s.draws("x", {}, 0), Draws)


def test_adding_a_draw_to_one_mechanism_changes_no_other_numbers(small_scenario):
    """A new named draw in the first mechanism of the year leaves every result as it was."""
    extended = tuple(
        dataclasses.replace(m, draws={**m.draws, "extra": "dyad"}) if m.name == "shocks" else m for m in REGISTRY)
    runs = np.arange(6)
    a = simulate_chunk(small_scenario, Params(), 6, 3, runs, True, REGISTRY)
    b = simulate_chunk(small_scenario, Params(), 6, 3, runs, True, extended)
    for key, value in a.system.items():
        np.testing.assert_array_equal(value, b.system[key], err_msg=key)
    for key, value in a.states.items():
        np.testing.assert_array_equal(value, b.states[key], err_msg=key)
