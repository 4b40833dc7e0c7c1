"""Unit tests of each active mechanism and its pure helpers, on hand-made arrays.

Worlds come from the small scenario (USA, CHN, JPN, PRK, ROK, TAW; a US-Japan and a US-ROK
alliance and a forum of everyone but Taiwan) with hand-set values applied through
``World.apply``; uniforms are chosen by hand wherever a channel can be checked exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

from secorder.derived import capability, commitments, proximity
from secorder.mechanisms import (
    arms,
    beliefs,
    bookkeeping,
    deterrence,
    economy,
    escalation,
    initial_world,
    onset,
    shocks,
    war,
)
from secorder.mechanisms.base import expit, logit, normal_from_uniform
from secorder.scenario import load_scenario
from secorder.world import ECONOMIC_TYPE_CODE, OPEN, OUTCOME, World
from tests.conftest import uniforms

USA, CHN, JPN, PRK, ROK, TAW = range(6)
US_JAPAN, US_ROK, ARF = range(3)


@pytest.fixture
def world(small_world: World) -> World:
    """The four-run small world, with the state and institution order these tests rely on."""
    assert small_world.static.codes == ("USA", "CHN", "JPN", "PRK", "ROK", "TAW")
    assert small_world.static.inst_ids == ("us-japan", "us-rok", "arf")
    return small_world


def with_static(world: World, **changes) -> World:
    """The same world with some static facts replaced."""
    return world.replace_static(**changes)


def set_pair(a: np.ndarray, i: int, j: int, value, symmetric: bool = True) -> np.ndarray:
    """A copy of a (R,N,N) array with entry (i, j) (and (j, i)) set in every run."""
    out = a.copy()
    out[:, i, j] = value
    if symmetric:
        out[:, j, i] = value
    return out


def set_state(a: np.ndarray, i: int, value) -> np.ndarray:
    out = a.copy()
    out[:, i] = value
    return out


def with_crisis(world: World, i: int, j: int, outcome: int, fight: bool = False) -> World:
    """A world whose only crisis this year is i -> j, ended with the given outcome code."""
    shape = world.crisis.shape
    crisis = np.zeros(shape, dtype=bool)
    crisis[:, i, j] = True
    out = np.zeros(shape, dtype=np.int8)
    out[:, i, j] = outcome
    fights = np.zeros(shape, dtype=bool)
    fights[:, i, j] = fight
    return world.apply({"crisis": crisis, "outcome": out, "fight": fights})


def off_diagonal(n: int) -> np.ndarray:
    return ~np.eye(n, dtype=bool)


# ---------------------------------------------------------------------------------------------
# 1 shocks


def test_growth_rates_median_draw_is_trend():
    """Channel: growth = trend + sd * z, and u = 0.5 means z = 0 exactly."""
    trend = np.array([0.03, 0.08, -0.01])
    g = shocks.growth_rates(trend, np.full((2, 3), 0.5), sd=0.05)
    np.testing.assert_array_equal(g, np.broadcast_to(trend, (2, 3)))


def test_growth_rates_rise_with_the_draw_and_are_floored():
    """Growth is monotone in the uniform and never below -0.5 (GDP stays positive)."""
    u = np.array([[1e-15, 0.1, 0.5, 0.9]])
    g = shocks.growth_rates(np.zeros(4), u, sd=0.3)
    assert np.all(np.diff(g[0]) > 0)
    assert g[0, 0] == -0.5
    np.testing.assert_allclose(g[0, 3], 0.3 * 1.2815515655446004)


def test_shocks_gdp_multiplies_by_one_plus_growth(world, params):
    """GDP_t+1 = GDP_t * (1 + growth), with the growth it reports."""
    r, n = world.n_runs, world.n_states
    draws = {"growth": uniforms(1, (r, n)), "threat": uniforms(2, (r,)),
             "threat_hit": uniforms(3, (r, n))}
    up = shocks.step(world, params, draws)
    np.testing.assert_allclose(up["gdp"], world.gdp * (1.0 + up["growth"]))
    assert not np.allclose(up["growth"], world.static.trend_growth)  # the noise is there


def test_threat_level_ar1_and_bounds(params):
    """Median draw: exact AR(1) step toward the base; extreme draws stay inside [0, 1]."""
    rho = params.threat_persistence
    t = np.array([0.0, 0.2, 1.0])
    nxt = shocks.threat_level(t, 0.3, np.full(3, 0.5), params)
    np.testing.assert_allclose(nxt, rho * t + (1 - rho) * 0.3)
    wild = params.replace(threat_noise_sd=0.4)
    for u in (1e-15, 1 - 1e-15):
        lvl = shocks.threat_level(t, 0.3, np.full(3, u), wild)
        assert np.all((lvl >= 0.0) & (lvl <= 1.0))
    assert shocks.threat_level(t, 0.3, np.full(3, 1e-15), wild)[0] == 0.0
    assert shocks.threat_level(t, 0.3, np.full(3, 1 - 1e-15), wild)[2] == 1.0


def test_no_threat_hits_when_threat_level_is_zero(world, params):
    """threat_hit: u < threat * hit_rate, so a zero threat level hits nobody (even u = 0)."""
    r, n = world.n_runs, world.n_states
    calm = with_static(world, threat_base=0.0).apply({"threat": np.zeros(r)})
    hit_u = uniforms(4, (r, n))
    hit_u[0] = 0.0
    draws = {"growth": uniforms(1, (r, n)), "threat": np.full(r, 0.5), "threat_hit": hit_u}
    up = shocks.step(calm, params, draws)
    np.testing.assert_array_equal(up["threat"], 0.0)
    assert not up["threat_hit"].any()


def test_threat_hits_follow_the_level(world, params):
    """At threat level 1, a state is hit exactly when its uniform is below threat_hit_rate."""
    r, n = world.n_runs, world.n_states
    hot = with_static(world, threat_base=1.0).apply({"threat": np.ones(r)})
    hit_u = uniforms(5, (r, n))
    draws = {"growth": uniforms(1, (r, n)), "threat": np.full(r, 0.5), "threat_hit": hit_u}
    up = shocks.step(hot, params, draws)
    np.testing.assert_array_equal(up["threat_hit"], hit_u < params.threat_hit_rate)


# ---------------------------------------------------------------------------------------------
# 3 economy


def _trade_inputs(r: int = 2, n: int = 3):
    growth = np.array([[0.03, 0.08, 0.0], [0.05, -0.02, 0.01]])[:r, :n]
    return growth, np.zeros(n), np.zeros((r, n, n), bool), np.zeros((r, n, n), np.int8)


def test_trade_growth_is_gravity_without_disputes(params):
    """Channel: log trade change = 0.5 * elasticity * (log1p g_i + log1p g_j)."""
    growth, openness, econ, fought = _trade_inputs()
    f = economy.trade_growth_factor(growth, openness, econ, fought, params)
    lg = np.log1p(growth)
    expected = np.exp(0.5 * params.trade_gdp_elasticity * (lg[:, :, None] + lg[:, None, :]))
    np.testing.assert_allclose(f, expected, rtol=1e-14)
    p2 = params.replace(trade_gdp_elasticity=0.5)
    f2 = economy.trade_growth_factor(growth, openness, econ, fought, p2)
    np.testing.assert_allclose(np.log(f2), 0.5 * np.log(f), atol=1e-14)


@pytest.mark.parametrize(
    ("code", "name"), [("dispute", "dispute_trade_damping"), ("war", "war_trade_damping")]
)
def test_trade_damped_after_dispute_or_war(params, code, name):
    """A dispute (war) last year cuts the pair's trade by exp(-dispute (war) damping)."""
    growth, openness, econ, fought = _trade_inputs()
    base = economy.trade_growth_factor(growth, openness, econ, fought, params)
    hit = set_pair(fought, 0, 1, OUTCOME[code])
    f = economy.trade_growth_factor(growth, openness, econ, hit, params)
    ratio = f / base
    np.testing.assert_allclose(ratio[:, 0, 1], np.exp(-getattr(params, name)))
    np.testing.assert_allclose(ratio[:, 1, 0], np.exp(-getattr(params, name)))
    untouched = np.ones((3, 3), bool)
    untouched[0, 1] = untouched[1, 0] = False
    np.testing.assert_allclose(ratio[:, untouched], 1.0)


