"""The institutional layers: regime security, socialisation, alignment, institution dynamics,
prevention, concert, collective security and the order's kind.

Each test checks a channel on hand-made arrays (or a tiny hand-written scenario), not a
conclusion about which architecture is better.
"""

from __future__ import annotations

import numpy as np
import pytest

import secorder
from secorder.mechanisms import (
    alignment,
    concert,
    initial_world,
    institutions,
    prevention,
    regime,
    socialisation,
)
from secorder.mechanisms.alignment import landscape_blocs
from secorder.orders import ORDER_CODE, classify
from secorder.params import Params
from secorder.scenario import load_scenario
from secorder.world import OPEN, OUTCOME


def state(code, lon, **kw):
    base = {"code": code, "name": code, "gdp": 100.0, "growth": 0.03, "population": 10.0,
            "military_spending": 2.0, "regime": 0.0, "capital": [0.0, lon], "satisfaction": 0.5}
    base.update(kw)
    return base


def scenario(states, dyads=(), institutions=(), **extra):
    return load_scenario({"name": "hand-made", "year": 2000, "states": list(states), "dyads": list(dyads),
                          "institutions": list(institutions), **extra})


def world_of(sc, runs=1, params=None):
    return initial_world(sc, params or Params(), runs)


# --------------------------------------------------------------------------------- regime
def test_shock_term_is_centred():
    z = np.random.default_rng(0).standard_normal(2_000_000)
    for effect in (0.2, 0.4, 1.0):
        assert np.exp(regime.shock_term(z, effect)).mean() == pytest.approx(1.0, abs=0.01)


def test_regime_challenge_base_rates_hit_within_tolerance():
    """States at the world's 1990-2015 hazard (1.9% irregular removals + 2.1% civil-conflict
    onsets per country-year) in neutral conditions reproduce both rates."""
    codes = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH"]
    states = [state(c, 20.0 * k, regime_hazard=0.04) for k, c in enumerate(codes)]
    sc = scenario(states)
    res = secorder.simulate(sc, years=25, runs=400, seed=1, record="summary")
    country_years = 8 * 25 * 400
    challenges = res.system_mean["regime_challenges"].sum() * 400 / country_years
    removals = res.system_mean["regime_removals"].sum() * 400 / country_years
    assert challenges == pytest.approx(0.040, abs=0.003)
    assert removals == pytest.approx(0.019, abs=0.002)


def hostile_pair(*insts):
    sc = scenario(
        [state("AAA", 0, regime=8), state("BBB", 1, regime=-8)],
        dyads=[{"states": ["AAA", "BBB"], "contiguity": "land", "animosity": 0.8, "trust": 0.1}],
        institutions=list(insts),
    )
    return world_of(sc)


def test_mutual_recognition_lowers_outside_interference():
    p = Params()
    bare = regime.interference(hostile_pair(), p)
    mr = {"id": "mr", "name": "MR", "type": "mutual_recognition", "members": ["AAA", "BBB"],
          "regime_rule": "mutual_recognition", "depth": 1.0}
    shielded = regime.interference(hostile_pair(mr), p)
    assert bare[0, 0] > 0
    np.testing.assert_allclose(shielded, bare * (1 - p.mutual_recognition_shield))


def test_regime_defining_rule_supports_conformers_and_sanctions_breakers():
    p = Params().replace(democracy_condition=1.0)  # the democracy condition switched on
    rd = {"id": "rd", "name": "RD", "type": "regime_defining", "members": ["AAA", "BBB"],
          "regime_rule": "defining", "depth": 1.0}
    w0, w1 = hostile_pair(), hostile_pair(rd)
    h0 = regime.challenge_hazard(w0, p, np.zeros_like(w0.gdp))
    h1 = regime.challenge_hazard(w1, p, np.zeros_like(w1.gdp))
    assert h1[0, 0] == pytest.approx(h0[0, 0] * np.exp(-p.regime_support_effect))  # AAA conforms (8 >= 6)
    assert h1[0, 1] == pytest.approx(h0[0, 1] * np.exp(p.regime_sanction_effect))  # BBB breaks the rule
    off = regime.challenge_hazard(w1, Params(), np.zeros_like(w1.gdp))  # default: no democracy condition
    np.testing.assert_allclose(off, h0)


