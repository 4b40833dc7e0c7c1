"""Step 4a -- balancing against concentrated capability, discounted by institutional restraint (O7).

The realist counter-claim of O7: concentrated power is balanced in time, whatever its
intentions. Each year, every other state's belief that a state holding more than
``concentration_threshold`` of the region's capability is aggressive rises (in log-odds) in
proportion to the excess share. Self-restraint through institutions discounts the signal: the
deeper the institution a state shares with the concentrated power (an alliance, a forum, any
security institution), the less it reads the concentration as a threat, by up to
``restraint_discount``. Below a discount of 1 restraint can fail: a large enough concentration
is balanced even by bound partners. Beliefs feed arms (step 8), alignment by balancing (step 6)
and misperception in crisis onset (step 9).
"""

from __future__ import annotations

import numpy as np

from secorder.derived import capability, shared_membership
from secorder.mechanisms.base import expit, logit, zero_diagonal
from secorder.params import Params
from secorder.world import SECURITY_TYPE_CODES, World


def concentration_signal(cap: np.ndarray, restraint: np.ndarray, params: Params) -> np.ndarray:
    """(R,N,N) log-odds rise in i's belief about j: rate x j's excess share x (1 - discount x restraint_ij)."""
    excess = np.maximum(cap - params.concentration_threshold, 0.0)  # (R,N)
    return params.concentration_balancing * excess[:, None, :] * (1.0 - params.restraint_discount * restraint)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Beliefs about concentrated powers after this year's balancing signal (step 4a)."""
    cap = capability(world, params)
    signal = concentration_signal(cap, shared_membership(world, SECURITY_TYPE_CODES), params)
    if not signal.any():
        return {}
    belief = np.clip(expit(logit(world.belief) + signal), 0.01, 0.99)
    return {"belief": zero_diagonal(belief)}