def test_trade_not_damped_by_a_crisis_a_forum_settled(params):
    """A crisis ended by a forum is not militarised and leaves trade alone."""
    growth, openness, econ, fought = _trade_inputs()
    base = economy.trade_growth_factor(growth, openness, econ, fought, params)
    f = economy.trade_growth_factor(
        growth, openness, econ, set_pair(fought, 0, 1, OUTCOME["forum"]), params)
    np.testing.assert_array_equal(f, base)


def test_trade_raised_by_openness_and_economic_institution(params):
    """Opening up adds the partners' mean openness; a shared economic institution adds its bonus."""
    growth, openness, econ, fought = _trade_inputs()
    base = economy.trade_growth_factor(growth, openness, econ, fought, params)
    open_ = economy.trade_growth_factor(growth, np.array([0.1, 0.0, 0.0]), econ, fought, params)
    np.testing.assert_allclose(open_[:, 0, 1] / base[:, 0, 1], np.exp(0.05))
    np.testing.assert_allclose(open_[:, 1, 2] / base[:, 1, 2], 1.0)
    shared = economy.trade_growth_factor(growth, openness, set_pair(econ, 1, 2, True), fought, params)
    np.testing.assert_allclose(
        shared[:, 1, 2] / base[:, 1, 2], np.exp(params.econ_institution_trade_growth))


def test_economy_step_uses_shared_economic_institutions(world, params):
    """In the step, making the forum an economic institution raises its members' trade only."""
    types = world.static.inst_type.copy()
    base = economy.step(world, params, {})["trade"]
    types[ARF] = ECONOMIC_TYPE_CODE
    econ_world = with_static(world, inst_type=types)
    up = economy.step(econ_world, params, {})["trade"]
    bonus = np.exp(params.econ_institution_trade_growth)
    np.testing.assert_allclose(up[:, USA, CHN], base[:, USA, CHN] * bonus)
    np.testing.assert_allclose(up[:, CHN, TAW], base[:, CHN, TAW])  # Taiwan is not a member


def test_economy_step_multiplies_trade(world, params):
    """trade_t+1 = trade_t * factor, and the dependence helper divides by the actor's GDP."""
    up = economy.step(world, params, {})["trade"]
    f = economy.trade_growth_factor(world.growth, world.static.openness, np.zeros_like(world.crisis),
                                    world.fought_last, params)
    ok = world.trade > 0
    assert ok.any()
    np.testing.assert_allclose(up[ok] / world.trade[ok], f[ok], rtol=1e-12)
    dep = economy.dependence(world.trade, world.gdp)
    np.testing.assert_allclose(dep[:, USA, JPN], 210.0 / 10000.0)
    np.testing.assert_allclose(dep[:, JPN, USA], 210.0 / 4900.0)


# ---------------------------------------------------------------------------------------------
# 4 beliefs


def _quiet_noise(world: World) -> dict[str, np.ndarray]:
    return {"noise": np.full(world.belief.shape, 0.5)}


def test_beliefs_unchanged_without_signal_or_noise(world, params):
    """Belief at its anchor, no arms growth, no defence moves, no disputes, z = 0: no change."""
    b = beliefs.step(world, params, _quiet_noise(world))["belief"]
    np.testing.assert_allclose(b, world.belief, atol=1e-12)


def test_beliefs_decay_toward_anchor(world, params):
    """logit b' = rho * logit b + (1 - rho) * logit anchor."""
    moved = world.apply({"belief": set_pair(world.belief, CHN, JPN, 0.8, symmetric=False)})
    b = beliefs.step(moved, params, _quiet_noise(world))["belief"]
    rho = params.belief_persistence
    expected = expit(rho * logit(0.8) + (1 - rho) * logit(world.belief_anchor[:, CHN, JPN]))
    np.testing.assert_allclose(b[:, CHN, JPN], expected)


def test_arms_growth_beyond_trend_raises_beliefs_about_the_builder(world, params):
    """j's spending growth above its GDP trend shifts everyone's logit belief about j."""
    milex = set_state(world.milex, CHN, world.milex[:, CHN] * 1.2)
    b = beliefs.step(world.apply({"milex": milex}), params, _quiet_noise(world))["belief"]
    shift = logit(b) - logit(world.belief)
    excess = np.log(1.2) - world.static.trend_growth[CHN]
    others = [USA, JPN, PRK, ROK, TAW]
    np.testing.assert_allclose(shift[:, others, CHN], params.belief_arms_signal * excess, atol=1e-9)
    np.testing.assert_allclose(np.delete(b, CHN, axis=2), np.delete(world.belief, CHN, axis=2),
                               atol=1e-12)


def test_arms_growth_within_trend_is_no_signal(world, params):
    """Spending that grows no faster than the economy's trend is not read as aggression."""
    milex = set_state(world.milex, CHN, world.milex[:, CHN] * np.exp(0.05))  # trend is 0.08
    b = beliefs.step(world.apply({"milex": milex}), params, _quiet_noise(world))["belief"]
    np.testing.assert_allclose(b, world.belief, atol=1e-12)


def test_md_exposure_needs_strike_force_and_quarrel():
    """md_exposure[i, j] = strike_i if i and j have a quarrel, else 0."""
    strike = np.array([1.0, 0.0, 0.5])
    stakes = np.zeros((1, 3, 3))
    stakes[0, 0, 1] = 0.4  # 0 claims against 1
    animosity = np.zeros((1, 3, 3))
    animosity[0, 1, 2] = animosity[0, 2, 1] = 0.3
    rival = beliefs.rivalry(stakes, animosity)
    exp = beliefs.md_exposure(strike, rival)
    expected = np.array([[0, 1, 0], [0, 0, 0], [0, 0.5, 0]], dtype=float)
    np.testing.assert_array_equal(exp[0], expected)


def test_missile_defence_alarms_only_strike_capable_rivals(world, params):
    """ROK's new defence: PRK (quarrel, no strike force) and CHN (strike, no quarrel) are calm;
    give PRK a strike force and its belief about ROK rises by md_signal * rise."""
    md = set_state(world.missile_defense, ROK, 0.4)
    w_md = world.apply({"missile_defense": md})
    b = beliefs.step(w_md, params, _quiet_noise(world))["belief"]
    np.testing.assert_allclose(b, world.belief, atol=1e-12)

    strike = world.static.strike.copy()
    strike[PRK] = 1.0
    b2 = beliefs.step(with_static(w_md, strike=strike), params, _quiet_noise(world))["belief"]
    shift = logit(b2) - logit(world.belief)
    np.testing.assert_allclose(shift[:, PRK, ROK], params.belief_md_signal * 0.4, atol=1e-9)
    rest = np.ones((6, 6), bool)
    rest[PRK, ROK] = False
    np.testing.assert_allclose(b2[:, rest], world.belief[:, rest], atol=1e-12)


def test_missile_defence_standing_still_is_no_signal(world, params):
    """Only a rise of coverage is a signal; an existing, unchanged defence is not."""
    md = set_state(world.missile_defense, JPN, 0.4)
    w_md = world.apply({"missile_defense": md, "missile_defense_prev": md.copy()})
    b = beliefs.step(w_md, params, _quiet_noise(world))["belief"]
    np.testing.assert_allclose(b, world.belief, atol=1e-12)


@pytest.mark.parametrize(("code", "name"), [("dispute", "belief_dispute_signal"),
                                            ("war", "belief_war_signal")])