def test_successful_challenge_moves_regime_score():
    w = hostile_pair()
    p = Params()
    zeros = np.zeros_like(w.gdp)
    upd = regime.step(w, p, {"challenge": zeros, "success": zeros, "direction": zeros})  # all challenged, removed, autocratic
    assert upd["challenge"].all() and upd["removed"].all()
    np.testing.assert_allclose(upd["regime"], np.clip(w.regime - p.regime_shift_size, -10, 10))
    ones = np.ones_like(w.gdp) * 0.999
    upd = regime.step(w, p, {"challenge": ones, "success": zeros, "direction": zeros})
    assert not upd["challenge"].any()
    np.testing.assert_array_equal(upd["regime"], w.regime)


# ---------------------------------------------------------------------------- socialisation
def forum_pair(informality=0.9, decision="consensus", regime_b=10.0, depth=0.8):
    sc = scenario(
        [state("AAA", 0, regime=10, norms=0.2), state("BBB", 1, regime=regime_b, norms=0.6)],
        institutions=[{"id": "f", "name": "F", "type": "cooperative_forum", "members": ["AAA", "BBB"],
                       "informality": informality, "decision_rule": decision, "depth": depth}],
    )
    return world_of(sc)


def test_norms_move_toward_the_lifted_group_norm():
    p = Params()
    w = forum_pair()
    new = socialisation.socialise(w, p)
    group = 0.4 + p.socialisation_lift * 0.8 * 0.6
    assert abs(new[0, 0] - group) < abs(0.2 - group)
    assert abs(new[0, 1] - group) < abs(0.6 - group)


def test_informal_consensus_bodies_socialise_faster_and_closed_regimes_slower():
    p = Params()
    fast = socialisation.socialise(forum_pair(informality=1.0, decision="consensus"), p)[0, 0] - 0.2
    slow = socialisation.socialise(forum_pair(informality=0.0, decision="majority"), p)[0, 0] - 0.2
    assert fast > slow > 0
    open_b = socialisation.socialise(forum_pair(regime_b=10), p)[0, 1]
    closed_b = socialisation.socialise(forum_pair(regime_b=-10), p)[0, 1]
    group_gain_open, group_gain_closed = open_b - 0.6, closed_b - 0.6
    assert group_gain_open > group_gain_closed > 0


def test_trust_grows_with_shared_deep_membership_and_not_without():
    p = Params()
    deep = socialisation.update_trust(forum_pair(depth=1.0), p)
    shallow = socialisation.update_trust(forum_pair(depth=0.0), p)
    assert deep[0, 0, 1] > shallow[0, 0, 1]
    assert shallow[0, 0, 1] == pytest.approx(0.3)  # default trust, no drivers: unchanged
    assert np.allclose(deep, np.swapaxes(deep, 1, 2))


def test_security_community_detection():
    p = Params()
    n = 3
    trust = np.full((1, n, n), 0.9)
    peace = np.full((1, n, n), 30.0)
    members = np.array([[[True, True, True], [True, True, False]]])
    assert socialisation.detect_communities(trust, peace, members, p).tolist() == [[True, True]]
    trust[0, 0, 2] = trust[0, 2, 0] = 0.5  # one distrustful pair breaks the first, not the second
    assert socialisation.detect_communities(trust, peace, members, p).tolist() == [[False, True]]
    peace[0, 0, 1] = peace[0, 1, 0] = 2.0  # a recent dispute breaks the second
    assert socialisation.detect_communities(trust, peace, members, p).tolist() == [[False, False]]


