"""Step 7a -- the cost of security institutions that exclude rising powers, and their decay (O10).

A multilateral security institution that leaves out a power on the rise pays twice. The rising
power is shut out of an order that is being shaped without it: its satisfaction with the status
quo falls with the depth of the institutions it is excluded from (and feeds its crisis hazard,
step 9, and its bargaining, step 10c). The institution loses relevance as the excluded grow:
its depth decays in proportion to the capability share of the rising powers it excludes.
A power is *rising* in a year when its growth is above the region's GDP-weighted mean.
Satisfaction relaxes back toward its starting level once the exclusion ends, so the cost lasts
only as long as the exclusion.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import capability
from secorder.params import Params
from secorder.world import INST_TYPE_CODES, SECURITY_TYPE_CODES, SameAs, StateVar, World

STATE = (
    StateVar("satisfaction_anchor", ("runs", "states"), float, SameAs("satisfaction"),
             "starting satisfaction, the level satisfaction relaxes back to"),
)


def rising(growth: np.ndarray, gdp: np.ndarray) -> np.ndarray:
    """(R,N) bool: growth above the region's GDP-weighted mean this year."""
    mean = (growth * gdp).sum(axis=1, keepdims=True) / np.maximum(gdp.sum(axis=1, keepdims=True), 1e-12)
    return growth > mean


def exclusive(world: World) -> np.ndarray:
    """(R,K) bool: multilateral security institutions that exist this year (two members or more)."""
    st = world.static
    kind = np.isin(st.inst_type, SECURITY_TYPE_CODES) & (st.inst_type != INST_TYPE_CODES["bilateral_alliance"])
    return kind[None, :] & (world.members.sum(axis=2) >= 2)


def excluded_weight(members: np.ndarray, multilateral: np.ndarray, rising_cap: np.ndarray) -> np.ndarray:
    """(R,K) capability share of the rising powers each multilateral institution leaves out."""
    outside = ~members & multilateral[:, :, None]
    return (outside * rising_cap[:, None, :]).sum(axis=2)


def exclusion_depth(members: np.ndarray, multilateral: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """(R,N) depth of the deepest multilateral security institution each state is left out of."""
    outside = ~members & multilateral[:, :, None]
    return np.max(outside * depth[:, :, None], axis=1, initial=0.0)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Depth lost by exclusive institutions and satisfaction lost by the rising powers they exclude (step 7a)."""
    rise = rising(world.growth, world.gdp)
    rising_cap = capability(world, params) * rise
    multilateral = exclusive(world)
    depth = world.depth * (1.0 - np.clip(params.exclusion_decay * excluded_weight(world.members, multilateral,
                                                                                   rising_cap), 0.0, 1.0))
    shut_out = exclusion_depth(world.members, multilateral, world.depth) * rise
    s = world.satisfaction
    s = s - params.exclusion_grievance * shut_out * s + params.satisfaction_recovery * (world.satisfaction_anchor - s)
    return {"depth": depth, "satisfaction": np.clip(s, 0.0, 1.0)}