def test_dispute_and_war_raise_beliefs(world, params, code, name):
    """A dispute (war) last year shifts both sides' logit beliefs by the dispute (war) signal."""
    fought = set_pair(world.fought_last, CHN, JPN, OUTCOME[code])
    b = beliefs.step(world.apply({"fought_last": fought}), params, _quiet_noise(world))["belief"]
    shift = logit(b) - logit(world.belief)
    np.testing.assert_allclose(shift[:, CHN, JPN], getattr(params, name), atol=1e-9)
    np.testing.assert_allclose(shift[:, JPN, CHN], getattr(params, name), atol=1e-9)


def test_forum_transparency_shrinks_misperception(world, params):
    """With a forum of transparency 1 and depth 1, members' logit noise is scaled by
    1 - transparency_precision against no forum; pairs outside the forum see the full noise."""
    n = world.n_states
    half = np.where(off_diagonal(n), 0.5, 0.0)[None].repeat(world.n_runs, axis=0)
    flat = world.apply({"belief": half, "belief_anchor": half.copy()})
    u = {"noise": np.clip(uniforms(7, world.belief.shape), 0.01, 0.99)}

    def forum(transparency: float, depth: float) -> World:
        t = world.static.inst_transparency.copy()
        t[ARF] = transparency
        return with_static(flat, inst_transparency=t).apply(
            {"depth": set_state(world.depth, ARF, depth)})

    plain = beliefs.step(forum(0.0, 1.0), params, u)["belief"]
    clear = beliefs.step(forum(1.0, 1.0), params, u)["belief"]
    shallow = beliefs.step(forum(1.0, 0.0), params, u)["belief"]

    members = [USA, CHN, JPN, PRK, ROK]
    inside = np.zeros((n, n), bool)
    inside[np.ix_(members, members)] = True
    inside &= off_diagonal(n)
    z = normal_from_uniform(u["noise"])
    np.testing.assert_allclose(logit(plain)[:, off_diagonal(n)],
                               params.belief_noise_sd * z[:, off_diagonal(n)], atol=1e-9)
    scale = 1.0 - params.transparency_precision
    np.testing.assert_allclose(logit(clear)[:, inside], scale * logit(plain)[:, inside], atol=1e-9)
    outside = off_diagonal(n) & ~inside
    np.testing.assert_allclose(clear[:, outside], plain[:, outside])
    np.testing.assert_allclose(shallow, plain)  # a forum with no depth removes no noise
    assert np.std(logit(clear)[:, inside]) < 0.5 * np.std(logit(plain)[:, inside])


def test_beliefs_stay_in_bounds_with_extreme_noise(world, params):
    """Even with the largest noise and extreme draws, beliefs stay in [0.01, 0.99]; diagonal 0."""
    p = params.replace(belief_noise_sd=1.0)
    u = np.where(uniforms(8, world.belief.shape) < 0.5, 1e-15, 1 - 1e-15)
    b = beliefs.step(world, p, {"noise": u})["belief"]
    off = off_diagonal(world.n_states)
    assert np.all((b[:, off] >= 0.01) & (b[:, off] <= 0.99))
    assert np.all(b[:, ~off] == 0.0)


# ---------------------------------------------------------------------------------------------
# 8 arms


def test_richardson_step_arithmetic():
    """x' = x + k*T - alpha*x + g, exactly."""
    x = np.array([[100.0, 10.0]])
    t = np.array([[50.0, 0.0]])
    g = np.array([[3.0, -1.0]])
    out = arms.richardson_step(x, t, 0.1, 0.15, g)
    np.testing.assert_allclose(out, [[100 + 5 - 15 + 3, 10 + 0 - 1.5 - 1]])


def test_md_gap_formula():
    """gap = weight * md / (1 - md), with coverage capped at 0.95."""
    md = np.array([[0.0, 0.5, 0.75, 0.99]])
    np.testing.assert_allclose(arms.md_gap(md, 2.0), [[0.0, 2.0, 6.0, 2.0 * 0.95 / 0.05]])


def test_start_year_is_the_fixed_point(world, params):
    """The grievance baseline is calibrated so the arms step leaves starting spending unchanged."""
    up = arms.step(world, params, {})
    np.testing.assert_allclose(up["milex"], world.milex, rtol=1e-12)
    np.testing.assert_array_equal(up["milex_prev"], world.milex)


def test_military_stock_depreciates_and_accumulates(world, params):
    """stock' = (1 - depreciation) * stock + spending'."""
    up = arms.step(world, params, {})
    np.testing.assert_allclose(
        up["mil_stock"], (1 - params.military_depreciation) * world.mil_stock + up["milex"])


def test_missile_defence_provokes_strike_capable_rival_only(world, params):
    """Japan's defence raises China's spending (strike force, quarrel) by k_eff * weight * gap *
    Japan's spending; the USA (strike force, no quarrel) and states without strike forces do
    not react."""
    base = arms.step(world, params, {})["milex"]
    md = 0.5
    w_md = world.apply({"missile_defense": set_state(world.missile_defense, JPN, md)})
    up = arms.step(w_md, params, {})["milex"]
    delta = up - base
    k_eff = params.arms_reaction * (1 - params.arms_norm_damping * world.norms[:, CHN])
    prox = proximity(world.static, params)[CHN, JPN]
    binding = 1 - params.arms_binding_damping * world.depth[:, ARF]
    weight = world.belief[:, CHN, JPN] * prox * (1 - world.trust[:, CHN, JPN]) * binding
    gap = params.arms_md_gap * md / (1 - md)
    np.testing.assert_allclose(delta[:, CHN], k_eff * weight * gap * world.milex[:, JPN])
    assert np.all(delta[:, CHN] > 0)
    np.testing.assert_allclose(np.delete(delta, CHN, axis=1), 0.0, atol=1e-12)


def test_beliefs_raise_spending(world, params):
    """A stronger belief that a rival is aggressive raises one's spending."""
    base = arms.step(world, params, {})["milex"]
    b = set_pair(world.belief, PRK, ROK, 0.95, symmetric=False)
    up = arms.step(world.apply({"belief": b}), params, {})["milex"]
    assert np.all(up[:, PRK] > base[:, PRK])
    np.testing.assert_allclose(np.delete(up, PRK, axis=1), np.delete(base, PRK, axis=1))


def test_norms_damp_the_arms_reaction(world, params):
    """Full norm internalisation cuts the reaction to a new threat by arms_norm_damping."""
    b = set_pair(world.belief, CHN, JPN, 0.95, symmetric=False)

    def reaction(norm: float) -> np.ndarray:
        w = world.apply({"norms": np.full_like(world.norms, norm)})
        return (arms.step(w.apply({"belief": b}), params, {})["milex"]
                - arms.step(w, params, {})["milex"])[:, CHN]

    np.testing.assert_allclose(reaction(1.0), (1 - params.arms_norm_damping) * reaction(0.0))
    assert np.all(reaction(0.0) > 0)


def test_allies_substitute_for_own_spending(world, params):
    """South Korea's perceived threat is lowered by arms_ally_substitution x the USA's credible
    help (commitment x proximity x reliability x spending); an unreliable ally gives none."""
    unreliable = world.apply({"reliability": set_state(world.reliability, USA, 0.0)})
    t_allied = arms.perceived_threat(world, params)[:, ROK]
    t_alone = arms.perceived_threat(unreliable, params)[:, ROK]
    commit = commitments(world)[:, USA, ROK]
    help_ = commit * proximity(world.static, params)[USA, ROK] * world.reliability[:, USA] \
        * world.milex[:, USA]
    assert np.all(help_ > 0)
    expected = np.maximum(t_alone - params.arms_ally_substitution * help_, 0.0)
    np.testing.assert_allclose(t_allied, expected)
    assert np.all(t_alone > t_allied)


