"""Property tests over random small worlds: invariants of the yearly step, and run independence.

Worlds are the small scenario with random relations (trust, animosity, stakes, beliefs),
random missile defence and a random GDP scale, the same in every run; runs then differ by
their own random streams.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import secorder
from secorder.derived import shared_transparency
from secorder.engine import simulate_chunk
from secorder.mechanisms import REGISTRY, Mechanism, deterrence, onset
from secorder.params import Params
from secorder.world import OPEN, OUTCOME, World
from tests.conftest import examples

N = 6  # states in the small scenario
# Shrinking whole worlds takes minutes; a failure is reported with the example as generated.
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target)
PARAMS = Params()
SEEDS = st.integers(0, 2**32 - 1)
UNIT = st.floats(0.0, 1.0, allow_nan=False, allow_subnormal=False)
DYAD = hnp.arrays(np.float64, (N, N), elements=UNIT, fill=st.nothing())
# From the documented defaults to crisis-prone worlds where fights and wars are common.
HOT_PARAMS = st.builds(
    lambda intercept, war: PARAMS.replace(onset_intercept=intercept, war_given_fight=war),
    st.floats(PARAMS.onset_intercept, 6.0), st.floats(PARAMS.war_given_fight, 0.4),
)
COVERAGE = hnp.arrays(np.float64, (N,), elements=st.floats(0.0, 0.95, allow_subnormal=False),
                      fill=st.nothing())


@dataclass(frozen=True)
class Perturbation:
    """Hand-drawn relations and capabilities set in every run at the start of the first year.

    It enters the yearly loop as a first step that acts only in the start year, so batched,
    single-run and chunked simulations all start from the same perturbed world.
    """

    trust: np.ndarray
    animosity: np.ndarray
    stakes: np.ndarray
    belief: np.ndarray
    missile_defense: np.ndarray
    missile_defense_prev: np.ndarray
    gdp_scale: float

    def updates(self, world: World) -> dict[str, np.ndarray]:
        r = world.n_runs

        def rep(a: np.ndarray) -> np.ndarray:
            return np.broadcast_to(a, (r, *a.shape)).copy()

        return {
            "trust": rep(self.trust), "animosity": rep(self.animosity),
            "stakes": rep(self.stakes), "belief": rep(self.belief),
            "belief_anchor": rep(self.belief),
            "missile_defense": rep(self.missile_defense),
            "missile_defense_prev": rep(self.missile_defense_prev),
            "gdp": world.gdp * self.gdp_scale,
        }

    def step(self, start_year: int) -> Mechanism:
        def perturb(world: World, params: Params, draws: dict) -> dict:
            return self.updates(world) if world.year == start_year else {}

        return Mechanism(name="perturb", step="0", title="Perturbation", func=perturb,
                         reads=(), writes=("trust", "animosity", "stakes", "belief",
                                           "belief_anchor", "missile_defense",
                                           "missile_defense_prev", "gdp"))

    def loop(self, start_year: int, mechanisms=REGISTRY) -> tuple[Mechanism, ...]:
        """The yearly loop with this perturbation in front."""
        return (self.step(start_year), *mechanisms)


def _symmetric(a: np.ndarray) -> np.ndarray:
    return np.triu(a, 1) + np.triu(a, 1).T


@st.composite
def perturbations(draw) -> Perturbation:
    trust = _symmetric(draw(DYAD))
    np.fill_diagonal(trust, 1.0)
    stakes, belief = draw(DYAD), draw(DYAD)
    np.fill_diagonal(stakes, 0.0)
    np.fill_diagonal(belief, 0.0)
    return Perturbation(
        trust=trust, animosity=_symmetric(draw(DYAD)), stakes=stakes, belief=belief,
        missile_defense=draw(COVERAGE), missile_defense_prev=draw(COVERAGE),
        gdp_scale=draw(st.floats(0.2, 5.0)),
    )


def _in_unit(a: np.ndarray) -> bool:
    return bool(np.all((a >= 0.0) & (a <= 1.0)))


def _nonneg_finite(a: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(a)) and np.all(a >= 0.0))


def _check_hazard(world: World, params: Params) -> None:
    """Onset hazards are probabilities, zero on the diagonal."""
    h = onset.onset_hazard(world, params)
    assert _in_unit(h)
    assert np.all(h[:, np.arange(N), np.arange(N)] == 0.0)


def _check_bargaining(world: World, params: Params) -> None:
    """Win chances are probabilities; breakdown probabilities lie in [0, 1/2]."""
    p_win, cost = deterrence.war_value(world, params)
    assert _in_unit(p_win)
    c_bar = params.private_info_range * (
        1.0 - params.transparency_info_effect * shared_transparency(world))
    breakdown = deterrence.breakdown_probability(cost, np.maximum(c_bar, 1e-9))
    assert np.all((breakdown >= 0.0) & (breakdown <= 0.5))


def _check_state(world: World) -> None:
    """Bounded relations, non-negative finite stocks, consistent crises after a full year."""
    off = ~np.eye(N, dtype=bool)
    for name in ("trust", "belief", "animosity", "reliability", "norms", "depth", "cohesion"):
        assert _in_unit(getattr(world, name)), name
    assert _in_unit(world.threat)
    for name in ("gdp", "milex", "milex_prev", "mil_stock", "trade", "deaths", "ally_cost",
                 "peace_years", "race_years"):
        assert _nonneg_finite(getattr(world, name)), name
    assert np.all(world.gdp > 0)
    np.testing.assert_array_equal(world.trade, np.swapaxes(world.trade, 1, 2))
    np.testing.assert_array_equal(world.trust, np.swapaxes(world.trust, 1, 2))
    assert world.members.dtype == bool
    c = world.crisis
    assert not (c & np.swapaxes(c, 1, 2)).any() and not c[:, ~off].any()
    assert not (world.outcome == OPEN).any()  # every crisis was ended by some layer
    assert np.all((world.outcome > 0) == c)
    assert np.all(world.outcome[world.fight] >= OUTCOME["dispute"])
    assert not (world.joined & world.abandoned).any()
    assert np.all(world.deaths[~c] == 0)


class Observer:
    """Checks run between the mechanisms of the real yearly loop (they draw nothing and change
    nothing, so the engine's random streams are those of the plain registry)."""

    def __init__(self, params: Params = PARAMS) -> None:
        self.params = params
        self.members: np.ndarray | None = None
        self.years_seen: list[int] = []

    def between(self, before: Mechanism | None, after: Mechanism | None) -> Mechanism:
        def check(world: World, params: Params, draws: dict) -> dict:
            if before is not None and "members" not in before.writes:
                np.testing.assert_array_equal(world.members, self.members, err_msg=before.name)
            self.members = world.members
            if after is not None and after.name == "onset":
                _check_hazard(world, self.params)
            if after is not None and after.name == "deterrence":
                _check_bargaining(world, self.params)
            if after is None:
                _check_state(world)
                self.years_seen.append(world.year)
            return {}

        label = f"{before.name if before else 'start'}->{after.name if after else 'end'}"
        return Mechanism(name=f"observe:{label}", step="0", title="Observer", func=check,
                         reads=(), writes=())

    def loop(self) -> tuple[Mechanism, ...]:
        """The registry with an observer before, between and after its mechanisms."""
        active = [m for m in REGISTRY if m.active]
        out = [self.between(None, active[0])]
        for m, nxt in zip(active, [*active[1:], None], strict=True):
            out += [m, self.between(m, nxt)]
        return tuple(out)


@settings(max_examples=examples(50), deadline=None, phases=NO_SHRINK)
@given(runs=st.integers(1, 5), seed=SEEDS, pert=perturbations(), years=st.integers(1, 6),
       params=HOT_PARAMS)
def test_invariants_hold_year_after_year(small_scenario, runs, seed, pert, years, params):
    """Probabilities in [0,1] where they are used; trust and beliefs bounded; GDP, spending,
    stock and trade never negative and finite; membership changed by no mechanism that does not
    declare it; crises consistent at the end of each year."""
    obs = Observer(params)
    loop = pert.loop(small_scenario.year, obs.loop())
    simulate_chunk(small_scenario, params, years, seed, np.arange(runs), False, mechanisms=loop)
    start = small_scenario.year
    assert obs.years_seen == list(range(start + 1, start + years + 1))


def test_observers_do_not_change_the_simulation(small_scenario):
    """The observed loop gives exactly the results of the plain registry."""
    plain = simulate_chunk(small_scenario, PARAMS, 3, 5, np.arange(3), True)
    observed = simulate_chunk(small_scenario, PARAMS, 3, 5, np.arange(3), True,
                              mechanisms=Observer().loop())
    _assert_rows_equal(plain.system, observed.system)
    _assert_rows_equal(plain.states, observed.states)


def _run_rows(out, r: int) -> tuple[dict, dict, dict, dict]:
    """Row r of a chunk's yearly series, state series, institution series and crisis log."""
    system = {k: v[r] for k, v in out.system.items()}
    states = {k: v[r] for k, v in out.states.items()}
    insts = {k: v[r] for k, v in out.institutions.items()}
    ev = out.events or {}
    keep = ev["run"] == r if ev else np.zeros(0, bool)
    events = {k: v[keep] for k, v in ev.items() if k != "run"}
    return system, states, insts, events


def _assert_rows_equal(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


@settings(max_examples=examples(24), deadline=None, phases=NO_SHRINK)
@given(runs=st.integers(2, 5), seed=SEEDS, pert=perturbations(), data=st.data())
def test_run_alone_equals_its_row_in_a_batch(small_scenario, runs, seed, pert, data):
    """Run r simulated alone gives exactly row r of the batch: series, states, institutions
    and crises."""
    loop = pert.loop(small_scenario.year)
    batch = simulate_chunk(small_scenario, PARAMS, 3, seed, np.arange(runs), True, mechanisms=loop)
    r = data.draw(st.integers(0, runs - 1), label="run")
    alone = simulate_chunk(small_scenario, PARAMS, 3, seed, np.array([r]), True, mechanisms=loop)
    b_sys, b_states, b_insts, b_events = _run_rows(batch, r)
    a_sys, a_states, a_insts, a_events = _run_rows(alone, 0)
    _assert_rows_equal(b_sys, a_sys)
    _assert_rows_equal(b_states, a_states)
    _assert_rows_equal(b_insts, a_insts)
    if b_events or a_events:
        _assert_rows_equal(b_events, a_events)


def _assert_same_results(a: secorder.Results, b: secorder.Results) -> None:
    _assert_rows_equal(a.outcomes, b.outcomes)
    _assert_rows_equal(a.system, b.system)
    _assert_rows_equal(a.states, b.states)
    for k in a.system_mean:  # means are sums over chunks: equal up to summation order
        np.testing.assert_allclose(a.system_mean[k], b.system_mean[k], rtol=1e-12, atol=1e-12)
    pd.testing.assert_frame_equal(a.events, b.events)


@settings(max_examples=examples(20), deadline=None, phases=NO_SHRINK)
@given(runs=st.integers(1, 6), chunk=st.integers(1, 6), seed=SEEDS)
def test_chunk_size_does_not_change_results(small_scenario, runs, chunk, seed):
    """Splitting the runs into chunks of any size gives the same per-run results."""
    one = secorder.simulate(small_scenario, years=4, runs=runs, seed=seed, chunk_size=runs,
                            workers=1)
    split = secorder.simulate(small_scenario, years=4, runs=runs, seed=seed, chunk_size=chunk,
                              workers=1)
    _assert_same_results(one, split)


@pytest.mark.parametrize("seed", [7])
def test_workers_do_not_change_results(small_scenario, seed):
    """Two worker processes over chunks of two runs give the results of one chunk of six."""
    pooled = secorder.simulate(small_scenario, years=5, runs=6, seed=seed, chunk_size=2, workers=2)
    serial = secorder.simulate(small_scenario, years=5, runs=6, seed=seed, chunk_size=6,
                               workers=1)
    assert serial.system["crises"].sum() > 0  # the comparison covers crises, not only quiet years
    _assert_same_results(pooled, serial)


def test_different_seeds_give_different_runs(small_scenario):
    """Runs are not copies of each other: distinct run indices and seeds give distinct paths."""
    res = secorder.simulate(small_scenario, years=3, runs=3, seed=1, workers=1)
    gdp = res.states["gdp"]
    assert not np.array_equal(gdp[0], gdp[1])
    other = secorder.simulate(small_scenario, years=3, runs=3, seed=2, workers=1)
    assert not np.array_equal(gdp, other.states["gdp"])
