"""Step 10a -- prevention by a cooperative security forum.

A crisis between two members of a cooperative forum may be settled before it is militarised:
preventive diplomacy and confidence-building. The chance grows with the forum's depth and
transparency, the parties' internalised cooperative norms and their mutual trust; the best
shared forum is the one that acts. A forum without depth settles nothing. A forum adds no
coalition and no deterrence (M2, O12) unless it is given "teeth" (an obligation aimed at any
aggressor), which step 10c then counts.
"""

from __future__ import annotations

import numpy as np

from secorder.mechanisms.base import draw_at, nonzero, settle_by_best
from secorder.params import Params
from secorder.world import FORUM_TYPE_CODE, OPEN, OUTCOME, World


def prevention_probability(
    depth: np.ndarray, transparency: np.ndarray, norms_i: np.ndarray, norms_j: np.ndarray,
    trust: np.ndarray, params: Params,
) -> np.ndarray:
    """Chance a forum settles a crisis: rate x depth x (1+transparency)/2 x mean norms x (1+trust)/2."""
    return (
        params.prevention_rate * depth * (0.5 + 0.5 * transparency)
        * 0.5 * (norms_i + norms_j) * (0.5 + 0.5 * trust)
    )


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Open crises a shared cooperative forum settles before they are militarised (step 10a)."""
    st = world.static
    forums = np.flatnonzero(st.inst_type == FORUM_TYPE_CODE)
    r, i, j = nonzero(world.outcome == OPEN)
    if forums.size == 0 or r.size == 0:
        return {}
    chances = []
    for q in forums:
        both = world.members[r, q, i] & world.members[r, q, j]
        chances.append((q, np.where(both, prevention_probability(
            world.depth[r, q], st.inst_transparency[q], world.norms[r, i], world.norms[r, j],
            world.trust[r, i, j], params), 0.0)))
    return settle_by_best(world, r, i, j, chances, draw_at(draws, "prevent", r, i, j), OUTCOME["forum"])
