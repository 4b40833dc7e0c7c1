"""Step 4b -- reassurance of neighbours by an ally's presence (O6).

An alliance binds its own members as well as aggregating their power: a state whose defence a
stronger ally has taken on (Japan under the US alliance) has less reason to re-arm on its own,
and its neighbours know it. Each year every state's belief that such a protected state is
aggressive falls (in log-odds) by ``ally_reassurance`` times the protector's commitment. The
other side of the alliance -- its aggregated power in others' threat (step 8), entrapment and
abandonment (steps 6, 10d) -- stays where it is, so the alliance's net effect on neighbours is
an output.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import capability, commitments
from secorder.mechanisms.base import expit, logit, zero_diagonal
from secorder.params import Params
from secorder.world import World


def protection(commit: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """(R,N) strongest commitment to defend each state made by a more capable ally."""
    stronger = cap[:, :, None] > cap[:, None, :]  # protector p (axis 1) stronger than protected j (axis 2)
    return np.max(np.where(stronger, commit, 0.0), axis=1)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Neighbours' beliefs about protected states after this year's reassurance (step 4b)."""
    bound = protection(commitments(world), capability(world, params))
    if not bound.any() or params.ally_reassurance == 0.0:
        return {}
    belief = np.clip(expit(logit(world.belief) - params.ally_reassurance * bound[:, None, :]), 0.01, 0.99)
    return {"belief": zero_diagonal(belief)}