def test_budget_ceiling_holds(world, params):
    """Spending never exceeds max_burden * GDP, and is cut exactly to it when it would."""
    poor = world.apply({"gdp": world.milex * 2.0})  # burden 50% > max_burden 25%
    up = arms.step(poor, params, {})["milex"]
    np.testing.assert_allclose(up, params.max_burden * poor.gdp)
    hot = world.apply({"belief": np.where(off_diagonal(6), 0.99, 0.0)[None].repeat(4, axis=0)})
    up2 = arms.step(hot, params.replace(arms_reaction=0.4), {})["milex"]
    assert np.all(up2 <= params.max_burden * world.gdp * (1 + 1e-12))


def test_spending_never_negative_and_floored(world, params):
    """A large negative grievance term drives spending down to the floor (a share of the starting
    burden), and to zero -- never below -- when the floor is switched off."""
    w = world.apply({"arms_baseline": np.full_like(world.arms_baseline, -1.0)})
    up = arms.step(w, params, {})
    np.testing.assert_allclose(up["milex"], params.arms_floor_share * w.start_burden * w.gdp)
    no_floor = arms.step(w, params.replace(arms_floor_share=0.0), {})
    np.testing.assert_array_equal(no_floor["milex"], 0.0)
    assert np.all(up["mil_stock"] >= 0) and np.all(no_floor["mil_stock"] >= 0)


# ---------------------------------------------------------------------------------------------
# 9 onset


def test_peace_spline_values(params):
    """The cubic in peace years: b1 t + b2 t^2/100 + b3 t^3/1000 (the onset logit, docs/model.md section 8), held past 40."""
    b1, b2, b3 = -0.21, 0.34, -0.015
    t = np.array([0.0, 1.0, 10.0, 40.0, 60.0])
    s = onset.peace_spline(t, params)
    np.testing.assert_allclose(s[:3], [0.0, b1 + b2 / 100 + b3 / 1000, 10 * b1 + b2 + b3],
                               atol=1e-12)
    np.testing.assert_allclose(s[2], -1.775)
    assert s[4] == s[3]


def test_transition_log_multiplier(params):
    """Parity gives log(parity multiplier); far from parity 0; a dissatisfied, faster-growing
    weaker side at parity adds log(overtaking multiplier)."""
    cap = np.array([[0.3, 0.3, 0.03, 0.27]])
    growth = np.array([[0.02, 0.02, 0.02, 0.08]])
    sat = np.array([[0.9, 0.9, 0.9, 0.2]])
    m = onset.transition_log_multiplier(cap, growth, sat, params)
    lp = np.log(params.transition_parity_multiplier)
    lo = np.log(params.transition_overtaking_multiplier)
    assert m[0, 0, 1] == pytest.approx(lp)
    assert m[0, 1, 0] == pytest.approx(lp)
    assert m[0, 0, 2] == 0.0 and m[0, 2, 0] == 0.0
    assert m[0, 3, 0] == pytest.approx(lp + lo)  # weaker, faster, dissatisfied challenger
    assert m[0, 0, 3] == pytest.approx(lp)  # the leader at parity: no overtaking term
    satisfied = onset.transition_log_multiplier(cap, growth, np.full((1, 4), 0.9), params)
    assert satisfied[0, 3, 0] == pytest.approx(lp)


def test_hazard_is_a_probability_with_zero_diagonal(world, params):
    """Directed hazards lie in (0, 1) off the diagonal and are 0 on it."""
    h = onset.onset_hazard(world, params)
    assert h.shape == world.crisis.shape
    assert np.all((h >= 0) & (h <= 1))
    assert np.all(h[:, np.arange(6), np.arange(6)] == 0)
    assert np.all(h[:, off_diagonal(6)] > 0)


def test_stakes_raise_the_hazard(world, params):
    """Raising i's stake against j moves only the logit of i -> j, by onset_stakes * change."""
    stakes = set_pair(world.stakes, CHN, JPN, world.stakes[0, CHN, JPN] + 0.4, symmetric=False)
    diff = onset.onset_logit(world.apply({"stakes": stakes}), params) - onset.onset_logit(world, params)
    np.testing.assert_allclose(diff[:, CHN, JPN], params.onset_stakes * 0.4)
    rest = np.ones((6, 6), bool)
    rest[CHN, JPN] = False
    np.testing.assert_allclose(diff[:, rest], 0.0, atol=1e-12)
    assert np.all(onset.onset_hazard(world.apply({"stakes": stakes}), params)[:, CHN, JPN]
                  > onset.onset_hazard(world, params)[:, CHN, JPN])


def test_noncontiguity_lowers_the_hazard(world, params):
    """Cutting the China-Taiwan sea link adds onset_noncontiguous to both directions' logit."""
    contig = world.static.contiguity.copy()
    contig[CHN, TAW] = contig[TAW, CHN] = 0
    far = with_static(world, contiguity=contig)
    diff = onset.onset_logit(far, params) - onset.onset_logit(world, params)
    np.testing.assert_allclose(diff[:, CHN, TAW], params.onset_noncontiguous)
    np.testing.assert_allclose(diff[:, TAW, CHN], params.onset_noncontiguous)
    assert np.all(onset.onset_hazard(far, params)[:, CHN, TAW]
                  < onset.onset_hazard(world, params)[:, CHN, TAW])


def test_misperception_and_dissatisfaction_raise_the_hazard(world, params):
    """Belief above 0.5 and dissatisfaction enter the challenger's logit with their weights."""
    b = set_pair(world.belief, PRK, ROK, 0.9, symmetric=False)  # was about 0.76
    diff = onset.onset_logit(world.apply({"belief": b}), params) - onset.onset_logit(world, params)
    expected = params.onset_misperception * (0.9 - world.belief[:, PRK, ROK])
    np.testing.assert_allclose(diff[:, PRK, ROK], expected)
    sat = set_state(world.satisfaction, TAW, 0.0)
    diff2 = onset.onset_logit(world.apply({"satisfaction": sat}), params) - onset.onset_logit(
        world, params)
    for j in (USA, CHN):
        np.testing.assert_allclose(diff2[:, TAW, j],
                                   params.onset_dissatisfaction * world.satisfaction[:, TAW])


def test_draw_crises_one_direction_per_pair():
    """At most one direction per pair, never the diagonal, even at certain hazard."""
    h = uniforms(10, (50, 6, 6))
    c = onset.draw_crises(h, uniforms(11, (50, 6, 6)))
    assert not (c & np.swapaxes(c, 1, 2)).any()
    assert not c[:, np.arange(6), np.arange(6)].any()
    assert c.any()
    sure = onset.draw_crises(np.ones((1, 4, 4)), np.full((1, 4, 4), 0.3))
    np.testing.assert_array_equal(sure[0], np.triu(np.ones((4, 4), bool), k=1))


def test_draw_crises_deeper_draw_wins():
    """If both sides draw a crisis, the one whose draw fell deeper under its hazard challenges."""
    h = np.array([[[0.0, 0.5], [0.2, 0.0]]])
    u = np.array([[[0.0, 0.3], [0.1, 0.0]]])  # depths 0.6 (0->1) vs 0.5 (1->0)
    c = onset.draw_crises(h, u)
    assert c[0, 1, 0] and not c[0, 0, 1]
    only = onset.draw_crises(h, np.array([[[0.0, 0.3], [0.9, 0.0]]]))
    assert only[0, 0, 1] and not only[0, 1, 0]


def test_draw_crises_pair_frequency():
    """A pair has a crisis with probability 1 - (1 - h_ij)(1 - h_ji) (tolerance 5 SE)."""
    n = 200_000
    h = np.zeros((n, 2, 2))
    h[:, 0, 1], h[:, 1, 0] = 0.3, 0.2
    c = onset.draw_crises(h, uniforms(12, (n, 2, 2)))
    p = 1 - 0.7 * 0.8
    freq = (c[:, 0, 1] | c[:, 1, 0]).mean()
    assert abs(freq - p) < 5 * np.sqrt(p * (1 - p) / n)


