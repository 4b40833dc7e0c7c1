"""Known results reproduced through the model's own mechanisms, within tolerance."""

from __future__ import annotations

import numpy as np
import pytest

import secorder
from secorder.calibration import calibrate_onset_intercept, simulated_prd_rate
from secorder.mechanisms import arms, deterrence, initial_world
from secorder.params import Params
from secorder.scenario import load_scenario
from secorder.world import OPEN

TWO_STATES = {
    "name": "richardson-pair",
    "year": 1909,
    "states": [
        {"code": "AAA", "name": "A", "gdp": 1e6, "growth": 0.0, "population": 10, "military_spending": 10,
         "regime": 0, "capital": [0.0, 0.0], "norms": 0.0},
        {"code": "BBB", "name": "B", "gdp": 1e6, "growth": 0.0, "population": 10, "military_spending": 10,
         "regime": 0, "capital": [0.0, 0.0001], "norms": 0.0},
    ],
    "dyads": [{"states": ["AAA", "BBB"], "distance_km": 1.0, "trust": 0.0, "animosity": 1.0}],
}


def richardson_world(k1: float, k2: float, alpha: float, g: tuple[float, float]):
    """A two-state world in which arms.step is exactly Richardson's x' = x + k y - a x + g.

    Beliefs are 1, trust 0, the capitals 1 km apart and the decay distance large, so each
    side's perceived threat is the other's spending; the per-state reaction k_i is set
    through the norm damping k_i = k (1 - damping * norms_i); the budget ceiling never binds.
    """
    params = Params().replace(arms_reaction=0.4, arms_norm_damping=1.0, arms_fatigue=alpha,
                              distance_decay_km=30000.0, max_burden=0.5)
    sc = load_scenario(TWO_STATES)
    w = initial_world(sc, params, runs=1)
    prox = np.exp(-1.0 / params.distance_decay_km)
    norms = np.array([[1 - k1 / (0.4 * prox), 1 - k2 / (0.4 * prox)]])
    belief = np.array([[[0.0, 1.0], [1.0, 0.0]]])
    w = w.apply({"norms": norms, "belief": belief,
                 "arms_baseline": np.array([[g[0], g[1]]]) / w.gdp})
    return w, params


def iterate_arms(world, params, years: int) -> np.ndarray:
    path = []
    for _ in range(years):
        world = world.apply(arms.step(world, params, {}))
        path.append(world.milex[0].copy())
    return np.array(path)


@pytest.mark.parametrize(("k1", "k2", "alpha"), [(0.1, 0.15, 0.2), (0.16, 0.14, 0.3), (0.05, 0.3, 0.15)])
def test_richardson_stable_pair_converges_to_analytic_equilibrium(k1, k2, alpha):
    g = (2.0, 3.0)
    assert k1 * k2 < alpha * alpha
    world, params = richardson_world(k1, k2, alpha, g)
    path = iterate_arms(world, params, 1500)
    det = alpha * alpha - k1 * k2
    x_star = np.array([(alpha * g[0] + k1 * g[1]) / det, (alpha * g[1] + k2 * g[0]) / det])
    np.testing.assert_allclose(path[-1], x_star, rtol=1e-6)


@pytest.mark.parametrize(("k1", "k2", "alpha"), [(0.3, 0.25, 0.2), (0.4, 0.2, 0.25)])
def test_richardson_unstable_pair_runs_away(k1, k2, alpha):
    assert k1 * k2 > alpha * alpha
    world, params = richardson_world(k1, k2, alpha, (2.0, 3.0))
    path = iterate_arms(world, params, 80)
    steps = np.diff(path.sum(axis=1))
    assert (steps > 0).all()
    # successive increments grow by the dominant eigenvalue 1 - alpha + sqrt(k1 k2) > 1
    assert steps[-1] / steps[-2] == pytest.approx(1 - alpha + np.sqrt(k1 * k2), rel=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("war_cost", [0.05, 0.15, 0.3, 0.45, 0.7])
def test_bargaining_breakdown_rate_matches_fearon(small_scenario, war_cost):
    """Through deterrence.step: share of undeterred crises that break down = max(0, (1-c_A/c)/2)."""
    runs = 40_000
    params = Params().replace(war_cost=war_cost, private_info_range=0.6, nuclear_cost_multiplier=0.0)
    w = initial_world(small_scenario, params, runs)
    ch, tg = w.static.index("CHN"), w.static.index("TAW")
    crisis = np.zeros_like(w.crisis)
    crisis[:, ch, tg] = True
    w = w.apply({"crisis": crisis, "outcome": np.where(crisis, OPEN, 0).astype(np.int8),
                 "satisfaction": np.zeros_like(w.satisfaction)})
    p_win, cost = deterrence.war_value(w, params)
    assert (p_win[:, ch, tg] - cost[:, ch, tg] > 0).all(), "the crisis must pass deterrence"
    u = np.random.default_rng(7).random(w.crisis.shape)
    upd = deterrence.step(w, params, {"bargain": u, "limited": np.ones_like(u)})
    share = upd["fight"][:, ch, tg].mean()
    expected = float(deterrence.breakdown_probability(war_cost, 0.6))
    assert share == pytest.approx(expected, abs=4 * np.sqrt(max(expected, 1e-3) / runs) + 1e-4)


@pytest.mark.slow
def test_default_intercept_hits_politically_relevant_base_rate():
    """The shipped intercept gives 17.1 disputes per 1,000 PRD-years on asia-pacific-2000 (1990-2010)."""
    rate = simulated_prd_rate("asia-pacific-2000", Params(), runs=300, years=30, seed=11)
    assert rate == pytest.approx(17.1, rel=0.12)


@pytest.mark.slow
def test_calibration_finds_an_intercept_for_another_target(small_scenario):
    res = calibrate_onset_intercept(small_scenario, target=40.0, runs=200, years=20, seed=3, rtol=0.02)
    assert res.rate == pytest.approx(40.0, rel=0.02)
    # and the intercept is monotone in the target
    low = calibrate_onset_intercept(small_scenario, target=15.0, runs=200, years=20, seed=3, rtol=0.02)
    assert low.intercept < res.intercept


def test_war_deaths_follow_power_law_exponent():
    """Battle deaths of simulated wars: the Hill estimator recovers alpha = 1.5."""
    from secorder.mechanisms.war import war_deaths

    p = Params().replace(battle_deaths_cap=1e8)
    x = war_deaths(np.random.default_rng(0).random(200_000), p)
    x = x[x < 1e8]
    alpha_hat = 1 + x.size / np.log(x / p.war_min_deaths).sum()
    assert alpha_hat == pytest.approx(1.5, abs=0.02)


def test_same_seed_same_results_and_different_seed_differs(small_scenario):
    a = secorder.simulate(small_scenario, years=10, runs=50, seed=5)
    b = secorder.simulate(small_scenario, years=10, runs=50, seed=5)
    c = secorder.simulate(small_scenario, years=10, runs=50, seed=6)
    for k in a.outcomes:
        np.testing.assert_array_equal(a.outcomes[k], b.outcomes[k])
    assert not np.array_equal(a.system["crises"], c.system["crises"])
