"""Growth trends and military spending that shift power (issue 13, item 1).

With equal trends and no shocks GDP shares stay constant; a state that grows faster gains
share every year, and its military spending follows its economy. The comparison with the
real GDP and military-spending paths (benchmarks/power_shift.py) runs when ../shared/data
is present.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import yaml

import secorder
from secorder.mechanisms import shocks
from secorder.params import Params
from tests.conftest import HERE, SMALL, shared_data_dir

QUIET = {"growth_noise_sd": 0.0, "onset_intercept": -12.0}  # no shocks, no crises (no war losses)


def small_with_growth(rates: dict[str, float] | float) -> secorder.Scenario:
    """The small scenario with every state's trend set (one rate, or per state code)."""
    raw = yaml.safe_load(SMALL.read_text())
    for s in raw["states"]:
        s["growth"] = rates if isinstance(rates, float) else rates.get(s["code"], 0.03)
    return secorder.load_scenario(raw)


def paths(scenario, years: int = 25, **params) -> tuple[np.ndarray, np.ndarray]:
    """(R, T, N) GDP and military spending shares of one deterministic run set."""
    res = secorder.simulate(scenario, years=years, runs=3, seed=1, record="full",
                            params=Params().replace(**{**QUIET, **params}))
    gdp, mil = res.states["gdp"].astype(float), res.states["milex"].astype(float)
    return gdp / gdp.sum(axis=2, keepdims=True), mil / mil.sum(axis=2, keepdims=True)


def test_trends_converge_to_the_long_run_rate():
    """Each year a share growth_convergence of the gap closes; equal trends stay equal."""
    p = Params()
    trend = np.array([[0.09, 0.03, p.growth_long_run]])
    nxt = shocks.converge(trend, p)
    np.testing.assert_allclose(nxt - p.growth_long_run, (1 - p.growth_convergence) * (trend - p.growth_long_run))
    same = shocks.converge(np.full((2, 4), 0.06), p)
    assert np.all(same == same[0, 0])


def test_equal_trends_without_shocks_keep_gdp_shares_constant():
    """All trends 6% (converging alike), no noise, no crises: every state's GDP share is its starting share."""
    sc = small_with_growth(0.06)
    gdp_share, _ = paths(sc)
    start = np.array([s.gdp for s in sc.states]) / sum(s.gdp for s in sc.states)
    np.testing.assert_allclose(gdp_share, np.broadcast_to(start, gdp_share.shape), rtol=1e-6)  # states are recorded in float32


def test_a_faster_growing_state_gains_share_every_year():
    """China's trend 9% against 3% for the others: its GDP share rises strictly every year, and so,
    with spending anchored to the economy, does its military share (no threat reaction here)."""
    sc = small_with_growth({"CHN": 0.09})
    gdp_share, mil_share = paths(sc, arms_reaction=0.0)
    chn = [s.code for s in sc.states].index("CHN")
    assert np.all(np.diff(gdp_share[:, :, chn], axis=1) > 0)
    assert np.all(np.diff(mil_share[:, 1:, chn], axis=1) > 0)
    assert mil_share[0, -1, chn] > 1.5 * mil_share[0, 0, chn]


def test_spending_follows_the_economy_at_the_starting_burden():
    """With no threat reaction and equal trends, each state's burden stays near its starting burden:
    the anchor is a share of GDP, not a fixed sum (partial adjustment lags growth by a little)."""
    sc = small_with_growth(0.05)
    res = secorder.simulate(sc, years=20, runs=2, seed=1, record="full",
                            params=Params().replace(**QUIET, arms_reaction=0.0))
    burden = res.states["milex"] / res.states["gdp"]
    start = np.array([s.military_spending / s.gdp for s in sc.states])
    np.testing.assert_allclose(burden[:, -1], np.broadcast_to(start, burden[:, -1].shape), rtol=0.3)
    assert np.all(res.states["milex"][:, -1] > 1.5 * np.array([s.military_spending for s in sc.states]))


def _power_shift_module():
    spec = importlib.util.spec_from_file_location("power_shift", HERE.parent / "benchmarks" / "power_shift.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_power_shift_against_the_data():
    """From the 2000 data-built Asia-Pacific scenario, China's GDP and military shares rise to 2014 in the
    model as in the data (a small run; the full table is in docs/power-shift.md)."""
    data = shared_data_dir()
    if not (data / "gdp_sdp").is_dir():
        pytest.skip("../shared/data is absent")
    mod = _power_shift_module()
    table, _ = mod.comparison(runs=8, seed=0, source_dir=data)
    chn = table[table.state == "CHN"].set_index("year")
    for col in ("gdp_share_data", "gdp_share_model", "mil_share_data", "mil_share_model"):
        assert chn.loc[2014, col] > chn.loc[2000, col], col
    assert np.isfinite(table.gdp_share_model).all()