def test_onset_step_opens_crises_and_resets_the_year(world, params):
    """Crises are OPEN, other dyads 0; last year's fights, deaths and allies are cleared."""
    stale = world.apply({"fight": np.ones_like(world.fight), "deaths": np.ones_like(world.deaths),
                         "ally_cost": np.ones_like(world.ally_cost)})
    u = uniforms(13, world.crisis.shape) * 0.05
    no_dispute = np.zeros_like(world.peace_years)
    stale = stale.apply({"dispute_years": no_dispute})
    persist = uniforms(14, world.crisis.shape)
    up = onset.step(stale, params, {"onset": u, "persist": persist})
    c = up["crisis"]
    assert c.any()
    np.testing.assert_array_equal(up["outcome"], np.where(c, OPEN, 0))
    assert up["outcome"].dtype == np.int8
    assert not up["fight"].any() and not up["deaths"].any() and not up["ally_cost"].any()
    assert not up["joined"].any() and not up["abandoned"].any()
    none = onset.step(stale, params, {"onset": np.full(world.crisis.shape, 1 - 1e-12), "persist": persist})
    assert not none["crisis"].any()


def test_active_disputes_go_on_by_age_and_symmetrically():
    """A dispute goes on with dispute_continue_first after its first year, dispute_continue_later
    after that; one draw per pair, so both directions agree; a pair without a dispute never goes on."""
    from secorder.params import Params
    p = Params()
    years = np.zeros((1, 4, 4))
    years[0, 0, 1] = years[0, 1, 0] = 1.0  # first year
    years[0, 2, 3] = years[0, 3, 2] = 3.0  # third year
    u = np.full((1, 4, 4), 0.9)
    u[0, 0, 1] = p.dispute_continue_first - 1e-6   # just under: goes on
    u[0, 1, 0] = 0.99                              # the lower triangle is not read
    u[0, 2, 3] = p.dispute_continue_first + 1e-6   # above the first-year rate, below the later one
    go_on = onset.continuing_disputes(years, u, p)
    np.testing.assert_array_equal(go_on, np.swapaxes(go_on, 1, 2))
    assert go_on[0, 0, 1] and go_on[0, 2, 3] and go_on.sum() == 4
    assert not onset.continuing_disputes(np.zeros((1, 4, 4)), np.zeros((1, 4, 4)), p).any()


def test_dispute_durations_follow_the_continuation_rates():
    """Run the yearly go-on draw over many disputes: the share reaching a second and a third year
    match the parameters (the MID continuation rates), so the mean length is 1 + p1 + p1 p2 / (1 - p2)."""
    from secorder.params import Params
    p = Params()
    runs = 20_000
    years = np.zeros((runs, 2, 2))
    years[:, 0, 1] = years[:, 1, 0] = 1.0
    rng = np.random.default_rng(5)
    lengths = np.ones(runs)
    for _ in range(60):
        go_on = onset.continuing_disputes(years, rng.random(years.shape), p)
        years = np.where(go_on, years + 1, 0.0)
        lengths += go_on[:, 0, 1]
    p1, p2 = p.dispute_continue_first, p.dispute_continue_later
    assert (lengths >= 2).mean() == pytest.approx(p1, abs=0.01)
    assert (lengths >= 3).mean() / (lengths >= 2).mean() == pytest.approx(p2, abs=0.03)
    assert lengths.mean() == pytest.approx(1 + p1 + p1 * p2 / (1 - p2), rel=0.03)


def test_no_new_crisis_between_a_pair_whose_dispute_goes_on(world, params):
    """Where the pair's dispute goes on, no crisis starts in either direction even with a sure
    onset draw; `ongoing` and `disputed_last` report the spell."""
    years = set_pair(np.zeros_like(world.peace_years), PRK, ROK, 1.0)
    w = world.apply({"dispute_years": years})
    sure = np.zeros(world.crisis.shape)
    goes_on = onset.step(w, params, {"onset": sure, "persist": np.zeros(world.crisis.shape)})
    assert not goes_on["crisis"][:, PRK, ROK].any() and not goes_on["crisis"][:, ROK, PRK].any()
    assert goes_on["ongoing"][:, PRK, ROK].all() and goes_on["ongoing"].sum() == 2 * world.n_runs
    np.testing.assert_array_equal(goes_on["disputed_last"], years > 0)
    ends = onset.step(w, params, {"onset": sure, "persist": np.ones(world.crisis.shape)})
    assert not ends["ongoing"].any()
    assert (ends["crisis"][:, PRK, ROK] | ends["crisis"][:, ROK, PRK]).all()  # ended: a new onset may follow


# ---------------------------------------------------------------------------------------------
# 10c deterrence


def test_breakdown_probability_analytic():
    """P(fight | crisis) = max(0, (1 - c_A / c_bar) / 2)."""
    assert deterrence.breakdown_probability(0.25, 0.6) == pytest.approx(0.2916667, abs=1e-6)
    assert deterrence.breakdown_probability(0.0, 0.6) == pytest.approx(0.5)
    assert deterrence.breakdown_probability(0.6, 0.6) == 0.0
    assert deterrence.breakdown_probability(0.9, 0.6) == 0.0


@pytest.mark.parametrize(("c_a", "c_bar"), [(0.25, 0.6), (0.1, 0.3), (0.05, 1.5), (0.75, 0.6)])
def test_bargaining_game_matches_the_analytic_probability(c_a, c_bar):
    """On an evenly spaced grid of uniforms the game's fight share is the analytic probability."""
    m = 100_000
    u = (np.arange(m) + 0.5) / m
    fights = deterrence.bargaining_breakdown(u, np.full(m, c_a), np.full(m, c_bar))
    assert fights.mean() == pytest.approx(deterrence.breakdown_probability(c_a, c_bar), abs=2 / m)


def _three_states(params) -> World:
    """A hand-made region: A defends C fully, B defends C by half; A strongest, C weakest."""
    def state(code: str, gdp: float) -> dict:
        return {"code": code, "name": code, "gdp": gdp, "growth": 0.02, "population": 10,
                "military_spending": gdp / 10, "regime": 0, "satisfaction": 0.2,
                "major_power": False}

    def dyad(a: str, b: str, km: float) -> dict:
        return {"states": [a, b], "contiguity": "land", "distance_km": km}

    sc = load_scenario({
        "name": "three", "year": 2000,
        "states": [state("AAA", 200.0), state("BBB", 100.0), state("CCC", 50.0)],
        "dyads": [dyad("AAA", "BBB", 1500.0), dyad("AAA", "CCC", 1000.0),
                  dyad("BBB", "CCC", 2000.0)],
        "institutions": [
            {"id": "a-c", "name": "A-C", "type": "bilateral_alliance", "members": ["AAA", "CCC"],
             "obligations": {"AAA": 1.0, "CCC": 0.0}},
            {"id": "b-c", "name": "B-C", "type": "bilateral_alliance", "members": ["BBB", "CCC"],
             "obligations": {"BBB": 0.5, "CCC": 0.0}},
        ],
    })
    return initial_world(sc, params, runs=2)


def test_expected_help_excludes_the_challenger(params):
    """Help to target C against challenger i sums commit[k, C] x reliability_k x k's projected
    capability over allies k other than i: A's own pledge to C does not help C against A."""
    w = _three_states(params)
    a, b, c = 0, 1, 2
    commit = commitments(w)
    assert np.all(commit[:, a, c] > commit[:, b, c]) and np.all(commit[:, b, c] > 0)
    cap = capability(w, params)
    prox = proximity(w.static, params)

    def helper(k: int) -> np.ndarray:
        return commit[:, k, c] * w.reliability[:, k] * cap[:, k] * prox[k, c]

    p_win, _ = deterrence.war_value(w, params)
    own_a, own_b = cap[:, a] * prox[a, c], cap[:, b] * prox[b, c]
    np.testing.assert_allclose(p_win[:, a, c], own_a / (own_a + cap[:, c] + helper(b)))
    np.testing.assert_allclose(p_win[:, b, c], own_b / (own_b + cap[:, c] + helper(a)))
    np.testing.assert_allclose(p_win[:, c, a], cap[:, c] * prox[c, a] / (
        cap[:, c] * prox[c, a] + cap[:, a]))  # nobody defends A


