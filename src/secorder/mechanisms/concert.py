"""Step 10b -- concert mediation.

A concert of great powers whose cohesion is above the floor mediates the region's open
crises: the chance of settling one rises with the concert's cohesion (its strength) and is
lower when a party is itself a concert member. Below the floor a concert mediates nothing,
so an order resting on it reverts to whatever deterrence and the balance of power give (O3).
"""

from __future__ import annotations

import numpy as np

from secorder.mechanisms.base import draw_at, nonzero, settle_by_best
from secorder.params import Params
from secorder.world import INST_TYPE_CODES, OPEN, OUTCOME, World

CONCERT = INST_TYPE_CODES["concert"]


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Open crises a cohesive concert settles by great-power mediation (step 10b)."""
    concerts = np.flatnonzero(world.static.inst_type == CONCERT)
    r, i, j = nonzero(world.outcome == OPEN)
    if concerts.size == 0 or r.size == 0:
        return {}
    chances = []
    for q in concerts:
        party_member = world.members[r, q, i] | world.members[r, q, j]
        chances.append((q, params.concert_mediation_rate * world.strength[r, q] * np.where(
            party_member, params.concert_member_party_factor, 1.0)))
    return settle_by_best(world, r, i, j, chances, draw_at(draws, "mediate", r, i, j), OUTCOME["concert"])
