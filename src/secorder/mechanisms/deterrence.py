"""Step 10c -- deterrence and bargaining.

A crisis that no earlier layer ended reaches the challenger's decision. Its chance of winning
comes from its projected capability against the target's plus the help the target can expect
(each ally's commitment x reliability x projected capability). It is *deterred* if the value
of fighting (win chance less the cost of war) is no better than its status-quo share (larger
for a satisfied state). Otherwise it makes a take-it-or-leave-it demand while unsure of the
target's cost of war, uniform on [0, c_bar]; bargaining breaks down into fighting with
probability max(0, (1 - c_A/c_bar)/2) (Fearon 1995), else the crisis ends in a settlement.
Transparency of a shared forum narrows c_bar (less private information, fewer breakdowns);
a nuclear target, or a committed nuclear ally, raises the challenger's cost.
"""

from __future__ import annotations

import numpy as np

from secorder.params import Params
from secorder.world import OPEN, OUTCOME, World, capability, commitments, proximity, shared_transparency


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
    """(R,N,N) help target j expects against challenger i: sum over allies k != i of
    commit[k,j] * reliability[k] * projected[k,j]."""
    contrib = commit * reliability[:, :, None] * projected  # (R,K,J): k's help to j
    total = contrib.sum(axis=1)  # (R,J)
    # an ally that is itself the challenger does not help against itself
    return total[:, None, :] - contrib  # [r, i, j] = total_j - contrib[i, j]


def war_value(world: World, params: Params) -> tuple[np.ndarray, np.ndarray]:
    """(R,N,N) win probability and war cost of challenger i against target j."""
    cap = capability(world, params)
    prox = proximity(world.static, params)[None]
    commit = commitments(world)
    projected = cap[:, :, None] * prox  # [r,k,j]: k's capability projected to j
    own_i = projected  # challenger i's capability at j
    own_j = cap[:, None, :]
    help_j = expected_help(commit, world.reliability, projected)
    p_win = own_i / np.maximum(own_i + own_j + help_j, 1e-12)
    nuclear = world.static.nuclear.astype(float)
    umbrella = np.max(commit * world.reliability[:, :, None] * nuclear[None, :, None], axis=1)  # (R,J)
    nuclear_j = np.maximum(nuclear[None, :], umbrella)[:, None, :]
    cost = params.war_cost * (1.0 + params.nuclear_cost_multiplier * nuclear_j)
    return p_win, np.broadcast_to(cost, p_win.shape)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    open_ = world.outcome == OPEN
    if not open_.any():
        return {}
    p_win, cost = war_value(world, params)
    status_quo = params.status_quo_share * world.satisfaction[:, :, None]
    deterred = open_ & (p_win - cost <= status_quo)
    c_bar = params.private_info_range * (1.0 - params.transparency_info_effect * shared_transparency(world))
    c_bar = np.maximum(c_bar, 1e-9)
    fight = open_ & ~deterred & bargaining_breakdown(draws["bargain"], cost, c_bar)
    settled = open_ & ~deterred & ~fight
    outcome = world.outcome.copy()
    outcome[deterred] = OUTCOME["deterrence"]
    outcome[settled] = OUTCOME["settlement"]
    return {"outcome": outcome, "fight": fight}
