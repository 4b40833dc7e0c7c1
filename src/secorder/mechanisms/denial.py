"""Step 9b -- missile defence's defensive value: deterrence by denial (O11, C3).

Missile defence provokes (steps 4 and 8: a rival reads it as a threat to its deterrent and
builds against it). It also defends: a challenger whose coercion rests on missiles expects
less from a crisis against a target that can intercept them. Before any layer acts, the
challenger of a crisis backs down -- the crisis ends as deterred -- with the chance
``denial_effect`` x the target's interception share x the challenger's reliance on missile
strike (its strike capability, 0-1). Which side of missile defence dominates -- provocation or
denial -- is an output.
"""

from __future__ import annotations

import numpy as np

from secorder.mechanisms.base import draw_at, nonzero
from secorder.params import Params
from secorder.world import OPEN, OUTCOME, World


def denial_probability(md_target: np.ndarray, strike_challenger: np.ndarray, params: Params) -> np.ndarray:
    """Chance the challenger backs down: effect x target's interception share x challenger's strike reliance."""
    return np.clip(params.denial_effect * md_target * strike_challenger, 0.0, 1.0)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Open crises whose challenger is deterred by the target's missile defence (step 9b)."""
    r, i, j = nonzero(world.outcome == OPEN)
    if r.size == 0:
        return {}
    p = denial_probability(world.missile_defense[r, j], world.static.strike[i], params)
    denied = draw_at(draws, "deny", r, i, j) < p
    if not denied.any():
        return {}
    outcome = world.outcome.copy()
    outcome[r[denied], i[denied], j[denied]] = OUTCOME["deterrence"]
    return {"outcome": outcome}
