"""The counter-channels: each acts, each is switched off by its parameter, and each can push
its claim's outcome the other way (tested on hand-made worlds, not on a claim's verdict)."""

from __future__ import annotations

import numpy as np
import pytest

from secorder.mechanisms import (
    constitutional,
    counterbalancing,
    denial,
    disillusion,
    diversion,
    exclusion,
    initial_world,
    reassurance,
    regime,
    stalling,
    teeth,
)
from secorder.params import Params
from secorder.scenario import load_scenario
from secorder.world import OPEN, OUTCOME


def state(code, lon, **kw):
    base = {"code": code, "name": code, "gdp": 100.0, "growth": 0.03, "population": 10.0,
            "military_spending": 2.0, "regime": 0.0, "capital": [0.0, lon], "satisfaction": 0.5}
    base.update(kw)
    return base


def world(states, dyads=(), institutions=(), runs=1, params=None):
    sc = load_scenario({"name": "hand-made", "year": 2000, "states": list(states), "dyads": list(dyads),
                        "institutions": list(institutions)})
    return initial_world(sc, params or Params(), runs)


def trio(*insts, **kw):
    """A strong state (AAA), its protege (BBB) and BBB's rival (CCC)."""
    return world(
        [state("AAA", 0, gdp=1000.0, military_spending=60.0), state("BBB", 5), state("CCC", 10, **kw)],
        dyads=[{"states": ["BBB", "CCC"], "contiguity": "land", "animosity": 0.6, "trust": 0.2,
                "stakes": 0.5}],
        institutions=list(insts),
    )


ALLIANCE = {"id": "ab", "name": "AB", "type": "bilateral_alliance", "members": ["AAA", "BBB"], "obligation": 0.8}


# ----------------------------------------------------------------------- 1a constitutional rule
def test_constitutional_rule_deters_challengers_and_sanctions_seizers():
    p = Params()
    rd = {"id": "rd", "name": "RD", "type": "regime_defining", "members": ["AAA", "BBB"], "depth": 1.0}
    w = world([state("AAA", 0, regime=8), state("BBB", 1, regime=-8)], institutions=[rd])
    up = constitutional.step(w.apply({"removed": np.array([[False, True]])}), p, {})
    np.testing.assert_allclose(up["seized"], [[0.0, 1.0]])
    # a conforming democracy and an autocracy alike are protected: the rule is not a democracy test
    assert up["rule_log_hazard"][0, 0] == pytest.approx(-p.constitutional_deterrence)
    assert up["rule_log_hazard"][0, 1] == pytest.approx(p.constitutional_sanction - p.constitutional_deterrence)
    h_calm = regime.challenge_hazard(w.apply({"rule_log_hazard": up["rule_log_hazard"]}), p, np.zeros_like(w.gdp))
    h_bare = regime.challenge_hazard(w, p, np.zeros_like(w.gdp))
    assert h_calm[0, 0] < h_bare[0, 0]  # deterrence lowers the incumbent's hazard
    # the sign turns: a sanction larger than the deterrence destabilises the seizer
    strong = Params().replace(constitutional_sanction=2.0, constitutional_deterrence=0.2)
    assert constitutional.step(w.apply({"removed": np.array([[False, True]])}), strong, {})["rule_log_hazard"][0, 1] > 0
    off = Params().replace(constitutional_sanction=0.0, constitutional_deterrence=0.0)
    assert not constitutional.step(w, off, {})["rule_log_hazard"].any()


def test_seizure_memory_fades():
    m = constitutional.seizure_memory(np.array([[1.0]]), np.array([[False]]), 0.7)
    assert m[0, 0] == pytest.approx(0.7)


# ------------------------------------------------------------------ 4a balancing concentration
def test_concentrated_power_is_balanced_less_when_bound_and_restraint_can_fail():
    p = Params()
    bare = trio()
    cap_a = counterbalancing.capability(bare, p)[0, 0]
    assert cap_a > p.concentration_threshold
    rise = counterbalancing.step(bare, p, {})["belief"][0, 2, 0] - bare.belief[0, 2, 0]
    forum = {"id": "f", "name": "F", "type": "cooperative_forum", "members": ["AAA", "BBB", "CCC"], "depth": 1.0}
    bound = trio(forum)
    rise_bound = counterbalancing.step(bound, p, {})["belief"][0, 2, 0] - bound.belief[0, 2, 0]
    assert 0 < rise_bound < rise  # restraint discounts, but below a discount of 1 it does not cancel
    full = Params().replace(restraint_discount=1.0)
    assert counterbalancing.step(bound, full, {}) == {}  # restraint that always works cancels balancing
    assert counterbalancing.step(bare, Params().replace(concentration_balancing=0.0), {}) == {}


