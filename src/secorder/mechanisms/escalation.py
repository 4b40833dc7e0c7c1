"""Step 10d -- escalation: a fight becomes a fatal militarised dispute or a war.

Defenders committed to the target (allies, collective-security members, partners) are
called: each joins with probability commitment x
reliability (a draw per ally and protege each year). An ally that joins is *entrapped* in
the fight; one that stays out *abandons* its protege. Reliability records learn from each
test, weighted by the strength of the commitment called on. Joining allies widen the fight and raise the chance it becomes a war; an
offence-dominant balance raises it too.
"""

from __future__ import annotations

import numpy as np

from secorder import statesets
from secorder.derived import coalition_commitment
from secorder.mechanisms.base import draw_at, nonzero
from secorder.params import Params
from secorder.world import OPEN, OUTCOME, Parameter, StateVar, World

STATE = (
    StateVar("reliability", ("runs", "states"), float, Parameter("reliability_initial"),
             "record of honouring commitments when called on, 0-1"),
)

bitmask = statesets.pack  # (..., N) bool -> (..., words) packed sets of states, any N


def war_escalation_probability(any_joined: np.ndarray, offense_defense: float, params: Params) -> np.ndarray:
    """Chance each fight becomes a war: higher when allies joined and when offence dominates."""
    p = params.war_given_fight * np.where(any_joined, params.ally_join_escalation, 1.0)
    return np.clip(p * np.exp(params.offense_defense_escalation * offense_defense), 0.0, 1.0)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Allies join or stay out of each fight, and each fight ends as a fatal dispute or a war (step 10d)."""
    fights = world.fight & (world.outcome == OPEN)
    r_idx, i_idx, j_idx = nonzero(fights)
    if r_idx.size == 0:
        return {}
    called = coalition_commitment(world, r_idx, i_idx, j_idx)  # (F,N): k's commitment to the target
    allies = np.arange(world.n_states)[None, :]
    honour_u = draw_at(draws, "honour", r_idx[:, None], allies, j_idx[:, None])  # one per ally and protege a year
    joins = (called > 0) & (honour_u < called * world.reliability[r_idx])
    stays_out = (called > 0) & ~joins
    any_joined = joins.any(axis=1)
    p_war = war_escalation_probability(any_joined, world.static.offense_defense, params)
    war = draw_at(draws, "escalate", r_idx, i_idx, j_idx) < p_war

    outcome = world.outcome.copy()
    outcome[r_idx, i_idx, j_idx] = np.where(war, OUTCOME["war"], OUTCOME["dispute"]).astype(np.int8)
    joined = world.joined.copy()
    abandoned = world.abandoned.copy()
    joined[r_idx, i_idx, j_idx] = bitmask(joins)
    abandoned[r_idx, i_idx, j_idx] = bitmask(stays_out)

    # Reliability learns from every test, each weighted by the strength of the commitment called
    # on: staying out of a fight under a weak, ambiguous commitment costs less reputation than
    # breaking a firm treaty.
    weight = np.zeros_like(world.reliability)
    honoured = np.zeros_like(world.reliability)
    np.add.at(weight, r_idx, called)
    np.add.at(honoured, r_idx, called * joins)
    tested = weight > 0
    lam = params.reliability_learning * np.minimum(weight, 1.0)
    rate = np.divide(honoured, weight, out=np.zeros_like(weight), where=tested)
    reliability = np.where(tested, (1 - lam) * world.reliability + lam * rate, world.reliability)
    return {"outcome": outcome, "joined": joined, "abandoned": abandoned, "reliability": reliability}
