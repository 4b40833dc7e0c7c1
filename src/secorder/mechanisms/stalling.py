"""Step 10e -- forums used for stalling or cheap talk (M2).

A crisis that a cooperative forum "settled" (step 10a) may only have been talked into the
long grass: a dissatisfied challenger can use the talks to buy time while it consolidates its
position on the ground. With a chance ``stalling_share`` x the challenger's dissatisfaction x
(1 - the forum's depth) -- shallow dialogue bodies are the easiest to stall in -- the
settlement was a stall: the challenger's stake against the target grows toward 1 by
``stalling_stake_gain`` (a fait accompli), which raises the pair's crisis hazard in later years
(step 9). Stakes relax back toward their starting level at ``stake_relaxation`` a year, so a
stall's cost fades. The forum's prevention this year stands; its net effect over a run is an
output.
"""

from __future__ import annotations

import numpy as np

from secorder.mechanisms.base import draw_at, nonzero
from secorder.params import Params
from secorder.world import OUTCOME, SameAs, StateVar, World

STATE = (
    StateVar("stakes_anchor", ("runs", "states", "states"), float, SameAs("stakes"),
             "starting stakes, the level stakes relax back to"),
)


def stall_probability(satisfaction: np.ndarray, depth: np.ndarray, params: Params) -> np.ndarray:
    """Chance a forum settlement was a stall: share x challenger's dissatisfaction x (1 - forum depth)."""
    return params.stalling_share * (1.0 - satisfaction) * (1.0 - depth)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Stakes after this year's stalled forum settlements and the relaxation toward their start (step 10e)."""
    stakes = world.stakes + params.stake_relaxation * (world.stakes_anchor - world.stakes)
    r, i, j = nonzero(world.outcome == OUTCOME["forum"])
    if r.size:
        q = world.handled_by[r, i, j]
        p = stall_probability(world.satisfaction[r, i], world.depth[r, q], params)
        stalled = draw_at(draws, "stall", r, i, j) < p
        r, i, j = r[stalled], i[stalled], j[stalled]
        stakes[r, i, j] += params.stalling_stake_gain * (1.0 - stakes[r, i, j])
    return {"stakes": stakes}