# -------------------------------------------------------------------------------- prevention
def crisis_world(insts, runs=2000, trust=0.6, norms=0.8, extra_states=()):
    sc = scenario(
        [state("AAA", 0, norms=norms), state("BBB", 1, norms=norms), *extra_states],
        dyads=[{"states": ["AAA", "BBB"], "trust": trust}],
        institutions=list(insts),
    )
    w = world_of(sc, runs)
    crisis = np.zeros_like(w.crisis)
    crisis[:, 0, 1] = True
    return w.apply({"crisis": crisis, "outcome": np.where(crisis, OPEN, 0).astype(np.int8)})


def forum(depth, transparency=0.5, **kw):
    return {"id": "forum", "name": "Forum", "type": "cooperative_forum", "members": ["AAA", "BBB"],
            "depth": depth, "transparency": transparency, **kw}


def test_forum_without_depth_settles_nothing():
    w = crisis_world([forum(0.0)])
    u = np.zeros(w.crisis.shape)  # the most favourable draws
    assert prevention.step(w, Params(), {"prevent": u}) == {}


def test_deep_forum_settles_at_its_probability_and_records_itself():
    p = Params()
    w = crisis_world([forum(1.0, transparency=1.0)])
    u = np.random.default_rng(2).random(w.crisis.shape)
    upd = prevention.step(w, p, {"prevent": u})
    share = (upd["outcome"][:, 0, 1] == OUTCOME["forum"]).mean()
    expected = prevention.prevention_probability(1.0, 1.0, 0.8, 0.8, 0.6, p)
    assert share == pytest.approx(expected, abs=0.035)
    assert (upd["handled_by"][upd["outcome"] == OUTCOME["forum"]] == 0).all()


# ------------------------------------------------------------------ concert, collective security
def test_concert_below_cohesion_floor_mediates_nothing():
    ccc = [state("CCC", 2)]
    inst = {"id": "concert", "name": "Concert", "type": "concert", "members": ["AAA", "BBB", "CCC"]}
    low = crisis_world([inst], trust=0.01, extra_states=ccc)
    strict = Params().replace(cohesion_floor=0.5)  # a floor above the concert's cohesion
    from secorder.derived import cohesion, institution_strength
    assert (cohesion(low) < 0.5).all()
    low = low.apply({"strength": institution_strength(low.static, low.members, cohesion(low), strict)})
    assert (low.strength == 0).all()
    assert concert.step(low, strict, {"mediate": np.zeros(low.crisis.shape)}) == {}
    sc_high = crisis_world([inst], trust=0.05, extra_states=ccc)
    high = sc_high.apply({"strength": np.full_like(sc_high.strength, 0.6)})
    u = np.random.default_rng(3).random(high.crisis.shape)
    upd = concert.step(high, Params(), {"mediate": u})
    share = (upd["outcome"][:, 0, 1] == OUTCOME["concert"]).mean()
    assert share == pytest.approx(0.6 * 0.6 * 0.5, abs=0.03)  # rate x strength x party-member factor


def cs_world(cohesion_trust):
    ccc = [state("CCC", 2, military_spending=20.0)]
    cs = {"id": "cs", "name": "CS", "type": "collective_security", "members": ["AAA", "BBB", "CCC"], "obligation": 1.0}
    return crisis_world([cs], runs=3, trust=cohesion_trust, extra_states=ccc)


def test_collective_security_coalition_scales_with_cohesion_and_vanishes_below_floor():
    w = cs_world(0.9)
    r, i, j = np.array([0]), np.array([0]), np.array([1])
    low = w.apply({"strength": np.zeros_like(w.strength)})
    assert institutions.coalition_commitment(low, r, i, j)[0, 2] == 0.0
    high = w.apply({"strength": np.full_like(w.strength, 0.7)})
    c = institutions.coalition_commitment(high, r, i, j)[0]
    assert c[2] == pytest.approx(0.7)  # CCC defends BBB against a member aggressor
    assert c[0] == 0.0 and c[1] == 0.0  # neither party defends itself


