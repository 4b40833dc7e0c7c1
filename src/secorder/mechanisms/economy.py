"""Step 3 -- economy and interdependence: bilateral trade and trade dependence.

Bilateral trade grows with GDP (gravity), with opening up and with shared economic
institutions, and is damped the year after a militarised dispute or war between the pair. Trade dependence (trade / GDP) follows from it.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import dependence, shared_membership
from secorder.params import Params
from secorder.world import ECONOMIC_TYPE_CODE, OUTCOME, DyadAttribute, StateVar, World

STATE = (
    StateVar("trade", ("runs", "states", "states"), float, DyadAttribute("trade"), "bilateral trade (bn USD), symmetric"),
)

__all__ = ["STATE", "dependence", "step", "trade_growth_factor"]


def trade_growth_factor(
    growth: np.ndarray,
    openness: np.ndarray,
    shared_econ: np.ndarray,
    fought_last: np.ndarray,
    params: Params,
) -> np.ndarray:
    """(R,N,N) multiplicative change of bilateral trade this year."""
    gravity = 0.5 * params.trade_gdp_elasticity * (
        np.log1p(growth)[:, :, None] + np.log1p(growth)[:, None, :]
    )
    opening = 0.5 * (openness[:, None] + openness[None, :])
    militarised = fought_last >= OUTCOME["deterrence"]
    war = fought_last == OUTCOME["war"]
    log_change = (
        gravity
        + opening
        + params.econ_institution_trade_growth * shared_econ
        - params.dispute_trade_damping * (militarised & ~war)
        - params.war_trade_damping * war
    )
    return np.exp(log_change)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Bilateral trade after this year's growth, opening up, economic institutions and damping (step 3)."""
    shared_econ = shared_membership(world, (ECONOMIC_TYPE_CODE,)) > 0
    factor = trade_growth_factor(
        world.growth, world.static.openness, shared_econ, world.fought_last, params
    )
    return {"trade": world.trade * factor}
