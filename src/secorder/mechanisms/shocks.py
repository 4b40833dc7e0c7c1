"""Step 1 -- shocks: GDP growth around each state's trend, and shared transnational threats.

Growth is each state's trend plus normal noise. Each trend starts at the scenario's ``growth``
(from-data: the state's real growth over the previous ten years) and converges toward a
common long-run rate, a share ``growth_convergence`` of the gap each year (fast growers slow
down: Pritchett & Summers 2014), so a rising power rises for a while and then less fast. The regional transnational-threat level
(terrorism, piracy, disasters, pandemics) follows a bounded AR(1) around the scenario's
level; each state is hit by a threat event with a chance proportional to the level, so the
same shock hits several states at once.
"""

from __future__ import annotations

import numpy as np

from secorder.mechanisms.base import normal_from_uniform
from secorder.params import Params
from secorder.world import StateAttribute, StateVar, World


def initial_threat(setup) -> float:
    """The scenario's transnational-threat level (the threat's initial value)."""
    return setup.static.threat_base


STATE = (
    StateVar("growth", ("runs", "states"), float, StateAttribute("growth"), "this year's GDP growth rate"),
    StateVar("trend", ("runs", "states"), float, StateAttribute("growth"),
             "the state's trend growth rate this year (converges toward growth_long_run)"),
    StateVar("gdp", ("runs", "states"), float, StateAttribute("gdp"), "GDP (bn USD)"),
    StateVar("threat", ("runs",), float, initial_threat, "regional transnational threat level, 0-1"),
    StateVar("threat_hit", ("runs", "states"), bool, False, "hit by a transnational threat event this year"),
)


def growth_rates(trend: np.ndarray, u: np.ndarray, sd: float) -> np.ndarray:
    """(R,N) yearly growth: trend + sd * z, floored at -0.5 so GDP stays positive."""
    return np.maximum(trend + sd * normal_from_uniform(u), -0.5)


def converge(trend: np.ndarray, params: Params) -> np.ndarray:
    """(R,N) the trend one year on: a share ``growth_convergence`` of the gap to the long-run rate closes."""
    return trend + params.growth_convergence * (params.growth_long_run - trend)


def threat_level(threat: np.ndarray, base: float, u: np.ndarray, params: Params) -> np.ndarray:
    """(R,) next threat level: AR(1) toward ``base`` with normal innovations, kept in [0, 1]."""
    rho = params.threat_persistence
    nxt = rho * threat + (1.0 - rho) * base + params.threat_noise_sd * normal_from_uniform(u)
    return np.clip(nxt, 0.0, 1.0)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Trend growth for the year, GDP growth around it and GDP, and the transnational threat (step 1)."""
    trend = converge(world.trend, params)  # this year's trend (the scenario's growth is last year's)
    g = growth_rates(trend, draws["growth"], params.growth_noise_sd)
    threat = threat_level(world.threat, world.static.threat_base, draws["threat"], params)
    hit = draws["threat_hit"] < threat[:, None] * params.threat_hit_rate
    return {"growth": g, "gdp": world.gdp * (1.0 + g), "trend": trend, "threat": threat, "threat_hit": hit}
