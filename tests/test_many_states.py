"""Regions of more than 64 states: allies beyond the 64th are neither dropped nor mixed up.

The sets of allies that joined or stayed out of a crisis are packed into one uint64 word per
64 states (secorder.statesets). These tests build a 70-state region by hand in which the
allies of the fighting states sit at indices 64 and above, and follow them through the
escalation step (joining), the war step (sharing the cost) and the event log.
"""

from __future__ import annotations

import numpy as np
import pytest

from secorder import simulate, statesets
from secorder.mechanisms import escalation, initial_world, war
from secorder.params import Params
from secorder.scenario import load_scenario
from secorder.world import OPEN, OUTCOME
from tests.conftest import uniforms

N = 70
RIVALS = 6  # states 0..5 are rivals in pairs (0,1), (2,3), (4,5); each has a protector at 64 + k


def code(k: int) -> str:
    """State k's code: XAA, XAB, ... (codes are letters only)."""
    return "X" + chr(65 + k // 26) + chr(65 + k % 26)


def big_region() -> dict:
    """70 alike states on a grid of capitals; rivals 0..5, each allied (obligation 1) with state 64 + k."""
    states = [
        {"code": code(k), "name": f"State {k}", "gdp": 50.0, "growth": 0.02,
         "population": 20, "military_spending": 1.5, "regime": 5, "satisfaction": 0.3,
         "capital": [float(k // 10) * 2.0, float(k % 10) * 2.0]}
        for k in range(N)
    ]
    dyads = [{"states": [code(a), code(a + 1)], "contiguity": "land", "stakes": 0.9, "animosity": 0.9,
              "trust": 0.05, "peace_years": 0}
             for a in range(0, RIVALS, 2)]
    institutions = [{"id": f"pact-{k}", "name": f"Pact {k}", "type": "bilateral_alliance",
                     "members": [code(k), code(64 + k)], "obligation": 1.0, "target": "outside", "depth": 0.9}
                    for k in range(RIVALS)]
    return {"name": "big-region", "year": 2000, "states": states, "dyads": dyads, "institutions": institutions}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(big_region())


def test_sets_of_states_round_trip_beyond_64():
    """pack/unpack are inverses for any N; N <= 64 takes one word, 65..128 two; decode names members."""
    for n in (1, 10, 64, 65, 70, 128, 129, 200):
        flags = uniforms(n, (50, n)) < 0.3
        packed = statesets.pack(flags)
        assert packed.shape == (50, statesets.words(n)) and packed.dtype == np.uint64
        np.testing.assert_array_equal(statesets.unpack(packed, n), flags)
    assert statesets.words(64) == 1 and statesets.words(65) == 2
    flags = np.zeros((2, N), bool)
    flags[0, [3, 64, 69]] = True
    assert statesets.decode(statesets.pack(flags), [code(k) for k in range(N)]) == [f"{code(3)};{code(64)};{code(69)}", ""]


def test_ally_beyond_64_joins_and_shares_the_war_cost(scenario):
    """State 0 attacks state 1 in every run; 1's ally at index 65 is reliable and joins; the war
    costs S65 ally_cost_share of the belligerents' GDP share, and nobody else outside the fight."""
    params = Params()
    w = initial_world(scenario, params, runs=3)
    assert w.joined.shape == (3, N, N, 2)
    crisis = np.zeros(w.crisis.shape, bool)
    crisis[:, 0, 1] = True
    w = w.apply({"crisis": crisis, "outcome": np.where(crisis, OPEN, 0).astype(np.int8), "fight": crisis,
                 "reliability": np.ones_like(w.reliability)})
    shape = w.crisis.shape
    up = escalation.step(w, params, {"honour": np.zeros(shape), "escalate": np.zeros(shape)})  # joins, war
    members = statesets.unpack(up["joined"][:, 0, 1], N)
    assert members[:, 65].all() and members.sum(axis=1).tolist() == [1, 1, 1]
    np.testing.assert_array_equal(up["outcome"][:, 0, 1], OUTCOME["war"])

    w = w.apply(up)
    cost = war.step(w, params, {"severity": np.full(shape, 0.5)})
    deaths = params.war_min_deaths * 0.5 ** (-1 / (params.battle_deaths_exponent - 1))
    ally_share = params.ally_cost_share * params.war_gdp_loss * np.log10(deaths / 100)
    np.testing.assert_allclose(cost["ally_cost"][:, 65], w.gdp[:, 65] * ally_share)
    np.testing.assert_allclose(cost["gdp"][:, 65], w.gdp[:, 65] * (1 - ally_share))
    others = np.setdiff1d(np.arange(N), [65])
    np.testing.assert_array_equal(cost["ally_cost"][:, others], 0.0)


def test_allies_beyond_64_appear_in_the_event_log(scenario):
    """A simulated run of the 70-state region: the protectors at indices 64-69 join their
    proteges' fights and are named in the event log (they were dropped with a single uint64)."""
    res = simulate(scenario, years=20, runs=30, seed=3, record="full", workers=1)
    ev = res.events
    named = {c for cell in ev["allies_joined"].tolist() + ev["allies_abandoned"].tolist()
             for c in cell.split(";") if c}
    assert (ev["allies_joined"] != "").any(), "no ally joined in 30 runs x 20 years of the constructed rivalries"
    assert {code(64 + k) for k in range(RIVALS)} & named
    assert named <= {code(k) for k in range(RIVALS)} | {code(64 + k) for k in range(RIVALS)}
    # every named ally is the target's partner in its pact (k <-> 64 + k)
    joined = ev[ev["allies_joined"] != ""]
    index = {code(k): k for k in range(N)}
    partner = {**{k: 64 + k for k in range(RIVALS)}, **{64 + k: k for k in range(RIVALS)}}
    for target, allies in zip(joined["target"].astype(str), joined["allies_joined"], strict=True):
        assert allies == code(partner[index[target]])
