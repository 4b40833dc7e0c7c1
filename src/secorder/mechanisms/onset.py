"""Step 9 -- crisis onset: a directed dyadic hazard from a logit over dyad features.

The coefficients are those of a dyadic logit of dispute onset, all dyads 1951-2010
(docs/model.md, section 8, "Reference figures"): the less and the more democratic side, the
lower trade dependence, alliance, the capability ratio, contiguity, capital distance,
both-minor-power pairs, and the cubic in peace years.
To these the model adds the challenger's stakes, the pair's animosity, the challenger's
misperception (belief that the target is aggressive above 0.5) and dissatisfaction, and
power-transition multipliers for parity and overtaking. The intercept is calibrated to a
base rate (see :mod:`secorder.calibration`). At most one crisis per pair per year: if both
sides draw one, the side whose draw fell deeper under its hazard is the challenger.

Disputes last more than a year. A pair whose dispute was active last year first learns
whether it goes on (chance ``dispute_continue_first`` after its first year,
``dispute_continue_later`` after that: the MID data's yearly continuation rates); while it
goes on the pair is in an *ongoing* dispute and no new crisis can start between them, as the
MID data code a new onset only where no dispute is under way.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import allied, capability, dependence, major_power
from secorder.mechanisms.base import expit, zero_diagonal
from secorder.params import Params
from secorder.world import OPEN, DyadAttribute, StateAttribute, StateVar, World

DYAD = ("runs", "states", "states")
ALLY_SET = (*DYAD, "state_words")  # a set of states per crisis cell, see secorder.statesets
STATE = (
    StateVar("satisfaction", ("runs", "states"), float, StateAttribute("satisfaction"),
             "satisfaction with the status quo, 0-1"),
    StateVar("stakes", DYAD, float, DyadAttribute("stakes"), "directed: i's stake (claims) against j"),
    # this year's crises, reset by onset each year
    StateVar("crisis", DYAD, bool, False, "directed crisis challenger i -> target j this year"),
    StateVar("outcome", DYAD, np.int8, 0, "OPEN (-1) for an unresolved crisis, else an OUTCOME code"),
    StateVar("fight", DYAD, bool, False, "bargaining broke down into fighting"),
    StateVar("deaths", DYAD, float, 0.0, "battle deaths of the crisis i -> j"),
    StateVar("joined", ALLY_SET, np.uint64, 0, "allies that joined the target's side (packed set of states)"),
    StateVar("abandoned", ALLY_SET, np.uint64, 0, "committed allies that stayed out (packed set of states)"),
    StateVar("ally_cost", ("runs", "states"), float, 0.0, "GDP lost by states fighting as allies this year"),
    StateVar("handled_by", DYAD, np.int16, -1, "institution that ended the crisis (-1 none)"),
    StateVar("ongoing", DYAD, bool, False,
             "the pair's dispute from earlier years goes on this year (no new onset; symmetric)"),
    StateVar("disputed_last", DYAD, bool, False, "the pair had an active dispute last year (symmetric)"),
)

PEACE_YEARS_CAP = 40.0  # the fitted cubic turns upward past its minimum (~38 years); hold it there


def peace_spline(t: np.ndarray, params: Params) -> np.ndarray:
    """The cubic peace-years term of the onset logit, with years of peace capped."""
    t = np.minimum(t, PEACE_YEARS_CAP)
    b1, b2, b3 = params.onset_peace_t, params.onset_peace_t2 / 100, params.onset_peace_t3 / 1000
    return t * (b1 + t * (b2 + t * b3))


def transition_log_multiplier(
    cap: np.ndarray, growth: np.ndarray, satisfaction: np.ndarray, params: Params
) -> np.ndarray:
    """(R,N,N) log hazard multiplier from parity and overtaking (challenger i, target j)."""
    ratio = cap[:, :, None] / np.maximum(cap[:, None, :], 1e-12)
    parity = (ratio <= params.parity_band) & (ratio >= 1.0 / params.parity_band)
    rising = (cap[:, :, None] < cap[:, None, :]) & (growth[:, :, None] > growth[:, None, :])
    overtaking = parity & rising & (satisfaction[:, :, None] < 0.5)
    return parity * np.log(params.transition_parity_multiplier) + overtaking * np.log(
        params.transition_overtaking_multiplier
    )


def onset_logit(world: World, params: Params) -> np.ndarray:
    """(R,N,N) logit of a crisis with challenger i and target j.

    The sum of the terms below (see :func:`onset_terms`), computed cell by cell in one compiled
    pass (:func:`secorder.kernels.onset_eta`); the logarithms are taken here, as before.
    """
    from secorder.kernels import onset_eta

    st = world.static
    cap = capability(world, params)
    major = major_power(world, params, cap)
    cap_ratio = np.abs(np.log(np.maximum(cap[:, :, None], 1e-12) / np.maximum(cap[:, None, :], 1e-12)))
    log_dist = np.log(np.maximum(st.distance_km, 1.0))
    coef = np.array([
        params.onset_intercept, params.onset_lower_democracy, params.onset_higher_democracy,
        params.onset_trade_dependence, params.onset_alliance, params.onset_capability_ratio,
        params.onset_noncontiguous, params.onset_log_distance, params.onset_both_minor,
        params.onset_peace_t, params.onset_peace_t2 / 100, params.onset_peace_t3 / 1000,
        params.onset_stakes, params.onset_animosity, params.onset_misperception, params.onset_dissatisfaction,
    ], dtype=np.float64)
    return onset_eta(
        coef, world.regime, world.trade, world.gdp, allied(world), cap_ratio, major, st.contiguity == 0, log_dist,
        world.peace_years, PEACE_YEARS_CAP, world.stakes, world.animosity, world.belief, world.satisfaction,
        cap, world.growth, params.parity_band, 1.0 / params.parity_band,
        float(np.log(params.transition_parity_multiplier)), float(np.log(params.transition_overtaking_multiplier)),
    )


def onset_terms(world: World, params: Params) -> np.ndarray:
    """(R,N,N) the onset logit as a sum of whole arrays: the form :func:`onset_logit` compiles."""
    st = world.static
    cap = capability(world, params)
    major = major_power(world, params, cap)
    reg = world.regime
    lower = np.minimum(reg[:, :, None], reg[:, None, :])
    higher = np.maximum(reg[:, :, None], reg[:, None, :])
    dep = dependence(world.trade, world.gdp)
    lower_dep = np.minimum(dep, np.swapaxes(dep, 1, 2))
    cap_ratio = np.abs(np.log(np.maximum(cap[:, :, None], 1e-12) / np.maximum(cap[:, None, :], 1e-12)))
    both_minor = ~major[:, :, None] & ~major[:, None, :]
    log_dist = np.log(np.maximum(st.distance_km, 1.0))[None]
    noncontig = (st.contiguity == 0)[None]
    eta = (
        params.onset_intercept
        + params.onset_lower_democracy * lower
        + params.onset_higher_democracy * higher
        + params.onset_trade_dependence * lower_dep
        + params.onset_alliance * allied(world)
        + params.onset_capability_ratio * cap_ratio
        + params.onset_noncontiguous * noncontig
        + params.onset_log_distance * log_dist
        + params.onset_both_minor * both_minor
        + peace_spline(world.peace_years, params)
        + params.onset_stakes * world.stakes
        + params.onset_animosity * world.animosity
        + params.onset_misperception * np.maximum(world.belief - 0.5, 0.0)
        + params.onset_dissatisfaction * (1.0 - world.satisfaction)[:, :, None]
        + transition_log_multiplier(cap, world.growth, world.satisfaction, params)
    )
    return eta


def onset_hazard(world: World, params: Params) -> np.ndarray:
    """(R,N,N) directed probability of a crisis this year (0 on the diagonal)."""
    return zero_diagonal(expit(onset_logit(world, params)))


def draw_crises(hazard: np.ndarray, u: np.ndarray) -> np.ndarray:
    """(R,N,N) bool directed crises; one per pair, the deeper draw under its hazard wins."""
    hit = u < hazard
    depth = np.where(hit, u / np.maximum(hazard, 1e-300), np.inf)
    keep = hit & (depth <= np.swapaxes(depth, 1, 2))
    # exact ties (vanishingly rare): keep the i<j direction only
    tie = keep & np.swapaxes(keep, 1, 2)
    keep &= ~(tie & np.tril(np.ones(hazard.shape[-2:], dtype=bool))[None])
    return zero_diagonal(keep)


def symmetric_uniforms(u: np.ndarray) -> np.ndarray:
    """(R,N,N) one uniform per unordered pair: the upper triangle of ``u`` mirrored below it."""
    upper = np.triu(u, k=1)
    return upper + np.swapaxes(upper, 1, 2)


def continuation_probability(dispute_years: np.ndarray, params: Params) -> np.ndarray:
    """(R,N,N) chance an active dispute goes on into this year, by how many years it has lasted."""
    return np.where(dispute_years <= 1.0, params.dispute_continue_first, params.dispute_continue_later)


def continuing_disputes(dispute_years: np.ndarray, u: np.ndarray, params: Params) -> np.ndarray:
    """(R,N,N) bool symmetric: last year's active disputes that go on this year."""
    active = dispute_years > 0
    return active & (symmetric_uniforms(u) < continuation_probability(dispute_years, params))


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Ongoing disputes go on or end; new crises drawn where none goes on; the crisis arrays reset (step 9)."""
    ongoing = zero_diagonal(continuing_disputes(world.dispute_years, draws["persist"], params))
    hazard = np.where(ongoing, 0.0, onset_hazard(world, params))
    crisis = draw_crises(hazard, draws["onset"])
    n = world.n_states
    r = world.n_runs
    return {
        "crisis": crisis,
        "outcome": np.where(crisis, OPEN, 0).astype(np.int8),
        "fight": np.zeros_like(crisis),
        "deaths": np.zeros((r, n, n)),
        "joined": np.zeros_like(world.joined),
        "abandoned": np.zeros_like(world.abandoned),
        "ally_cost": np.zeros((r, n)),
        "handled_by": np.full((r, n, n), -1, dtype=np.int16),
        "ongoing": ongoing,
        "disputed_last": world.dispute_years > 0,
    }
