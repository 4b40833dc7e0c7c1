"""Tests of the Axelrod-Bennett landscape theory of aggregation (``secorder.landscape``).

Energies and searches are checked against brute-force definitions written out pair by pair
and configuration by configuration with :func:`itertools.product`.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secorder import landscape
from secorder.landscape import (
    LandscapeResult,
    energies,
    energy,
    exhaustive_minimum,
    local_search,
    predicted_blocs,
    propensity_from_relations,
)
from tests.conftest import examples

# --------------------------------------------------------------------------------------------
# Brute-force references
# --------------------------------------------------------------------------------------------


def brute_energy(x, sizes, propensity) -> float:
    """E = sum over pairs i<j of s_i s_j p_ij [x_i != x_j], written out pair by pair."""
    n = len(sizes)
    total = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            if x[i] != x[j]:
                total += sizes[i] * sizes[j] * propensity[i, j]
    return total


def brute_min_flip_delta(x, sizes, propensity) -> float:
    """Smallest change in energy over all single switches, by recomputing the energy."""
    e0 = brute_energy(x, sizes, propensity)
    deltas = []
    for k in range(len(x)):
        y = list(x)
        y[k] = 1 - y[k]
        deltas.append(brute_energy(y, sizes, propensity) - e0)
    return min(deltas)


def scale(sizes, propensity) -> float:
    return max(1.0, float(np.abs(np.outer(sizes, sizes) * propensity).sum()))


def random_system(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    sizes = rng.uniform(0.5, 5.0, size=n)
    upper = np.triu(rng.normal(size=(n, n)), k=1)
    return sizes, upper + upper.T


@st.composite
def systems(draw, min_n: int = 2, max_n: int = 8):
    """Random sizes and symmetric propensities with N in [min_n, max_n]."""
    n = draw(st.integers(min_n, max_n))
    finite = {"allow_nan": False, "allow_infinity": False, "allow_subnormal": False}
    sizes = np.array(draw(st.lists(st.floats(0.1, 10.0, **finite), min_size=n, max_size=n)))
    values = draw(
        st.lists(st.floats(-1.0, 1.0, **finite), min_size=n * (n - 1) // 2,
                 max_size=n * (n - 1) // 2)
    )
    p = np.zeros((n, n))
    p[np.triu_indices(n, k=1)] = values
    return sizes, p + p.T


# --------------------------------------------------------------------------------------------
# Energies
# --------------------------------------------------------------------------------------------


@settings(max_examples=examples(120), deadline=None)
@given(systems(), st.integers(0, 2**32 - 1))
def test_energies_match_pairwise_sum(system, seed):
    sizes, p = system
    n = sizes.size
    x = np.random.default_rng(seed).integers(0, 2, size=(16, n))
    got = energies(x, sizes, p)
    want = np.array([brute_energy(row, sizes, p) for row in x])
    assert got.shape == (16,)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10 * scale(sizes, p))
    assert energy(x[0], sizes, p) == pytest.approx(want[0], rel=1e-10, abs=1e-9)


def test_energy_accepts_bool_and_is_label_symmetric():
    sizes, p = random_system(np.random.default_rng(1), 6)
    x = np.array([True, False, True, True, False, False])
    e = energy(x, sizes, p)
    assert e == pytest.approx(brute_energy(x.astype(int), sizes, p))
    assert energy(~x, sizes, p) == pytest.approx(e)
    assert energy(np.zeros(6, dtype=int), sizes, p) == 0.0


def test_energies_ignore_diagonal():
    sizes, p = random_system(np.random.default_rng(2), 5)
    q = p.copy()
    np.fill_diagonal(q, 7.0)
    x = np.random.default_rng(3).integers(0, 2, size=(8, 5))
    np.testing.assert_allclose(energies(x, sizes, q), energies(x, sizes, p))


# --------------------------------------------------------------------------------------------
# Exhaustive search
# --------------------------------------------------------------------------------------------


@settings(max_examples=examples(80), deadline=None)
@given(systems())
def test_exhaustive_finds_global_minimum_and_true_local_minima(system):
    sizes, p = system
    n = sizes.size
    tol = 1e-10 * scale(sizes, p)
    configs = list(itertools.product((0, 1), repeat=n))
    brute = {c: brute_energy(c, sizes, p) for c in configs}
    best = min(brute.values())

    res = exhaustive_minimum(sizes, p)
    assert res.method == "exhaustive"
    assert res.assignment[0] == 0
    assert res.energy == pytest.approx(best, abs=tol)
    assert brute[tuple(int(v) for v in res.assignment)] == pytest.approx(best, abs=tol)
    assert res.local_minima[0] == (tuple(int(v) for v in res.assignment), res.energy)

    reported = {a for a, _ in res.local_minima}
    assert len(reported) == len(res.local_minima)
    found_energies = [e for _, e in res.local_minima]
    assert found_energies == sorted(found_energies)
    for a, e in res.local_minima:
        assert a[0] == 0
        assert e == pytest.approx(brute[a], abs=tol)
        assert brute_min_flip_delta(a, sizes, p) >= -2 * tol  # truly stable
    # ... and complete: every clearly stable configuration is reported.
    for c in configs:
        if c[0] == 0 and brute_min_flip_delta(c, sizes, p) >= tol:
            assert c in reported


def test_exhaustive_is_the_same_across_chunk_boundaries(monkeypatch):
    """Many small chunks (high bits varying) give the same answer as one chunk."""
    sizes, p = random_system(np.random.default_rng(4), 9)
    one_chunk = exhaustive_minimum(sizes, p)
    monkeypatch.setattr(landscape, "CHUNK_BITS", 2)
    many_chunks = exhaustive_minimum(sizes, p)
    assert [a for a, _ in many_chunks.local_minima] == [a for a, _ in one_chunk.local_minima]
    np.testing.assert_allclose(
        [e for _, e in many_chunks.local_minima], [e for _, e in one_chunk.local_minima]
    )
    configs = itertools.product((0, 1), repeat=9)
    best = min(brute_energy(c, sizes, p) for c in configs)
    assert many_chunks.energy == pytest.approx(best)


def test_two_groups_are_recovered():
    """Intra-group propensity +1, inter-group -1, equal sizes: the split is the two groups."""
    group = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    p = np.where(group[:, None] == group[None, :], 1.0, -1.0)
    np.fill_diagonal(p, 0.0)
    sizes = np.ones(8)
    res = exhaustive_minimum(sizes, p)
    np.testing.assert_array_equal(res.assignment, group)
    assert res.energy == pytest.approx(-16.0)
    assert res.blocs() == ((0, 1, 2, 3), (4, 5, 6, 7))


def test_swing_actor_joins_the_group_it_prefers():
    group = np.array([0, 0, 0, 1, 1, 1])
    p = np.where(group[:, None] == group[None, :], 1.0, -1.0)
    swing = 6
    p = np.pad(p, ((0, 1), (0, 1)))
    p[swing, :3] = p[:3, swing] = 0.2  # mild pull towards group A
    p[swing, 3:6] = p[3:6, swing] = 0.8  # stronger pull towards group B
    np.fill_diagonal(p, 0.0)
    res = predicted_blocs(np.ones(7), p, names=["a1", "a2", "a3", "b1", "b2", "b3", "swing"])
    assert res.blocs() == (("a1", "a2", "a3"), ("b1", "b2", "b3", "swing"))


def test_europe_1936_illustration_splits_axis_from_western_powers():
    """A hand-made ten-actor Europe of 1936, loosely after Axelrod & Bennett's example.

    The sizes and propensities are hand-made illustrations built from the simple rules
    below, not the paper's data:

    * ideology: same regime type +1, fascist-communist -2, fascist-democratic -1, else 0;
    * territorial dispute: -2;
    * shared enemy: +1 for every third actor both dispute territory with;
    * treaty in force in 1936 (Franco-Soviet and Czech-Soviet pacts, Franco-Czech and
      Franco-Polish alliances, the Little Entente, the Polish-Romanian alliance, the Rome
      Protocols, the Anglo-French understanding): +1.

    Sizes are rough relative weights. The prediction must put Germany and Italy together and
    Britain and France together on the other side.
    """
    names = ["Britain", "France", "USSR", "Czechoslovakia", "Yugoslavia", "Romania",
             "Germany", "Italy", "Poland", "Hungary"]
    sizes = np.array([10.0, 8.0, 9.0, 2.0, 1.5, 1.5, 11.0, 4.0, 3.0, 1.0])
    regime = {"Britain": "democratic", "France": "democratic", "Czechoslovakia": "democratic",
              "USSR": "communist", "Germany": "fascist", "Italy": "fascist",
              "Hungary": "authoritarian", "Poland": "authoritarian",
              "Romania": "authoritarian", "Yugoslavia": "authoritarian"}
    disputes = [("Germany", "Czechoslovakia"), ("Germany", "Poland"), ("Germany", "France"),
                ("Hungary", "Czechoslovakia"), ("Hungary", "Romania"),
                ("Hungary", "Yugoslavia"), ("Italy", "Yugoslavia"), ("Italy", "France"),
                ("USSR", "Poland"), ("USSR", "Romania")]
    treaties = [("France", "USSR"), ("Czechoslovakia", "USSR"), ("France", "Czechoslovakia"),
                ("France", "Poland"), ("Czechoslovakia", "Yugoslavia"),
                ("Czechoslovakia", "Romania"), ("Yugoslavia", "Romania"),
                ("Poland", "Romania"), ("Italy", "Hungary"), ("Britain", "France")]
    idx = {name: i for i, name in enumerate(names)}
    n = len(names)
    dispute = np.zeros((n, n))
    treaty = np.zeros((n, n))
    for pairs, m in ((disputes, dispute), (treaties, treaty)):
        for a, b in pairs:
            m[idx[a], idx[b]] = m[idx[b], idx[a]] = 1.0

    def ideology(a: str, b: str) -> float:
        kinds = {regime[a], regime[b]}
        if len(kinds) == 1:
            return 1.0
        if kinds == {"fascist", "communist"}:
            return -2.0
        if kinds == {"fascist", "democratic"}:
            return -1.0
        return 0.0

    ideo = np.array([[ideology(a, b) for b in names] for a in names])
    p = ideo - 2.0 * dispute + dispute @ dispute + treaty
    np.fill_diagonal(p, 0.0)

    res = predicted_blocs(sizes, p, names=names)
    side = dict(zip(names, res.assignment.tolist(), strict=True))
    assert side["Germany"] == side["Italy"]
    assert side["Britain"] == side["France"]
    assert side["Britain"] != side["Germany"]
    assert any("Germany" in bloc and "Italy" in bloc for bloc in res.blocs())


def test_single_actor():
    res = exhaustive_minimum([2.0], [[0.0]])
    np.testing.assert_array_equal(res.assignment, [0])
    assert res.energy == 0.0
    assert res.blocs() == ((0,), ())


# --------------------------------------------------------------------------------------------
# Local search and the dispatcher
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("system_seed", range(5))
def test_local_search_reproduces_exhaustive_optimum(system_seed):
    sizes, p = random_system(np.random.default_rng(100 + system_seed), 12)
    exact = exhaustive_minimum(sizes, p)
    found = local_search(sizes, p, np.random.default_rng(7), restarts=50)
    assert found.method == "local-search"
    assert found.energy == pytest.approx(exact.energy)
    np.testing.assert_array_equal(found.assignment, exact.assignment)
    exact_minima = {a for a, _ in exact.local_minima}
    for a, e in found.local_minima:
        assert a in exact_minima
        assert e == pytest.approx(energy(np.array(a), sizes, p))


def test_local_search_is_deterministic_for_a_seed():
    sizes, p = random_system(np.random.default_rng(11), 30)
    a = local_search(sizes, p, np.random.default_rng(123), restarts=20)
    b = local_search(sizes, p, np.random.default_rng(123), restarts=20)
    assert a == b
    assert a.local_minima == b.local_minima
    np.testing.assert_array_equal(a.assignment, b.assignment)
    assert a.assignment[0] == 0
    for x, _ in a.local_minima:
        assert brute_min_flip_delta(x, sizes, p) >= -1e-9 * scale(sizes, p)


def test_predicted_blocs_dispatch():
    sizes, p = random_system(np.random.default_rng(5), 9)
    small = predicted_blocs(sizes, p)
    assert small.method == "exhaustive"
    large = predicted_blocs(sizes, p, rng=np.random.default_rng(0), exhaustive_up_to=8)
    assert large.method == "local-search"
    assert large.energy == pytest.approx(small.energy)
    with pytest.raises(ValueError, match="rng"):
        predicted_blocs(sizes, p, exhaustive_up_to=8)


def test_result_is_frozen_and_serialisable():
    sizes, p = random_system(np.random.default_rng(6), 5)
    res = predicted_blocs(sizes, p, names=list("ABCDE"))
    assert isinstance(res, LandscapeResult)
    with pytest.raises(AttributeError):
        res.energy = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        res.assignment[0] = 1
    d = res.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["names"] == list("ABCDE")
    assert d["method"] == "exhaustive"
    zero, one = res.blocs()
    assert sorted(zero + one) == list("ABCDE")
    assert "A" in zero
    assert d["local_minima"][0]["energy"] == res.energy


# --------------------------------------------------------------------------------------------
# Propensities from model variables
# --------------------------------------------------------------------------------------------


def test_propensity_from_relations_formula():
    rng = np.random.default_rng(8)
    n = 5
    trust = rng.uniform(size=(n, n))
    belief = rng.uniform(size=(n, n))
    threat = rng.uniform(size=(n, 3))
    shared = threat @ threat.T
    w = {"trust": 2.0, "belief": 0.5, "threat": 1.5}
    p = propensity_from_relations(trust, belief, shared, weights=w)
    assert p.shape == (n, n)
    np.testing.assert_allclose(p, p.T)
    np.testing.assert_array_equal(np.diag(p), 0.0)
    i, j = 1, 3
    want = (2.0 * ((trust[i, j] + trust[j, i]) / 2 - 0.5)
            - 0.5 * ((belief[i, j] + belief[j, i]) / 2 - 0.5)
            + 1.5 * shared[i, j])
    assert p[i, j] == pytest.approx(want)
    # Defaults: all weights 1, no shared threat.
    q = propensity_from_relations(trust, belief)
    assert q[i, j] == pytest.approx((trust[i, j] + trust[j, i]) / 2
                                    - (belief[i, j] + belief[j, i]) / 2)
    # Usable as the input of the search.
    assert predicted_blocs(np.ones(n), p).assignment.shape == (n,)


def test_trust_and_belief_drive_alignment():
    """Two mutually trusting, mutually unsuspicious pairs that distrust each other split."""
    trust = np.array([[1.0, 0.9, 0.1, 0.1],
                      [0.9, 1.0, 0.1, 0.1],
                      [0.1, 0.1, 1.0, 0.9],
                      [0.1, 0.1, 0.9, 1.0]])
    belief = 1.0 - trust
    p = propensity_from_relations(trust, belief)
    res = predicted_blocs(np.ones(4), p)
    np.testing.assert_array_equal(res.assignment, [0, 0, 1, 1])


# --------------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------------


def test_validation_errors():
    sizes = np.ones(3)
    p = np.zeros((3, 3))
    asym = p.copy()
    asym[0, 1] = 1.0
    with pytest.raises(ValueError, match="propensity.*symmetric"):
        energies(np.zeros((1, 3)), sizes, asym)
    with pytest.raises(ValueError, match="propensity"):
        exhaustive_minimum(sizes, np.zeros((3, 2)))
    with pytest.raises(ValueError, match="propensity"):
        exhaustive_minimum(sizes, np.full((3, 3), np.nan))
    with pytest.raises(ValueError, match="sizes"):
        exhaustive_minimum(np.ones(4), p)
    with pytest.raises(ValueError, match="sizes"):
        exhaustive_minimum(np.array([1.0, 0.0, 2.0]), p)
    with pytest.raises(ValueError, match="sizes"):
        exhaustive_minimum(np.array([1.0, -1.0, 2.0]), p)
    with pytest.raises(ValueError, match="assignments"):
        energies(np.array([[0, 2, 1]]), sizes, p)
    with pytest.raises(ValueError, match="assignments"):
        energies(np.zeros((2, 4), dtype=int), sizes, p)
    with pytest.raises(ValueError, match="assignment"):
        energy(np.zeros((2, 3), dtype=int), sizes, p)
    with pytest.raises(ValueError, match="max_states"):
        exhaustive_minimum(np.ones(25), np.zeros((25, 25)))
    with pytest.raises(ValueError, match="restarts"):
        local_search(sizes, p, np.random.default_rng(0), restarts=0)
    with pytest.raises(ValueError, match="rng"):
        local_search(sizes, p, 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="names"):
        predicted_blocs(sizes, p, names=["a", "b"])
    # Asymmetry within the tolerance is accepted.
    tiny = p.copy()
    tiny[0, 1] = 1e-12
    assert exhaustive_minimum(sizes, tiny).energy == pytest.approx(0.0)


def test_propensity_from_relations_validation():
    t = np.full((3, 3), 0.5)
    b = np.full((3, 3), 0.5)
    with pytest.raises(ValueError, match="trust"):
        propensity_from_relations(np.full((3, 2), 0.5), b)
    with pytest.raises(ValueError, match="trust"):
        propensity_from_relations(np.full((3, 3), 1.5), b)
    with pytest.raises(ValueError, match="belief"):
        propensity_from_relations(t, np.full((4, 4), 0.5))
    with pytest.raises(ValueError, match="belief"):
        propensity_from_relations(t, np.full((3, 3), -0.1))
    with pytest.raises(ValueError, match="shared_threat"):
        propensity_from_relations(t, b, shared_threat=np.ones((2, 2)))
    with pytest.raises(ValueError, match="shared_threat"):
        propensity_from_relations(t, b, shared_threat=-np.ones((3, 3)))
    with pytest.raises(ValueError, match="weights"):
        propensity_from_relations(t, b, weights={"trsut": 1.0})
    with pytest.raises(ValueError, match="weights"):
        propensity_from_relations(t, b, weights={"trust": -1.0})
    with pytest.raises(ValueError, match="weights"):
        propensity_from_relations(t, b, weights={"belief": float("nan")})
    # Neutral relations give zero propensity.
    np.testing.assert_array_equal(propensity_from_relations(t, b), np.zeros((3, 3)))


# ------------------------------------------------------------------------------ degenerate splits
def test_explain_split_names_why_there_is_no_split_or_no_frustration():
    from secorder.landscape import explain_split

    friends = np.array([[0.0, 0.5, 0.2], [0.5, 0.0, 0.1], [0.2, 0.1, 0.0]])
    res = exhaustive_minimum([1, 1, 1], friends)
    assert res.blocs()[1] == ()
    assert "no pair is hostile" in explain_split(res, friends)
    outweighed = np.array([[0.0, 0.9, 0.9], [0.9, 0.0, -0.1], [0.9, -0.1, 0.0]])
    res = exhaustive_minimum([1, 1, 1], outweighed)
    assert res.blocs()[1] == () and "1 pair(s), the strongest 1-2 at -0.1" in explain_split(res, outweighed)
    indifferent = np.array([[0.0, 0.5, 0.0, 0.0], [0.5, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.5], [0.0, 0.0, 0.5, 0.0]])
    res = exhaustive_minimum([1] * 4, indifferent)
    assert explain_split(res, indifferent).endswith("no pair is hostile: every propensity is >= 0); "
                                                   "1 other stable split(s) are as good")
    split = landscape.LandscapeResult([0, 0, 1, 1], 0.0, (((0, 0, 1, 1), 0.0), ((0, 0, 0, 0), 0.0)), "exhaustive")
    assert explain_split(split, indifferent).startswith("the split costs and saves nothing (energy 0")
    rivals = np.array([[0.0, -0.5], [-0.5, 0.0]])
    assert explain_split(exhaustive_minimum([1, 1], rivals), rivals) is None


def test_blocs_command_explains_a_single_bloc(tmp_path):
    from pathlib import Path

    from tests.cli_invoke import secorder

    case = Path(__file__).resolve().parent / "fixtures" / "orders" / "western-europe-1957.yaml"
    r = secorder("blocs", case)
    assert r.returncode == 0, r.stderr
    assert "bloc 2: (none)" in r.stdout
    assert "note: one bloc of all 7 states: the theory predicts no split (no pair is hostile" in r.stdout