def test_alliance_does_not_defend_against_its_own_member():
    sc = scenario(
        [state("AAA", 0), state("BBB", 1), state("CCC", 2)],
        institutions=[{"id": "al", "name": "Alliance", "type": "collective_defense",
                       "members": ["AAA", "BBB", "CCC"], "obligation": 1.0}],
    )
    w = world_of(sc).apply({"strength": np.ones((1, 1))})
    r = np.array([0])
    assert institutions.coalition_commitment(w, r, np.array([0]), np.array([1]))[0, 2] == 0.0


def test_institution_strength_rules():
    sc = load_scenario("asia-pacific-2000")
    w = world_of(sc)
    p = Params()
    st = w.static
    coh = np.full((1, st.n_institutions), 0.1)
    strength = institutions.institution_strength(st, w.members, coh, p)
    bilateral = st.inst_type == institutions.BILATERAL
    assert (strength[0, bilateral] == 1.0).all()
    assert (strength[0, ~bilateral] == 0.0).all()  # 0.1 is under the floor


# ------------------------------------------------------------------------ institution dynamics
def test_depth_grows_with_handled_crises_and_falls_with_fights():
    p = Params()
    w = crisis_world([forum(0.5)], runs=2)
    handled = w.handled_by.copy()
    outcome = w.outcome.copy()
    handled[0, 0, 1], outcome[0, 0, 1] = 0, OUTCOME["forum"]
    outcome[1, 0, 1] = OUTCOME["war"]
    w = w.apply({"handled_by": handled, "outcome": outcome})
    depth = institutions.new_depth(w, p)
    assert depth[0, 0] > 0.5 > depth[1, 0]


def test_formation_probability_rises_with_every_condition():
    p = Params()
    base = np.full((1, 4), 0.3)
    p0 = institutions.formation_probability(base, p)[0]
    for c in range(4):
        more = base.copy()
        more[0, c] = 0.8
        assert institutions.formation_probability(more, p)[0] > p0


def test_feasibility_conditions_are_bounded_and_reported():
    res = secorder.simulate("northeast-asia-2003", years=5, runs=20, seed=0)
    for c in institutions.CONDITIONS:
        v = res.system[f"condition_{c}"]
        assert ((v >= 0) & (v <= 1)).all()
    assert res.outcomes["regime_formed_final"].dtype == float


def test_accession_follows_the_decision_rule():
    sc = scenario(
        [state("AAA", 0), state("BBB", 1), state("CCC", 2), state("DDD", 3, satisfaction=1.0)],
        dyads=[{"states": ["AAA", "DDD"], "trust": 0.9}, {"states": ["BBB", "DDD"], "trust": 0.9},
               {"states": ["CCC", "DDD"], "trust": 0.05}],
        institutions=[{"id": "x", "name": "X", "type": "cooperative_forum",
                       "members": ["AAA", "BBB", "CCC", "DDD"], "decision_rule": "consensus"}],
    )
    w = world_of(sc, runs=2)
    members = w.members.copy()
    members[:, 0, 3] = False  # DDD is a charter state outside
    w = w.apply({"members": members})
    assert (institutions.deciding_trust(w, 0, w.trust)[:, 3] == 0.05).all()  # CCC vetoes
    majority = w.replace_static(inst_decision=np.array([1], dtype=np.int8))
    assert institutions.deciding_trust(majority, 0, w.trust)[0, 3] == pytest.approx((0.9 + 0.9 + 0.05) / 3)


# ------------------------------------------------------------------------------- alignment
def test_free_alignment_forms_commitments_against_a_shared_threat_and_fixed_does_not():
    threat = state("TTT", 1.0, military_spending=30.0, gdp=300.0)
    dyads = [{"states": ["AAA", "TTT"], "stakes": 0.8, "animosity": 0.7, "trust": 0.05},
             {"states": ["BBB", "TTT"], "stakes": 0.8, "animosity": 0.7, "trust": 0.05},
             {"states": ["AAA", "BBB"], "trust": 0.8}]
    p = Params().replace(alignment_rate=1.0)
    free = world_of(scenario([state("AAA", 0), state("BBB", 2), threat], dyads=dyads,
                             system={"alignment": "free"}), params=p)
    fixed = world_of(scenario([state("AAA", 0), state("BBB", 2), threat], dyads=dyads), params=p)
    u = np.zeros(free.trust.shape)
    aligned = alignment.step(free, p, {"reconsider": u})["aligned"]
    assert aligned[0, 0, 1] == p.aligned_obligation and aligned[0, 1, 0] == p.aligned_obligation
    assert aligned[0, 0, 2] == 0.0  # no commitment to the threat
    assert "aligned" not in alignment.step(fixed, p, {"reconsider": u})