def test_ally_commitment_lowers_the_challengers_win_chance(world, params):
    """North Korea's chance against South Korea is lower with the US-ROK alliance than without."""
    members = world.members.copy()
    members[:, US_ROK, USA] = False
    p_with, _ = deterrence.war_value(world, params)
    p_without, _ = deterrence.war_value(world.apply({"members": members}), params)
    assert np.all(p_with[:, PRK, ROK] < p_without[:, PRK, ROK])
    cap = capability(world, params)
    prox = proximity(world.static, params)
    own = cap[:, PRK] * prox[PRK, ROK]
    pledge = commitments(world)[:, USA, ROK]
    assert np.all(pledge > 0)
    help_ = pledge * world.reliability[:, USA] * cap[:, USA] * prox[USA, ROK]
    np.testing.assert_allclose(p_with[:, PRK, ROK], own / (own + cap[:, ROK] + help_))
    np.testing.assert_allclose(p_without[:, PRK, ROK], own / (own + cap[:, ROK]))


def test_nuclear_target_raises_war_cost(world, params):
    """Cost is war_cost * (1 + multiplier * nuclear), a committed nuclear ally counting
    commitment x reliability."""
    _, cost = deterrence.war_value(world, params)
    c, m = params.war_cost, params.nuclear_cost_multiplier
    np.testing.assert_allclose(cost[:, TAW, CHN], c * (1 + m))
    np.testing.assert_allclose(cost[:, CHN, TAW], c)
    umbrella = commitments(world)[:, USA, ROK] * world.reliability[:, USA]
    assert np.all(umbrella > 0)
    np.testing.assert_allclose(cost[:, CHN, ROK], c * (1 + m * umbrella))


def _open_everywhere(world: World) -> World:
    """An open crisis i -> j for every pair with i before j."""
    crisis = np.triu(np.ones((6, 6), bool), k=1)[None].repeat(world.n_runs, axis=0)
    return world.apply({"crisis": crisis, "outcome": np.where(crisis, OPEN, 0).astype(np.int8)})


def no_incident(world: World) -> np.ndarray:
    """Uniforms that give no limited fatal incident (u = 1 is never below the rate)."""
    return np.ones(world.crisis.shape)


def test_deterrence_step_outcomes(world, params):
    """Open crises end deterred, settled, or stay OPEN as fights; nothing else is touched."""
    w = _open_everywhere(world)
    up = deterrence.step(w, params, {"bargain": uniforms(14, w.crisis.shape), "limited": no_incident(w)})
    out, fight = up["outcome"], up["fight"]
    np.testing.assert_array_equal(out[~w.crisis], 0)
    assert set(np.unique(out[w.crisis])) <= {OPEN, OUTCOME["deterrence"], OUTCOME["settlement"]}
    np.testing.assert_array_equal(fight, w.crisis & (out == OPEN))
    assert deterrence.step(world, params, {"bargain": uniforms(14, w.crisis.shape), "limited": no_incident(w)}) == {}


def test_limited_incidents_turn_crises_short_of_war_into_fatal_disputes(world, params):
    """With the incident draw under limited_force_rate, deterred and settled crises become fatal
    disputes (no fight: no allies called, no war); fights stay open; above it nothing changes."""
    w = _open_everywhere(world)
    bargain = uniforms(14, w.crisis.shape)
    plain = deterrence.step(w, params, {"bargain": bargain, "limited": no_incident(w)})
    u = uniforms(30, w.crisis.shape)
    up = deterrence.step(w, params, {"bargain": bargain, "limited": u})
    short_of_war = np.isin(plain["outcome"], (OUTCOME["deterrence"], OUTCOME["settlement"]))
    incident = short_of_war & (u < params.limited_force_rate)
    assert incident.any() and (short_of_war & ~incident).any()
    np.testing.assert_array_equal(up["outcome"][incident], OUTCOME["dispute"])
    np.testing.assert_array_equal(up["outcome"][~incident], plain["outcome"][~incident])
    np.testing.assert_array_equal(up["fight"], plain["fight"])
    none = deterrence.step(w, params.replace(limited_force_rate=0.0), {"bargain": bargain, "limited": u})
    np.testing.assert_array_equal(none["outcome"], plain["outcome"])


def test_satisfied_challenger_is_deterred_more_often(world, params):
    """Deterred iff p_win - cost <= status_quo_share * satisfaction: more satisfaction, more
    deterrence."""
    w = _open_everywhere(world)
    u = {"bargain": uniforms(15, w.crisis.shape), "limited": no_incident(w)}

    def deterred(s: float) -> np.ndarray:
        ws = w.apply({"satisfaction": np.full_like(w.satisfaction, s)})
        return deterrence.step(ws, params, u)["outcome"] == OUTCOME["deterrence"]

    lo, hi = deterred(0.0), deterred(1.0)
    assert np.all(hi >= lo) and hi.sum() > lo.sum()
    p_win, cost = deterrence.war_value(w, params)
    np.testing.assert_array_equal(hi, w.crisis & (p_win - cost <= params.status_quo_share))


def test_forum_transparency_reduces_breakdowns(world, params):
    """A transparent, deep forum narrows c_bar, so fewer undeterred crises break down."""
    w = _open_everywhere(world).apply({"satisfaction": np.zeros_like(world.satisfaction)})
    transparency = w.static.inst_transparency.copy()
    transparency[ARF] = 1.0
    clear = with_static(w, inst_transparency=transparency).apply(
        {"depth": set_state(w.depth, ARF, 1.0)})
    u = {"bargain": uniforms(16, w.crisis.shape), "limited": no_incident(w)}
    f_plain = deterrence.step(w, params, u)["fight"]
    f_clear = deterrence.step(clear, params, u)["fight"]
    assert np.all(f_clear <= f_plain) and f_plain.sum() > f_clear.sum()


# ---------------------------------------------------------------------------------------------
# 10d escalation


def test_bitmask_packing():
    """Bit k of word k // 64 is set iff flag k is; up to 64 states fit one word, the 64th the top bit."""
    flags = np.array([[True, False, True], [False, False, False], [False, True, True]])
    np.testing.assert_array_equal(escalation.bitmask(flags), np.array([[5], [0], [6]], dtype=np.uint64))
    top = np.zeros(64, bool)
    top[63] = True
    np.testing.assert_array_equal(escalation.bitmask(top), np.array([2**63], dtype=np.uint64))
    rand = uniforms(17, (100, 10)) < 0.5
    bits = escalation.bitmask(rand)
    assert bits.dtype == np.uint64 and bits.shape == (100, 1)
    unpacked = (bits >> np.arange(10, dtype=np.uint64)) & np.uint64(1)
    np.testing.assert_array_equal(unpacked.astype(bool), rand)


def _fight(world: World, i: int, j: int, obligation: float, reliability: float) -> World:
    """A world with one open fight i -> j; every alliance obligation set, everyone's reliability set."""
    ob = np.where(world.static.inst_obligation > 0, obligation, 0.0)
    w = with_static(world, inst_obligation=ob)
    w = with_crisis(w, i, j, OPEN, fight=True)
    return w.apply({"reliability": np.full_like(world.reliability, reliability)})


def _esc_draws(world: World, honour, escalate: float = 0.999) -> dict[str, np.ndarray]:
    shape = world.crisis.shape
    return {"honour": np.broadcast_to(honour, shape).copy(), "escalate": np.full(shape, escalate)}


