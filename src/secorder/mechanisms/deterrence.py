"""Step 10c -- deterrence and bargaining.

A crisis that no earlier layer ended reaches the challenger's decision. Its chance of winning
comes from its projected capability against the target's plus the help the target can expect
(each defender's commitment x reliability x projected capability). Defenders are the target's
allies against an outsider, the members of a collective-security organisation (or a forum
with teeth) against any aggressor, and partners from alignment, each scaled by how much of
their institution binds this year (cohesion; nothing below the floor). It is *deterred* if the value
of fighting (win chance less the cost of war) is no better than its status-quo share (larger
for a satisfied state). Otherwise it makes a take-it-or-leave-it demand while unsure of the
target's cost of war, uniform on [0, c_bar]; bargaining breaks down into fighting with
probability max(0, (1 - c_A/c_bar)/2) (Fearon 1995), else the crisis ends in a settlement.
Transparency of a shared forum narrows c_bar (less private information, fewer breakdowns);
a nuclear target, or a committed nuclear ally, raises the challenger's cost.

Deterrence and settlement keep a crisis from becoming a *war*, not from every use of force:
a deterred or settled crisis is still a limited fatal incident (a naval clash, a shooting at
a border: MID hostility level 4 with fatalities) with chance ``limited_force_rate``, a fatal
dispute that needs no bargaining breakdown (the stability-instability paradox: Snyder 1965).
"""

from __future__ import annotations

import numpy as np

from secorder.derived import capability, coalition_commitment, proximity, shared_transparency
from secorder.mechanisms.base import draw_at, nonzero
from secorder.params import Params
from secorder.world import OPEN, OUTCOME, World


def breakdown_probability(c_a: np.ndarray | float, c_bar: np.ndarray | float) -> np.ndarray:
    """Analytic P(fight | crisis) for the take-it-or-leave-it game: max(0, (1 - c_A/c_bar)/2)."""
    return np.maximum(0.0, 0.5 * (1.0 - np.asarray(c_a) / np.asarray(c_bar)))


def bargaining_breakdown(u: np.ndarray, c_a: np.ndarray, c_bar: np.ndarray) -> np.ndarray:
    """Play the game with the target's cost c_B = u * c_bar (u uniform).

    The challenger's optimal premium over its war value is y* = (c_bar - c_A) / 2; the target
    fights when its cost is below the premium it is asked to give up.
    """
    premium = np.maximum(0.5 * (c_bar - c_a), 0.0)
    return u * c_bar < premium


def expected_help(commit: np.ndarray, reliability: np.ndarray, projected: np.ndarray) -> np.ndarray:
    """(F,) help each crisis target expects.

    The sum over defenders k of commitment x reliability x k's capability projected to the target.
    """
    return (commit * reliability * projected).sum(axis=1)


def limited_incident(u: np.ndarray, params: Params) -> np.ndarray:
    """(F,) bool: a crisis that stops short of war still sees a fatal use of force below war."""
    return u < params.limited_force_rate


def war_value_at(
    world: World, params: Params, r: np.ndarray, i: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Win probability, war cost and defenders' commitments (F,N) for crises i[f] -> j[f] in run r[f]."""
    cap = capability(world, params)
    prox = proximity(world.static, params)
    commit = coalition_commitment(world, r, i, j)  # (F,N)
    rel = world.reliability[r]
    projected = cap[r] * prox[:, j].T  # k's capability projected to the target
    own_i = cap[r, i] * prox[i, j]
    own_j = cap[r, j]
    p_win = own_i / np.maximum(own_i + own_j + expected_help(commit, rel, projected), 1e-12)
    nuclear = world.static.nuclear.astype(float)
    umbrella = np.max(commit * rel * nuclear[None, :], axis=1)
    nuclear_j = np.maximum(nuclear[j], umbrella)
    cost = params.war_cost * (1.0 + params.nuclear_cost_multiplier * nuclear_j)
    return p_win, cost, commit


def war_value(world: World, params: Params) -> tuple[np.ndarray, np.ndarray]:
    """(R,N,N) win probability and war cost of every challenger i against every target j."""
    shape = world.outcome.shape  # (R,N,N)
    r, i, j = np.nonzero(~np.eye(shape[-1], dtype=bool)[None].repeat(shape[0], axis=0))
    p_win, cost, _ = war_value_at(world, params, r, i, j)
    out_p, out_c = np.zeros(shape), np.zeros(shape)
    out_p[r, i, j], out_c[r, i, j] = p_win, cost
    return out_p, out_c


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Open crises ended by deterrence or settlement, and the ones that come to a fight (step 10c)."""
    r, i, j = nonzero(world.outcome == OPEN)
    if r.size == 0:
        return {}
    p_win, cost, _ = war_value_at(world, params, r, i, j)
    deterred = p_win - cost <= params.status_quo_share * world.satisfaction[r, i]
    c_bar = params.private_info_range * (1.0 - params.transparency_info_effect * shared_transparency(world)[r, i, j])
    c_bar = np.maximum(c_bar, 1e-9)
    fight_f = ~deterred & bargaining_breakdown(draw_at(draws, "bargain", r, i, j), cost, c_bar)
    limited = ~fight_f & limited_incident(draw_at(draws, "limited", r, i, j), params)
    outcome = world.outcome.copy()
    outcome[r, i, j] = np.where(
        limited, OUTCOME["dispute"],
        np.where(deterred, OUTCOME["deterrence"], np.where(fight_f, OPEN, OUTCOME["settlement"])),
    ).astype(np.int8)
    fight = np.zeros_like(world.fight)
    fight[r, i, j] = fight_f
    return {"outcome": outcome, "fight": fight}