def test_landscape_diagnostic_on_a_real_scenario():
    w = world_of(load_scenario("northeast-asia-2003"))
    res = landscape_blocs(w, Params())
    a, b = res.blocs()
    assert res.method == "exhaustive"
    assert {"USA", "JPN", "ROK"} <= set(a) | set(b)
    assert ("USA" in a) != ("PRK" in a)  # the two are in different blocs


# ----------------------------------------------------------------------------------- orders
def test_orders_read_off_observables():
    p = Params()
    sc = scenario(
        [state("HEG", 0, gdp=1000.0, military_spending=100.0, major_power=True),
         state("BBB", 1, major_power=True), state("CCC", 2), state("DDD", 3)],
        institutions=[
            {"id": "hub1", "name": "h1", "type": "bilateral_alliance", "members": ["HEG", "CCC"], "obligation": 0.9},
            {"id": "concert", "name": "c", "type": "concert", "members": ["HEG", "BBB"]},
        ],
    )
    # a concert without cohesion (cohesion is the geometric mean of trust, reliability and
    # satisfaction, so the start values alone would make it cohesive)
    w = world_of(sc, runs=3)
    w = w.apply({"cohesion": np.zeros_like(w.cohesion)})
    code, layered, index = classify(w, p)
    assert code[0] == ORDER_CODE["hegemonic"]  # capability share ~0.7, committed to 1/3 of others
    cohesive = w.apply({"cohesion": np.array([[1.0, 0.9]] * 3)})
    assert classify(cohesive, p)[0][0] == ORDER_CODE["concert"]
    weak_leader = w.apply({"mil_stock": np.full_like(w.mil_stock, 20.0), "gdp": np.full_like(w.gdp, 100.0)})
    assert classify(weak_leader, p)[0][0] == ORDER_CODE["balance_of_power"]
    community = cohesive.apply({"community": np.array([[False, True]] * 3)})
    # the concert's 2 of 4 states span 1 of the region's 6 pairs: a community among them is a
    # pocket, not the region's order (counting states, 2 of 4 met order_coverage 0.5)
    assert classify(community, p)[0][0] == ORDER_CODE["concert"]
    assert classify(community, p.replace(order_coverage=1 / 6))[0][0] == ORDER_CODE["security_community"]
    # a client that fears the leader is no spoke: the hub-and-spoke network is empty
    belief = w.belief.copy()
    belief[:, 2, 0] = 0.9  # CCC believes HEG aggressive
    assert classify(w.apply({"belief": belief}), p)[0][0] == ORDER_CODE["balance_of_power"]
    assert ((index >= 0) & (index <= 1)).all()


def test_event_log_names_the_layer_and_who_intervened():
    res = secorder.simulate("asia-pacific-2000", years=10, runs=200, seed=3)
    ev = res.events
    assert set(ev["outcome"].unique()) <= {"forum", "concert", "deterrence", "settlement", "dispute", "war"}
    forum_rows = ev[ev["outcome"] == "forum"]
    assert len(forum_rows) > 0 and (forum_rows["handled_by"] != "").all()
    assert (ev.loc[ev["outcome"].isin(["deterrence", "settlement"]), "handled_by"] == "").all()
    joined = ev.loc[ev["allies_joined"] != "", "allies_joined"]
    assert joined.str.match(r"^[A-Z]{2,4}(;[A-Z]{2,4})*$").all()
    summary = res.summary()
    for layer in ("forum", "concert", "deterrence", "settlement", "dispute", "war"):
        assert f"ended_{layer}_per_decade" in summary.index
