"""Step 6c -- the four F2 conditions of a regional regime, computed every year from the run.

For every institution's charter (the states it lists; a potential regime's prospective
members) and for the whole region, each year:

- **(a) arrangements**: the share of charter pairs that already share a security institution
  (existing arrangements that can evolve).
- **(b) interdependence**: the charter pairs' mean trade dependence (the lower side's
  trade / GDP, against ``interdependence_reference``); trade moves with GDP and disputes
  (step 3), so the condition does too. No trade, no interdependence.
- **(c) common threat**: ``1 - (1 - transnational)(1 - adversary)``. *Transnational*: the
  regional threat level, weighted up by the share of charter states hit by a threat event this
  year. *Adversary*: the strongest common hostility of the charter toward one outside state,
  the charter states' mean hostility toward it, where hostility is the belief that it is
  aggressive where the pair quarrel, animosity, and 1 for a militarised dispute or war last
  year (Jervis 1985: concerts form among the powers that fought a would-be hegemon). A
  region-wide charter has no outsider, so only transnational threats count.
- **(d) support of the key actors** = sqrt(leadership x willingness):
  - *leadership*: the chance the most willing major power of the charter sponsors it. Each
    major power's gain from sponsoring is the threat it shares with the others, its trade
    dependence on them and its trust in them, less its hub-and-spoke alternative (the share
    of the charter it already holds in bilateral alliances; a regime dilutes that control)
    and the cost of leading; the chance is logistic in that net gain. A charter without a
    major power looks to its most capable state.
  - *willingness to accept rules*: the charter states' mean readiness to be bound: higher for
    governments whose authority is challenged (regime security, R1; 10 x the coup/challenge
    hazard) and with cooperative norms, lower with the sovereignty cost of the institution's
    obligations and formality, a cost that weighs less on states whose norms are cooperative.

A scenario's own settings enter only through the state they start from (the threat level,
trade, trust, norms, alliances); nothing here is an input constant.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import (
    BILATERAL,
    capability,
    dependence,
    major_power,
    rivalry,
    shared_membership,
)
from secorder.params import Params
from secorder.world import CONDITIONS, OUTCOME, SECURITY_TYPE_CODES, StateVar, World

__all__ = [
    "CONDITIONS", "STATE", "charters", "common_threat", "hostility", "interdependence", "leadership",
    "step", "willingness", "yearly_conditions",
]

STATE = (
    StateVar("conditions", ("runs", len(CONDITIONS)), float, 0.0,
             "F2 conditions of the first potential regime (else the whole region): arrangements, "
             "interdependence, threat, support, leadership, willingness"),
    StateVar("inst_conditions", ("runs", "institutions", len(CONDITIONS)), float, 0.0,
             "F2 conditions of each institution's charter"),
)


def charters(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(M,N) charter sets: every institution's charter, then the whole region; and their (M,) obligation, informality.

    The whole region is judged as a consensus forum would be: no obligation, informality 0.5.
    """
    st = world.static
    sets = np.vstack([st.inst_charter, np.ones((1, st.n_states), dtype=bool)])
    obligation = np.append(st.inst_obligation.max(axis=1) if st.n_institutions else np.zeros(0), 0.0)
    informality = np.append(st.inst_informality, 0.5)
    return sets, obligation, informality


def _pairs(sets: np.ndarray) -> np.ndarray:
    """(M,N,N) ordered pairs of distinct charter states."""
    n = sets.shape[1]
    return sets[:, :, None] & sets[:, None, :] & ~np.eye(n, dtype=bool)[None]


