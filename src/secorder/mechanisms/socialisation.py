"""Step 5 -- socialisation and identity.

Norms: each member moves toward its institution's group norm -- the members' mean norm,
lifted by the institution's depth -- faster in informal, consensus bodies and for open
regimes, slower for closed ones (O8).
Trust (identity) grows with transactions (trade dependence), with shared deep memberships,
and when co-members work together against a transnational threat that hits both (C4); it falls
after a militarised dispute short of a fight (fights and wars cost trust in step 11) and
decays toward its starting level.
A pluralistic security community is *detected* for an institution when trust between every
pair of its members exceeds a threshold and none of them has had a militarised dispute with
another for a number of years.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import dependence, pair_sum, shared_membership
from secorder.params import Params
from secorder.world import (
    ALL_TYPE_CODES,
    DECISION_CODES,
    OUTCOME,
    DyadAttribute,
    SameAs,
    StateAttribute,
    StateVar,
    World,
)

STATE = (
    StateVar("norms", ("runs", "states"), float, StateAttribute("norms"), "internalised cooperative norms, 0-1"),
    StateVar("trust", ("runs", "states", "states"), float, DyadAttribute("trust"), "symmetric trust, 0-1 (1 on the diagonal)"),
    StateVar("trust_anchor", ("runs", "states", "states"), float, SameAs("trust"),
             "starting trust, the level trust decays back to"),
    StateVar("community", ("runs", "institutions"), bool, False,
             "the institution's members form a pluralistic security community"),
)


def group_norms(norms: np.ndarray, members: np.ndarray, depth: np.ndarray, lift: float) -> np.ndarray:
    """(R,K) each institution's group norm: members' mean norm lifted toward 1 by its depth."""
    cnt = members.sum(axis=2)
    mean = np.where(cnt > 0, np.einsum("rkn,rn->rk", members, norms) / np.maximum(cnt, 1), 0.0)
    return mean + lift * depth * (1.0 - mean)


def socialise(world: World, params: Params) -> np.ndarray:
    """(R,N) norms after a year of socialisation in every institution each state belongs to."""
    st = world.static
    nu = group_norms(world.norms, world.members, world.depth, params.socialisation_lift)  # (R,K)
    style = (0.5 + 0.5 * st.inst_informality) * np.where(st.inst_decision == DECISION_CODES["consensus"], 1.0, 0.75)
    openness = 1.0 - params.closed_regime_damping * (10.0 - world.regime) / 20.0  # (R,N)
    rate = params.socialisation_rate * style[None, :, None] * openness[:, None, :] * world.members  # (R,K,N)
    pull = (rate * (nu[:, :, None] - world.norms[:, None, :])).sum(axis=1)
    return np.clip(world.norms + pull, 0.0, 1.0)


def update_trust(world: World, params: Params) -> np.ndarray:
    """(R,N,N) symmetric trust after transactions, memberships, joint threat work and disputes.

    Computed cell by cell in one compiled pass (:func:`secorder.kernels.trust_update`); the
    array form it equals is :func:`trust_terms`.
    """
    from secorder.kernels import trust_update

    return trust_update(
        world.trust, world.trust_anchor, world.trade, world.gdp, shared_membership(world, ALL_TYPE_CODES),
        world.threat_hit, world.fought_last, params.trust_trade_rate, params.trust_membership_rate,
        params.trust_threat_rate, params.trust_decay, OUTCOME["deterrence"], OUTCOME["dispute"],
        1.0 - 0.5 * params.dispute_trust_loss,
    )


def trust_terms(world: World, params: Params) -> np.ndarray:
    """(R,N,N) :func:`update_trust` as whole-array operations (the reference form)."""
    dep = dependence(world.trade, world.gdp)
    lower = np.minimum(dep, np.swapaxes(dep, 1, 2))
    shared = shared_membership(world, ALL_TYPE_CODES)
    both_hit = world.threat_hit[:, :, None] & world.threat_hit[:, None, :]
    growth = (
        params.trust_trade_rate * lower
        + params.trust_membership_rate * shared
        + params.trust_threat_rate * (both_hit & (shared > 0))
    )
    trust = world.trust + (1.0 - world.trust) * growth - params.trust_decay * (world.trust - world.trust_anchor)
    tense = (world.fought_last >= OUTCOME["deterrence"]) & (world.fought_last < OUTCOME["dispute"])
    trust = trust * np.where(tense, 1.0 - 0.5 * params.dispute_trust_loss, 1.0)
    n = world.n_states
    trust = np.clip(trust, 0.0, 1.0)
    trust[:, np.arange(n), np.arange(n)] = 1.0
    return trust


def detect_communities(trust: np.ndarray, peace_years: np.ndarray, members: np.ndarray, params: Params) -> np.ndarray:
    """(R,K) bool: every member pair trusts above the threshold and has been at peace long enough."""
    n = members.shape[-1]
    bad = ((trust < params.community_trust) | (peace_years < params.community_peace_years)) & ~np.eye(n, dtype=bool)
    m = members.astype(float)
    return (pair_sum(bad.astype(float), m, m) == 0) & (m.sum(axis=2) >= 2)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Norms, trust and detected security communities after this year's socialisation (step 5)."""
    trust = update_trust(world, params)
    return {
        "norms": socialise(world, params),
        "trust": trust,
        "community": detect_communities(trust, world.peace_years, world.members, params),
    }