def test_reliable_committed_ally_always_joins(world, params):
    """Commitment 1 and reliability 1: the USA joins South Korea's fight whatever its draw."""
    w = _fight(world, PRK, ROK, 1.0, 1.0)
    up = escalation.step(w, params, _esc_draws(w, uniforms(18, w.crisis.shape)))
    np.testing.assert_array_equal(up["joined"][:, PRK, ROK], np.uint64(1 << USA))
    np.testing.assert_array_equal(up["abandoned"][:, PRK, ROK], 0)
    np.testing.assert_array_equal(up["outcome"][:, PRK, ROK], OUTCOME["dispute"])


def test_unreliable_ally_abandons(world, params):
    """Reliability 0: the USA stays out and is recorded as abandoning South Korea."""
    w = _fight(world, PRK, ROK, 1.0, 0.0)
    up = escalation.step(w, params, _esc_draws(w, uniforms(19, w.crisis.shape)))
    np.testing.assert_array_equal(up["joined"][:, PRK, ROK], 0)
    np.testing.assert_array_equal(up["abandoned"][:, PRK, ROK], np.uint64(1 << USA))


def test_challenger_is_not_called_against_itself(world, params):
    """The USA challenging Japan is not counted as Japan's ally, joining or abandoning."""
    w = _fight(world, USA, JPN, 1.0, 1.0)
    up = escalation.step(w, params, _esc_draws(w, 0.0))
    np.testing.assert_array_equal(up["joined"][:, USA, JPN], 0)
    np.testing.assert_array_equal(up["abandoned"][:, USA, JPN], 0)
    np.testing.assert_array_equal(up["reliability"], w.reliability)


def test_reliability_learns_the_honoured_share(world, params):
    """Reliability moves toward this year's honoured share by reliability_learning."""
    w = _fight(world, PRK, ROK, 1.0, 0.5)
    honour = np.full(w.crisis.shape, 0.1)
    honour[1::2] = 0.9  # runs 0, 2 honour; runs 1, 3 do not
    up = escalation.step(w, params, {"honour": honour,
                                     "escalate": np.full(w.crisis.shape, 0.999)})
    lam = params.reliability_learning
    rel = up["reliability"]
    np.testing.assert_allclose(rel[0::2, USA], (1 - lam) * 0.5 + lam)
    np.testing.assert_allclose(rel[1::2, USA], (1 - lam) * 0.5)
    np.testing.assert_array_equal(rel[:, 1:], 0.5)  # nobody else was called


def test_war_escalation_probability(params):
    """p = war_given_fight * (ally multiplier if allies joined) * exp(od weight * od), <= 1."""
    p = escalation.war_escalation_probability(np.array([False, True]), 0.0, params)
    np.testing.assert_allclose(p, [params.war_given_fight,
                                   params.war_given_fight * params.ally_join_escalation])
    p_off = escalation.war_escalation_probability(np.array([False]), 1.0, params)
    np.testing.assert_allclose(p_off, params.war_given_fight * np.exp(
        params.offense_defense_escalation))
    big = params.replace(war_given_fight=0.4, ally_join_escalation=4.0, offense_defense_escalation=2)
    assert escalation.war_escalation_probability(np.array([True]), 1.0, big)[0] == 1.0


def test_fight_becomes_war_below_the_escalation_probability(world, params):
    """A fight is a war when its escalation draw is below p_war, else a fatal dispute; joining
    allies widen the band."""
    w = _fight(world, PRK, ROK, 1.0, 1.0)
    p_war = params.war_given_fight * params.ally_join_escalation  # the USA joins
    for u, code in ((0.0, "war"), (0.99 * p_war, "war"), (1.01 * p_war, "dispute")):
        up = escalation.step(w, params, _esc_draws(w, 0.5, escalate=u))
        np.testing.assert_array_equal(up["outcome"][:, PRK, ROK], OUTCOME[code])
    alone = _fight(world, PRK, ROK, 1.0, 0.0)  # nobody joins: the plain probability applies
    up = escalation.step(alone, params, _esc_draws(alone, 0.5, escalate=1.01 * params.war_given_fight))
    np.testing.assert_array_equal(up["outcome"][:, PRK, ROK], OUTCOME["dispute"])


def test_escalation_leaves_non_fights_alone(world, params):
    """Settled or deterred crises are not escalated; without fights nothing is returned."""
    w = with_crisis(world, PRK, ROK, OUTCOME["settlement"])
    assert escalation.step(w, params, _esc_draws(w, 0.0, escalate=0.0)) == {}


# ---------------------------------------------------------------------------------------------
# 11 war


def test_war_deaths_bounds_and_pareto_tail(params):
    """Deaths lie in [war_min_deaths, cap]; P(X > 10^4) = 10^-(alpha-1), P(X > 10^5) =
    10^-2(alpha-1) (tolerance 5 SE)."""
    n = 400_000
    u = uniforms(20, (n,))
    for p in (params, params.replace(battle_deaths_exponent=2.0)):
        x = war.war_deaths(u, p)
        assert x.min() >= p.war_min_deaths and x.max() <= p.battle_deaths_cap
        for level, k in ((1e4, 1), (1e5, 2)):
            expect = 10.0 ** (-k * (p.battle_deaths_exponent - 1))
            se = np.sqrt(expect * (1 - expect) / n)
            assert abs((x > level).mean() - expect) < 5 * se
    with np.errstate(over="ignore"):
        assert war.war_deaths(np.array([0.0]), params)[0] == params.battle_deaths_cap


def test_dispute_deaths_below_war_threshold(params):
    """Fatal disputes kill at least one and fewer than war_min_deaths, log-uniformly."""
    u = np.concatenate([uniforms(21, (100_000,)), [0.0, np.nextafter(1.0, 0.0)]])
    d = war.dispute_deaths(u, params)
    assert d.min() >= 1 and d.max() < params.war_min_deaths
    assert (d < 32).mean() == pytest.approx(0.5, abs=0.01)  # median of 1000^u is sqrt(1000)


def test_gdp_loss_share(params):
    """war_gdp_loss per order of magnitude above 100 deaths, within [0, 0.9]."""
    s = war.gdp_loss_share(np.array([10.0, 100.0, 1000.0, 1e5, 1e40]), params)
    np.testing.assert_allclose(s, [0.0, 0.0, params.war_gdp_loss, 3 * params.war_gdp_loss, 0.9])


def test_war_hurts_belligerents_only(world, params):
    """A North-South Korean war: deaths where the crisis is; GDP, military stock and trust fall
    for the two belligerents only; animosity rises and is capped at 1."""
    w = with_crisis(world, PRK, ROK, OUTCOME["war"])
    up = war.step(w, params, {"severity": np.full(w.crisis.shape, 0.5)})
    deaths = params.war_min_deaths * 0.5 ** (-1 / (params.battle_deaths_exponent - 1))
    np.testing.assert_allclose(up["deaths"][:, PRK, ROK], deaths)
    assert np.count_nonzero(up["deaths"]) == w.n_runs
    share = params.war_gdp_loss * np.log10(deaths / 100)
    gdp_ratio = up["gdp"] / w.gdp
    np.testing.assert_allclose(gdp_ratio[:, [PRK, ROK]], 1 - share)
    np.testing.assert_array_equal(gdp_ratio[:, [USA, CHN, JPN, TAW]], 1.0)
    stock_ratio = up["mil_stock"] / w.mil_stock
    np.testing.assert_allclose(stock_ratio[:, [PRK, ROK]], 1 - params.war_military_loss)
    np.testing.assert_array_equal(stock_ratio[:, [USA, CHN, JPN, TAW]], 1.0)

    pair = np.zeros((6, 6), bool)
    pair[PRK, ROK] = pair[ROK, PRK] = True
    np.testing.assert_allclose(up["trust"][:, pair], w.trust[:, pair] * (1 - params.war_trust_loss))
    np.testing.assert_array_equal(up["trust"][:, ~pair], w.trust[:, ~pair])
    np.testing.assert_allclose(up["animosity"][:, pair], 1.0)  # 0.8 + 0.3, capped
    np.testing.assert_array_equal(up["animosity"][:, ~pair], w.animosity[:, ~pair])
    np.testing.assert_array_equal(up["ally_cost"], 0.0)


