"""Step 11 -- war and its costs.

Battle deaths: a war's are drawn from a power law with exponent about 1.5 above the COW
threshold of 1,000 (truncated at a cap); a fatal dispute's are log-uniform below 1,000.
Each belligerent loses GDP in proportion to the order of magnitude of the deaths, and part
of its military stock; allies that joined bear a share of the cost. Trust between the
belligerents collapses and animosity rises (less so after a dispute short of war).
"""

from __future__ import annotations

import numpy as np

from secorder import statesets
from secorder.mechanisms.base import draw_at, nonzero
from secorder.params import Params
from secorder.world import OUTCOME, DyadAttribute, StateVar, World

STATE = (
    StateVar("animosity", ("runs", "states", "states"), float, DyadAttribute("animosity"), "symmetric animosity, 0-1"),
)


def war_deaths(u: np.ndarray, params: Params) -> np.ndarray:
    """Battle deaths of wars by inverse CDF of a Pareto density x^-alpha above war_min_deaths."""
    tail = params.battle_deaths_exponent - 1.0
    x = params.war_min_deaths * np.power(np.clip(u, 1e-12, 1.0), -1.0 / tail)  # the cap binds long before 1e-12
    return np.minimum(x, params.battle_deaths_cap)


def dispute_deaths(u: np.ndarray, params: Params) -> np.ndarray:
    """Battle deaths of fatal disputes: log-uniform on [1, war_min_deaths)."""
    return np.floor(np.power(params.war_min_deaths, u))


def gdp_loss_share(deaths: np.ndarray, params: Params) -> np.ndarray:
    """Share of GDP a belligerent loses: war_gdp_loss per order of magnitude above 100 deaths."""
    return np.clip(params.war_gdp_loss * np.log10(np.maximum(deaths, 1.0) / 100.0), 0.0, 0.9)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Battle deaths, GDP and military losses, and the trust and animosity after this year's fights (step 11)."""
    war = world.outcome == OUTCOME["war"]
    dispute = world.outcome == OUTCOME["dispute"]
    if not (war.any() or dispute.any()):
        return {}
    r_idx, i_idx, j_idx = nonzero(war | dispute)
    is_war = war[r_idx, i_idx, j_idx]
    u = draw_at(draws, "severity", r_idx, i_idx, j_idx)
    fight_deaths = np.where(is_war, war_deaths(u, params), dispute_deaths(u, params))
    deaths = np.zeros_like(world.deaths)
    deaths[r_idx, i_idx, j_idx] = fight_deaths
    share = gdp_loss_share(fight_deaths, params)
    loss = np.zeros_like(world.gdp)
    np.add.at(loss, (r_idx, i_idx), share)
    np.add.at(loss, (r_idx, j_idx), share)
    # allies that joined the target's side share the cost
    joined = statesets.unpack(world.joined[r_idx, i_idx, j_idx], world.n_states)  # (F,N)
    ally_share = joined.astype(float) * (params.ally_cost_share * share)[:, None]
    ally_loss = np.zeros_like(world.gdp)
    np.add.at(ally_loss, r_idx, ally_share)
    total_loss = np.clip(loss + ally_loss, 0.0, 0.9)
    gdp = world.gdp * (1.0 - total_loss)

    mil_loss = np.zeros_like(world.gdp)
    np.add.at(mil_loss, (r_idx[is_war], i_idx[is_war]), params.war_military_loss)
    np.add.at(mil_loss, (r_idx[is_war], j_idx[is_war]), params.war_military_loss)
    mil_stock = world.mil_stock * (1.0 - np.clip(mil_loss, 0.0, 0.9))

    # Relations: symmetric, the heavier of war and dispute counts for the pair.
    war_pair = war | np.swapaxes(war, 1, 2)
    disp_pair = (dispute | np.swapaxes(dispute, 1, 2)) & ~war_pair
    trust = world.trust * np.where(war_pair, 1 - params.war_trust_loss, 1.0)
    trust = trust * np.where(disp_pair, 1 - params.dispute_trust_loss, 1.0)
    # Only war adds to animosity: the memory of disputes short of war is the pair's years of
    # peace (one memory channel, docs/model.md step 12), so they are not counted twice.
    animosity = np.clip(world.animosity + params.war_animosity_gain * war_pair, 0.0, 1.0)
    return {
        "deaths": deaths,
        "gdp": gdp,
        "mil_stock": mil_stock,
        "trust": trust,
        "animosity": animosity,
        "ally_cost": world.ally_cost + ally_loss * world.gdp,
    }
