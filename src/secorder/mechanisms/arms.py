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

from secorder.derived import md_gap, perceived_threat, threat_weights
from secorder.params import Params
from secorder.world import SameAs, Setup, StateAttribute, StateVar, World

__all__ = ["STATE", "md_gap", "perceived_threat", "richardson_step", "step", "threat_weights"]


def initial_stock(setup: Setup) -> np.ndarray:
    """The stock a state's starting spending sustains: spending / depreciation."""
    return setup["milex"] / setup.params.military_depreciation


def initial_burden(setup: Setup) -> np.ndarray:
    return setup["milex"] / setup["gdp"]


def initial_baseline(setup: Setup) -> np.ndarray:
    """Grievance term g_i (per unit of GDP) that makes the starting spending a fixed point.

    Given the starting threats, 0 = k * T_i - alpha * x_i + g_i, so g_i = alpha * x_i - k * T_i.
    The scenario's year is taken as an equilibrium; spending then moves only when threats,
    beliefs, missile defence or the economy move.
    """
    world, params = setup.world(), setup.params
    threat = perceived_threat(world, params)
    g = params.arms_fatigue * world.milex - params.arms_reaction * (1.0 - params.arms_norm_damping * world.norms) * threat
    return (g / world.gdp)[0]


STATE = (
    StateVar("milex", ("runs", "states"), float, StateAttribute("military_spending"), "military spending (bn USD)"),
    StateVar("milex_prev", ("runs", "states"), float, SameAs("milex"), "last year's military spending"),
    StateVar("mil_stock", ("runs", "states"), float, initial_stock, "military stock (depreciated sum of spending)"),
    StateVar("arms_baseline", ("runs", "states"), float, initial_baseline,
             'the Richardson "grievance" term, per unit of GDP'),
    StateVar("start_burden", ("runs", "states"), float, initial_burden,
             "military spending / GDP at the start (for the spending floor)"),
    StateVar("missile_defense", ("runs", "states"), float, StateAttribute("missile_defense"),
             "missile-defence interception share, 0-1"),
)


def richardson_step(
    x: np.ndarray, threat: np.ndarray, k: np.ndarray | float, alpha: float, g: np.ndarray
) -> np.ndarray:
    """One discrete Richardson step, x' = x + k*T - alpha*x + g (no bounds applied)."""
    return x + k * threat - alpha * x + g


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Military spending and stock after this year's Richardson reaction, fatigue, floor and ceiling (step 8)."""
    k = params.arms_reaction * (1.0 - params.arms_norm_damping * world.norms)
    threat = perceived_threat(world, params)
    x = richardson_step(world.milex, threat, k, params.arms_fatigue, world.arms_baseline * world.gdp)
    floor = params.arms_floor_share * world.start_burden * world.gdp
    x = np.clip(x, floor, np.maximum(params.max_burden * world.gdp, floor))
    stock = (1.0 - params.military_depreciation) * world.mil_stock + x
    return {"milex": x, "milex_prev": world.milex, "mil_stock": stock}