def test_fatal_dispute_costs(world, params):
    """A China-Taiwan fatal dispute: no military loss, trust x (1 - dispute loss), animosity
    unchanged (the pair's peace years are the memory of disputes short of war)."""
    w = with_crisis(world, CHN, TAW, OUTCOME["dispute"])
    up = war.step(w, params, {"severity": uniforms(22, w.crisis.shape)})
    assert np.all(up["deaths"][:, CHN, TAW] < params.war_min_deaths)
    np.testing.assert_array_equal(up["mil_stock"], w.mil_stock)
    np.testing.assert_allclose(up["trust"][:, TAW, CHN], w.trust[:, TAW, CHN]
                               * (1 - params.dispute_trust_loss))
    np.testing.assert_array_equal(up["animosity"], w.animosity)


def test_joined_ally_bears_a_share_of_the_cost(world, params):
    """An ally whose bit is set in `joined` loses ally_cost_share of the belligerents' GDP share,
    recorded in ally_cost."""
    w = with_crisis(world, PRK, ROK, OUTCOME["war"])
    joined = w.joined.copy()
    joined[:, PRK, ROK] = np.uint64(1 << USA)
    w = w.apply({"joined": joined})
    up = war.step(w, params, {"severity": np.full(w.crisis.shape, 0.5)})
    deaths = params.war_min_deaths * 0.5 ** (-1 / (params.battle_deaths_exponent - 1))
    ally_share = params.ally_cost_share * params.war_gdp_loss * np.log10(deaths / 100)
    np.testing.assert_allclose(up["gdp"][:, USA], w.gdp[:, USA] * (1 - ally_share))
    np.testing.assert_allclose(up["ally_cost"][:, USA], w.gdp[:, USA] * ally_share)
    np.testing.assert_array_equal(up["ally_cost"][:, 1:], 0.0)


def test_war_step_without_fighting_changes_nothing(world, params):
    """A settled crisis costs nothing: the war step returns no updates."""
    w = with_crisis(world, CHN, TAW, OUTCOME["settlement"])
    assert war.step(w, params, {"severity": uniforms(23, w.crisis.shape)}) == {}


# ---------------------------------------------------------------------------------------------
# 12 bookkeeping


def test_pair_outcome_symmetric_heaviest():
    """The pair's code is the heavier of the two directions; OPEN counts as no outcome."""
    o = np.zeros((1, 3, 3), np.int8)
    o[0, 0, 1] = OUTCOME["war"]
    o[0, 1, 0] = OUTCOME["dispute"]
    o[0, 1, 2] = OPEN
    o[0, 2, 0] = OUTCOME["forum"]
    p = bookkeeping.pair_outcome(o)
    np.testing.assert_array_equal(p, np.swapaxes(p, 1, 2))
    assert p[0, 0, 1] == OUTCOME["war"]
    assert p[0, 1, 2] == 0
    assert p[0, 0, 2] == OUTCOME["forum"]
    assert p.dtype == np.int8


def test_dispute_spells_start_go_on_and_end(world, params):
    """A new militarised crisis starts a one-year dispute at its level; an ongoing dispute adds a
    year, keeps its level, keeps peace years at 0 and is last year's outcome; others end."""
    out = np.zeros(world.outcome.shape, np.int8)
    out[:, PRK, ROK] = OUTCOME["dispute"]
    out[:, CHN, TAW] = OUTCOME["forum"]  # not militarised: no dispute
    years = set_pair(np.zeros_like(world.peace_years), CHN, JPN, 2.0)
    years = set_pair(years, USA, CHN, 1.0)
    level = set_pair(np.zeros(world.outcome.shape, np.int8), CHN, JPN, OUTCOME["deterrence"])
    level = set_pair(level, USA, CHN, OUTCOME["settlement"])
    ongoing = set_pair(np.zeros(world.crisis.shape, bool), CHN, JPN, True)  # USA-CHN ends
    w = world.apply({"outcome": out, "dispute_years": years, "dispute_level": level, "ongoing": ongoing})
    up = bookkeeping.step(w, params, {})
    y, lv = up["dispute_years"], up["dispute_level"]
    assert (y[:, PRK, ROK] == 1).all() and (y[:, ROK, PRK] == 1).all() and (lv[:, PRK, ROK] == OUTCOME["dispute"]).all()
    assert (y[:, CHN, JPN] == 3).all() and (lv[:, JPN, CHN] == OUTCOME["deterrence"]).all()
    assert (y[:, USA, CHN] == 0).all() and (lv[:, USA, CHN] == 0).all() and (y[:, CHN, TAW] == 0).all()
    assert (up["peace_years"][:, CHN, JPN] == 0).all()
    assert (up["peace_years"][:, USA, CHN] == w.peace_years[:, USA, CHN] + 1).all()
    assert (up["fought_last"][:, CHN, JPN] == OUTCOME["deterrence"]).all()
    assert (up["fought_last"][:, PRK, ROK] == OUTCOME["dispute"]).all()


def test_peace_years_reset_after_militarised_outcome(world, params):
    """Peace years: 0 after a dispute or war, +1 after a forum-settled crisis or no crisis."""
    out = np.zeros(world.outcome.shape, np.int8)
    out[0, PRK, ROK] = OUTCOME["dispute"]
    out[1, PRK, ROK] = OUTCOME["war"]
    out[2, PRK, ROK] = OUTCOME["forum"]
    up = bookkeeping.step(world.apply({"outcome": out}), params, {})
    py = up["peace_years"]
    assert py[0, PRK, ROK] == py[0, ROK, PRK] == 0.0
    assert py[1, ROK, PRK] == 0.0
    assert py[2, PRK, ROK] == py[3, PRK, ROK] == world.peace_years[0, PRK, ROK] + 1
    other = np.ones((6, 6), bool)
    other[PRK, ROK] = other[ROK, PRK] = False
    np.testing.assert_array_equal(py[0][other], world.peace_years[0][other] + 1)
    np.testing.assert_array_equal(up["fought_last"][1], bookkeeping.pair_outcome(out)[1])


def test_arms_race_counter(world, params):
    """race_years +1 only when both rivals raised spending by >= arms_race_growth (and faster
    than their economies); otherwise it resets to 0."""
    g = params.arms_race_growth
    prev = world.milex
    milex = prev.copy()
    milex[0, [PRK, ROK]] *= 1 + g  # both rivals fast (run 0)
    milex[1, PRK] *= 1 + g  # only one (run 1)
    milex[2, [USA, TAW]] *= 1 + 2 * g  # both fast but no quarrel (run 2)
    milex[3, [PRK, ROK]] *= 1 + g  # both fast, but South Korea's economy grew faster (run 3)
    growth = set_state(world.growth, ROK, world.growth[:, ROK])
    growth[3, ROK] = 2 * g
    races = np.full(world.race_years.shape, 2.0)
    w = world.apply({"milex": milex, "milex_prev": prev, "race_years": races, "growth": growth})
    r = bookkeeping.step(w, params, {})["race_years"]
    assert r[0, PRK, ROK] == r[0, ROK, PRK] == 3.0
    assert r[1, PRK, ROK] == 0.0
    assert r[2, USA, TAW] == 0.0
    assert r[3, PRK, ROK] == 0.0
    assert np.count_nonzero(r) == 2


def test_bookkeeping_year_and_defence_memory(world, params):
    """The year advances by one and this year's missile defence becomes last year's."""
    md = set_state(world.missile_defense, JPN, 0.3)
    up = bookkeeping.step(world.apply({"missile_defense": md}), params, {})
    assert up["year"] == world.year + 1
    np.testing.assert_array_equal(up["missile_defense_prev"], md)