# ------------------------------------------------------------------------ 4b ally reassurance
def test_a_protected_state_is_read_as_less_aggressive():
    p = Params()
    w = trio(ALLIANCE)
    assert reassurance.protection(reassurance.commitments(w), reassurance.capability(w, p))[0, 1] > 0
    after = reassurance.step(w, p, {})["belief"]
    assert after[0, 2, 1] < w.belief[0, 2, 1]  # CCC reads BBB as less aggressive
    assert after[0, 1, 2] == pytest.approx(w.belief[0, 1, 2])  # CCC has no protector
    assert reassurance.step(w, Params().replace(ally_reassurance=0.0), {}) == {}


# --------------------------------------------------------------------- 7a exclusion of risers
def test_an_institution_excluding_a_rising_power_decays_and_the_riser_grows_dissatisfied():
    p = Params()
    club = {"id": "club", "name": "Club", "type": "collective_defense", "members": ["AAA", "BBB"], "depth": 0.8}
    w = trio(club, growth=0.09)
    w = w.apply({"growth": np.array([[0.02, 0.02, 0.09]])})  # CCC rises
    up = exclusion.step(w, p, {})
    assert up["depth"][0, 0] < 0.8
    assert up["satisfaction"][0, 2] < w.satisfaction[0, 2]
    assert up["satisfaction"][0, 1] == pytest.approx(w.satisfaction[0, 1])  # a member is not shut out
    still = exclusion.step(w.apply({"growth": np.array([[0.09, 0.09, 0.02]])}), p, {})  # CCC falls behind
    assert still["depth"][0, 0] == pytest.approx(0.8) and still["satisfaction"][0, 2] == pytest.approx(0.5)
    off = exclusion.step(w, Params().replace(exclusion_decay=0.0, exclusion_grievance=0.0), {})
    assert off["depth"][0, 0] == pytest.approx(0.8)


# ------------------------------------------------------------------- 7b forum teeth vs alliance
def test_a_forum_with_teeth_tears_an_ally_whose_rival_is_inside():
    p = Params()
    toothed = {"id": "f", "name": "F", "type": "cooperative_forum", "members": ["AAA", "BBB", "CCC"],
               "depth": 0.6, "obligation": 0.5, "target": "any_member"}
    w = trio(ALLIANCE, toothed)
    w = w.apply({"trust": np.full_like(w.trust, 0.9), "strength": np.array([[1.0, 0.9]])})
    up = teeth.step(w, p, {})
    assert up["reliability"][0, 1] < w.reliability[0, 1]  # BBB: ally of AAA, rival CCC inside
    assert up["reliability"][0, 2] == pytest.approx(w.reliability[0, 2])  # CCC has no ally
    assert up["depth"][0, 1] < w.depth[0, 1]
    toothless = dict(toothed, obligation=0.0, target="none")
    assert teeth.step(trio(ALLIANCE, toothless), p, {}) == {}


# --------------------------------------------------------------------- 9a diversion abroad
def test_an_insecure_government_starts_extra_crises_against_its_rivals():
    p = Params().replace(diversion_rate=0.5)
    w = trio()
    w = w.apply({"instability": np.array([[0.0, 1.0, 0.0]])})
    u = np.full(w.crisis.shape, 0.1)
    up = diversion.step(w, p, {"divert": u})
    assert up["crisis"][0, 1, 2] and up["outcome"][0, 1, 2] == OPEN
    assert up["crisis"].sum() == 1  # only the insecure one, only against its rival
    assert diversion.step(w, Params().replace(diversion_rate=0.0), {"divert": u}) == {}
    busy = w.apply({"crisis": np.swapaxes(up["crisis"], 1, 2)})  # CCC already challenged BBB
    assert diversion.step(busy, p, {"divert": u}) == {}


