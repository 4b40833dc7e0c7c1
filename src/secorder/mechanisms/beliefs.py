"""Step 4 -- beliefs: each state updates, on the logit scale, its belief that another is
aggressive. Signals: the other's arms growth beyond its economy's trend, its new missile
defence (read as a threat to one's deterrent when one has a strike force and a quarrel with
it), and last year's disputes or war between them. Misperception noise is shrunk by a shared
forum's transparency and depth. Beliefs decay toward their long-run anchor.
"""

from __future__ import annotations

import numpy as np

from secorder.mechanisms.base import expit, logit, normal_from_uniform, zero_diagonal
from secorder.params import Params
from secorder.world import OUTCOME, World, shared_transparency


def rivalry(stakes: np.ndarray, animosity: np.ndarray) -> np.ndarray:
    """(R,N,N) bool: the pair have a quarrel (a stake on either side, or animosity)."""
    return (stakes > 0) | (np.swapaxes(stakes, -1, -2) > 0) | (animosity > 0)


def md_exposure(strike: np.ndarray, rival: np.ndarray) -> np.ndarray:
    """(R,N,N) how much j's missile defence threatens i's deterrent: i's strike force, if rivals.

    Zero when i has no strike force or no quarrel with j, so a defence deployed by a state
    with no rival in range changes nothing.
    """
    return strike[None, :, None] * rival


def excess_arms_growth(milex: np.ndarray, milex_prev: np.ndarray, trend: np.ndarray) -> np.ndarray:
    """(R,N) arms growth beyond what the economy's trend explains (>= 0)."""
    g = np.log(np.maximum(milex, 1e-9) / np.maximum(milex_prev, 1e-9))
    return np.maximum(g - trend[None, :], 0.0)


def update_beliefs(world: World, params: Params, u: np.ndarray) -> np.ndarray:
    rival = rivalry(world.stakes, world.animosity)
    excess = excess_arms_growth(world.milex, world.milex_prev, world.static.trend_growth)
    md_rise = np.maximum(world.missile_defense - world.missile_defense_prev, 0.0)
    fought = world.fought_last
    signal = (
        params.belief_arms_signal * excess[:, None, :]
        + params.belief_md_signal * md_exposure(world.static.strike, rival) * md_rise[:, None, :]
        + params.belief_dispute_signal * ((fought >= OUTCOME["deterrence"]) & (fought < OUTCOME["war"]))
        + params.belief_war_signal * (fought == OUTCOME["war"])
    )
    noise_sd = params.belief_noise_sd * (1.0 - params.transparency_precision * shared_transparency(world))
    rho = params.belief_persistence
    z = rho * logit(world.belief) + (1.0 - rho) * logit(world.belief_anchor) + signal
    b = np.clip(expit(z + noise_sd * normal_from_uniform(u)), 0.01, 0.99)
    return zero_diagonal(b)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {"belief": update_beliefs(world, params, draws["noise"])}
