"""Step 8 -- arms: Richardson-type spending with the missile-defence deterrence gap.

Each state's spending x_i responds to the threat it perceives,

    x_i' = x_i + k_i * T_i - alpha * x_i + g_i * GDP_i,

where T_i sums others' spending weighted by i's belief that they are aggressive, proximity
(loss of strength with distance) and lack of trust, less a share of what committed allies
credibly add. The reaction k_i is damped by internalised cooperative norms and by deep
binding institutions shared with the other. A rival's missile defence multiplies the threat
term by 1 + gap * md/(1 - md) (Intriligator & Brito: the retaliatory arsenal needed to keep
deterrence grows as 1/(1 - interception)), so defence can provoke counter-building.
The grievance g_i is fixed at the start so the starting spending is the fixed point; a budget
ceiling caps spending as a share of GDP and a floor (a share of the starting burden) keeps
standing forces from vanishing when a poor state's large threat term falls. The military stock
depreciates.
"""

from __future__ import annotations

import numpy as np

from secorder.mechanisms.beliefs import md_exposure, rivalry
from secorder.params import Params
from secorder.world import (
    SECURITY_TYPE_CODES,
    World,
    commitments,
    proximity,
    shared_membership,
)


def richardson_step(
    x: np.ndarray, threat: np.ndarray, k: np.ndarray | float, alpha: float, g: np.ndarray
) -> np.ndarray:
    """One discrete Richardson step, x' = x + k*T - alpha*x + g (no bounds applied)."""
    return x + k * threat - alpha * x + g


def md_gap(missile_defense: np.ndarray, weight: float) -> np.ndarray:
    """(R,N) extra weight on a state's spending in its rivals' threat: weight * md / (1 - md)."""
    md = np.clip(missile_defense, 0.0, 0.95)
    return weight * md / (1.0 - md)


def threat_weights(world: World, params: Params) -> np.ndarray:
    """(R,N,N) weight of j's spending in i's perceived threat."""
    prox = proximity(world.static, params)[None]
    rival = rivalry(world.stakes, world.animosity)
    gap = md_gap(world.missile_defense, params.arms_md_gap)[:, None, :]
    exposure = md_exposure(world.static.strike, rival)
    w = world.belief * prox * (1.0 - world.trust) * (1.0 + gap * exposure)
    binding = shared_membership(world, SECURITY_TYPE_CODES)
    return w * (1.0 - params.arms_binding_damping * binding)


def perceived_threat(world: World, params: Params) -> np.ndarray:
    """(R,N) net threat T_i in bn USD: weighted rivals' spending less credible allied help."""
    w = threat_weights(world, params)
    raw = np.einsum("rij,rj->ri", w, world.milex)
    commit = commitments(world)  # commit[r, k, i]: k defends i
    prox = proximity(world.static, params)[None]
    help_ = np.einsum("rki,rk,rk->ri", commit * prox, world.reliability, world.milex)
    return np.maximum(raw - params.arms_ally_substitution * help_, 0.0)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    k = params.arms_reaction * (1.0 - params.arms_norm_damping * world.norms)
    threat = perceived_threat(world, params)
    x = richardson_step(world.milex, threat, k, params.arms_fatigue, world.arms_baseline * world.gdp)
    floor = params.arms_floor_share * world.start_burden * world.gdp
    x = np.clip(x, floor, np.maximum(params.max_burden * world.gdp, floor))
    stock = (1.0 - params.military_depreciation) * world.mil_stock + x
    return {"milex": x, "milex_prev": world.milex, "mil_stock": stock}