def _pair_mean(values: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """(R,M) mean of (R,N,N) values over each charter's pairs (0 for a charter of one)."""
    npairs = np.maximum(pairs.sum(axis=(1, 2)), 1)
    return np.einsum("rij,mij->rm", values, pairs.astype(float)) / npairs


def interdependence(world: World, params: Params, pairs: np.ndarray) -> np.ndarray:
    """(R,M) condition (b): mean over charter pairs of the lower side's trade dependence, capped at 1."""
    dep = dependence(world.trade, world.gdp)
    lower = np.minimum(dep, np.swapaxes(dep, 1, 2))
    return _pair_mean(np.minimum(lower / params.interdependence_reference, 1.0), pairs)


def hostility(world: World) -> np.ndarray:
    """(R,N,N) how hostile i is toward j, 0-1: belief in a quarrel, animosity, last year's fighting."""
    quarrel = rivalry(world.stakes, world.animosity)
    fought = world.fought_last >= OUTCOME["dispute"]
    fought = fought | np.swapaxes(fought, 1, 2)
    h = np.maximum(world.belief * quarrel, world.animosity)
    return np.where(fought, 1.0, np.clip(h, 0.0, 1.0))


def common_threat(world: World, sets: np.ndarray, hostile: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(R,M) condition (c), and (R,M,N) each outsider's mean hostility from the charter (0 for insiders)."""
    size = np.maximum(sets.sum(axis=1), 1)
    hit_share = (world.threat_hit.astype(float) @ sets.T.astype(float)) / size  # (R,M)
    transnational = world.threat[:, None] * (0.5 + 0.5 * hit_share)
    toward = np.einsum("rik,mi->rmk", hostile, sets.astype(float)) / size[None, :, None]
    toward = toward * ~sets[None]  # only outsiders are common adversaries
    adversary = toward.max(axis=2)
    return 1.0 - (1.0 - np.clip(transnational, 0, 1)) * (1.0 - adversary), toward


def leadership(world: World, params: Params, sets: np.ndarray, pairs: np.ndarray, hostile: np.ndarray,
               toward: np.ndarray, sponsor_value: np.ndarray | None = None) -> np.ndarray:
    """(R,M) condition (d1): the largest chance that a key actor of the charter sponsors it.

    ``sponsor_value`` (R,M,N), if given, is added to each state's net gain (e.g. its preference
    over the institution's form).
    """
    others = pairs.sum(axis=2)  # (M,N) number of other charter states
    denom = np.maximum(others, 1)[None]
    dep = np.minimum(dependence(world.trade, world.gdp) / params.interdependence_reference, 1.0)
    inter = np.einsum("rij,mij->rmi", dep, pairs.astype(float)) / denom
    trust = np.einsum("rij,mij->rmi", world.trust, pairs.astype(float)) / denom
    # the threat i shares with the charter: its hostility toward the outsider the charter fears most
    shared = np.stack([np.minimum(hostile, toward[:, m, None, :]).max(axis=2) for m in range(sets.shape[0])],
                      axis=1)  # (R,M,N), one charter at a time to keep memory at R x N x N
    bilateral = (shared_membership(world, (BILATERAL,)) > 0).astype(float)
    hub = np.einsum("rij,mij->rmi", bilateral, pairs.astype(float)) / denom
    gain = (params.leadership_threat_weight * shared + params.leadership_trade_weight * inter
            + (trust - 0.5) - params.leadership_hub_weight * hub - params.leadership_cost)
    if sponsor_value is not None:
        gain = gain + sponsor_value
    p = 1.0 / (1.0 + np.exp(-params.leadership_slope * gain))
    cap = capability(world, params)
    major = major_power(world, params, cap)
    key = major[:, None, :] & sets[None]
    strongest = np.where(sets[None], cap[:, None, :], -np.inf)
    fallback = strongest == strongest.max(axis=2, keepdims=True)
    key = np.where(key.any(axis=2, keepdims=True), key, fallback & sets[None])
    return np.where(key, p, 0.0).max(axis=2)


def state_willingness(world: World, params: Params, obligation: np.ndarray, informality: np.ndarray) -> np.ndarray:
    """(R,M,N) each state's readiness, 0-1, to accept the rules of each charter's institution."""
    norms = world.norms[:, None, :]
    sovereignty = (obligation + (1.0 - informality))[None, :, None] * (1.0 - norms)
    w = (0.5 + params.willingness_regime_security * 10.0 * world.hazard[:, None, :]
         + params.willingness_norms * (norms - 0.5) - params.willingness_sovereignty_cost * sovereignty)
    return np.clip(w, 0.0, 1.0)


def willingness(world: World, params: Params, sets: np.ndarray, obligation: np.ndarray,
                informality: np.ndarray) -> np.ndarray:
    """(R,M) condition (d2): the charter states' mean willingness to accept the rules."""
    w = state_willingness(world, params, obligation, informality)
    return (w * sets[None]).sum(axis=2) / np.maximum(sets.sum(axis=1), 1)[None]


def yearly_conditions(world: World, params: Params, sponsor_value: np.ndarray | None = None) -> np.ndarray:
    """(R,M,6) the conditions of every charter (institutions, then the whole region), in ``CONDITIONS`` order."""
    sets, obligation, informality = charters(world)
    pairs = _pairs(sets)
    arrangements = _pair_mean(shared_membership(world, SECURITY_TYPE_CODES).astype(float), pairs)
    inter = interdependence(world, params, pairs)
    hostile = hostility(world)
    threat, toward = common_threat(world, sets, hostile)
    lead = leadership(world, params, sets, pairs, hostile, toward, sponsor_value)
    will = willingness(world, params, sets, obligation, informality)
    support = np.sqrt(lead * will)
    return np.stack([arrangements, inter, threat, support, lead, will], axis=2)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Compute the F2 conditions of every institution's charter and of the region (step 6c)."""
    c = yearly_conditions(world, params)
    potential = np.flatnonzero(world.static.inst_potential)
    headline = c[:, potential[0]] if potential.size else c[:, -1]
    return {"conditions": headline, "inst_conditions": c[:, :-1]}