# ------------------------------------------------------------------- 9b missile-defence denial
def test_missile_defence_can_deter_a_missile_armed_challenger():
    p = Params().replace(denial_effect=1.0)
    w = world([state("AAA", 0, nuclear=True), state("BBB", 1, missile_defense=0.5)])
    outcome = np.zeros((1, 2, 2), dtype=np.int8)
    outcome[0, 0, 1] = OPEN
    w = w.apply({"outcome": outcome, "crisis": outcome == OPEN})
    assert w.static.strike[0] == 1.0
    up = denial.step(w, p, {"deny": np.full((1, 2, 2), 0.4)})  # 0.4 < 1.0 x 0.5 x 1
    assert up["outcome"][0, 0, 1] == OUTCOME["deterrence"]
    assert denial.step(w, p, {"deny": np.full((1, 2, 2), 0.6)}) == {}
    assert denial.step(w, Params().replace(denial_effect=0.0), {"deny": np.zeros((1, 2, 2))}) == {}


# ------------------------------------------------------------------------- 10e forum stalling
def test_a_stalled_forum_settlement_raises_the_challengers_stake_which_then_relaxes():
    p = Params().replace(stalling_share=1.0)
    forum = {"id": "f", "name": "F", "type": "cooperative_forum", "members": ["BBB", "CCC"], "depth": 0.2}
    w = trio(forum, satisfaction=0.1)
    outcome, handled = w.outcome.copy(), w.handled_by.copy()
    outcome[0, 2, 1], handled[0, 2, 1] = OUTCOME["forum"], 0
    w = w.apply({"outcome": outcome, "handled_by": handled})
    up = stalling.step(w, p, {"stall": np.full(w.outcome.shape, 0.5)})  # 0.5 < 1 x 0.9 x 0.8
    assert up["stakes"][0, 2, 1] > w.stakes[0, 2, 1]
    assert up["stakes"][0, 1, 2] == pytest.approx(w.stakes[0, 1, 2])
    later = stalling.step(w.apply(up).apply({"outcome": np.zeros_like(outcome)}), p, {"stall": np.ones(w.outcome.shape)})
    assert w.stakes[0, 2, 1] < later["stakes"][0, 2, 1] < up["stakes"][0, 2, 1]
    none = stalling.step(w, Params().replace(stalling_share=0.0), {"stall": np.zeros(w.outcome.shape)})
    np.testing.assert_allclose(none["stakes"], w.stakes)


# ------------------------------------------------------------------ 11a trust that falls
def test_trust_falls_after_institutional_failure():
    p = Params()
    forum = {"id": "f", "name": "F", "type": "cooperative_forum", "members": ["AAA", "BBB", "CCC"], "depth": 1.0}
    w = trio(forum)
    outcome = w.outcome.copy()
    outcome[0, 2, 1] = OUTCOME["dispute"]
    up = disillusion.step(w.apply({"outcome": outcome}), p, {})
    assert up["trust"][0, 0, 1] == pytest.approx(w.trust[0, 0, 1] * (1 - p.failure_trust_loss))  # all member pairs
    np.testing.assert_allclose(up["trust"], np.swapaxes(up["trust"], 1, 2))
    assert np.all(np.diagonal(up["trust"], axis1=1, axis2=2) == 1.0)
    calm = disillusion.step(w, p, {})
    np.testing.assert_allclose(calm["trust"], w.trust)


def test_trust_falls_toward_free_riders_and_commitment_breakers():
    p = Params()
    w = trio(ALLIANCE)
    ride = disillusion.free_riding(np.array([[0.06, 0.01, 0.02]]), w.members, np.array([True]))
    assert ride[0, 0, 1] > 0 and ride[0, 1, 0] == 0  # BBB spends less than the alliance's mean
    fallen = w.apply({"reliability_seen": w.reliability, "reliability": w.reliability * np.array([[0.5, 1, 1]])})
    up = disillusion.step(fallen, p, {})
    assert up["trust"][0, 0, 1] < fallen.trust[0, 0, 1]  # AAA's fall costs it BBB's trust
    off = Params().replace(broken_commitment_trust_loss=0.0, free_riding_trust_loss=0.0)
    np.testing.assert_allclose(disillusion.step(fallen, off, {})["trust"], fallen.trust)
