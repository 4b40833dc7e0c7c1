"""Step 8 -- arms: Richardson-type spending with the missile-defence deterrence gap.

Each state's spending x_i responds to the threat it perceives and follows its economy,

    x_i' = x_i + k_i * T_i - alpha * x_i + G_i,     G_i = alpha * b_i * GDP_i - k0_i * T0_i,

where T_i sums others' spending weighted by i's belief that they are aggressive, proximity
(loss of strength with distance) and lack of trust, less a share of what committed allies
credibly add. The reaction k_i is damped by internalised cooperative norms and by deep
binding institutions shared with the other. A rival's missile defence multiplies the threat
term by 1 + gap * md/(1 - md) (Intriligator & Brito: the retaliatory arsenal needed to keep
deterrence grows as 1/(1 - interception)), so defence can provoke counter-building.
The grievance G_i makes the starting spending the fixed point: b_i is the starting military
burden and k0_i * T0_i the threat response the starting spending already holds. So spending
settles at b_i * GDP_i + (k_i * T_i - k0_i * T0_i) / alpha: it grows with the economy (a
constant burden when nothing else changes) and rises above it by the reaction to a threat
larger than at the start, less what reliable allies credibly add (defence economics' demand
for military spending: Smith 1980; Dunne & Perlo-Freeman 2003). A budget ceiling caps spending
as a share of GDP and a floor (a share of the starting burden) keeps standing forces from
vanishing when a threat falls. The military stock depreciates.
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


def initial_reaction_scale(setup: Setup) -> np.ndarray:
    """s_i = min(1, x0_i / T0_i): a state facing a threat larger than its own forces reacts in proportion.

    Richardson's coefficients describe rivals of comparable size; a small state beside a giant
    (Mongolia beside China) cannot answer each bn of the giant's spending with ``k`` bn of its
    own, so its reaction is scaled to its starting spending relative to its starting threat.
    """
    world, params = setup.world(), setup.params
    threat = perceived_threat(world, params)[0]
    x0 = world.milex[0]
    return np.where(threat > x0, x0 / np.maximum(threat, 1e-12), 1.0)


def initial_threat_response(setup: Setup) -> np.ndarray:
    """k0_i * T0_i (bn USD): the reaction to the starting threat that the starting spending holds.

    The scenario's year is taken as an equilibrium: spending then moves only when threats,
    beliefs, missile defence or the economy move.
    """
    world, params = setup.world(), setup.params
    threat = perceived_threat(world, params)
    return (reaction(world.norms, setup["reaction_scale"], params) * threat)[0]


STATE = (
    StateVar("milex", ("runs", "states"), float, StateAttribute("military_spending"), "military spending (bn USD)"),
    StateVar("milex_prev", ("runs", "states"), float, SameAs("milex"), "last year's military spending"),
    StateVar("mil_stock", ("runs", "states"), float, initial_stock, "military stock (depreciated sum of spending)"),
    StateVar("threat_response_start", ("runs", "states"), float, initial_threat_response,
             "k0 * T0 (bn USD): the reaction to the starting threat held in the starting spending"),
    StateVar("reaction_scale", ("runs", "states"), float, initial_reaction_scale,
             "min(1, starting spending / starting threat): scales the Richardson reaction to the state's size"),
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


def reaction(norms: np.ndarray, scale: np.ndarray, params: Params) -> np.ndarray:
    """(R,N) k_i = arms_reaction * (1 - arms_norm_damping * norms_i) * s_i."""
    return params.arms_reaction * (1.0 - params.arms_norm_damping * norms) * scale


def grievance(start_burden: np.ndarray, gdp: np.ndarray, threat_response_start: np.ndarray, params: Params) -> np.ndarray:
    """(R,N) G_i = alpha * b_i * GDP_i - k0_i * T0_i: the economy's anchor less the starting threat response."""
    return params.arms_fatigue * start_burden * gdp - threat_response_start


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Military spending and stock after this year's Richardson reaction, fatigue, floor and ceiling (step 8)."""
    k = reaction(world.norms, world.reaction_scale, params)
    threat = perceived_threat(world, params)
    g = grievance(world.start_burden, world.gdp, world.threat_response_start, params)
    x = richardson_step(world.milex, threat, k, params.arms_fatigue, g)
    floor = params.arms_floor_share * world.start_burden * world.gdp
    x = np.clip(x, floor, np.maximum(params.max_burden * world.gdp, floor))
    stock = (1.0 - params.military_depreciation) * world.mil_stock + x
    return {"milex": x, "milex_prev": world.milex, "mil_stock": stock}
