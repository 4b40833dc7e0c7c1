"""Step 4 -- beliefs: each state updates its belief that another is aggressive.

The update is on the logit scale. Signals: the other's arms growth beyond its economy's trend, its new missile
defence (read as a threat to one's deterrent when one has a strike force and a quarrel with
it), and last year's disputes or war between them. Misperception noise is shrunk by a shared
forum's transparency and depth. Beliefs decay toward their long-run anchor.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import md_exposure, rival_pairs, rivalry, shared_transparency
from secorder.mechanisms.base import expit, logit, normal_from_uniform, zero_diagonal
from secorder.params import Params
from secorder.world import OUTCOME, SameAs, Setup, StateVar, World


def initial_belief(stakes: np.ndarray, animosity: np.ndarray, trust: np.ndarray) -> np.ndarray:
    """Starting belief that the other is aggressive: rises with animosity and the other's claims.

    A documented modelling choice: 0.1 + 0.5 * animosity + 0.3 * (other's stake against me) *
    (1 - trust), clipped to [0.02, 0.98].
    """
    b = 0.1 + 0.5 * animosity + 0.3 * np.swapaxes(stakes, -1, -2) * (1.0 - trust)
    b = np.clip(b, 0.02, 0.98)
    n = b.shape[-1]
    b[..., np.arange(n), np.arange(n)] = 0.0
    return b


def initial_beliefs(setup: Setup) -> np.ndarray:
    return initial_belief(setup["stakes"], setup["animosity"], setup["trust"])


STATE = (
    StateVar("belief", ("runs", "states", "states"), float, initial_beliefs,
             "directed: i's belief that j is aggressive"),
    StateVar("belief_anchor", ("runs", "states", "states"), float, SameAs("belief"), "long-run anchor of belief"),
)

__all__ = ["STATE", "excess_arms_growth", "initial_belief", "md_exposure", "rivalry", "step", "update_beliefs"]


def excess_arms_growth(milex: np.ndarray, milex_prev: np.ndarray, trend: np.ndarray) -> np.ndarray:
    """(R,N) arms growth beyond what the economy's trend explains (>= 0); ``trend`` is (N,) or (R,N)."""
    g = np.log(np.maximum(milex, 1e-9) / np.maximum(milex_prev, 1e-9))
    return np.maximum(g - np.broadcast_to(trend, g.shape), 0.0)


def update_beliefs(world: World, params: Params, u: np.ndarray) -> np.ndarray:
    """(R,N,N) beliefs after this year's signals and noise (``u``: uniforms for the noise)."""
    rival = rival_pairs(world)
    excess = excess_arms_growth(world.milex, world.milex_prev, world.trend)
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
    anchor = world.belief_anchor  # set at the start and never moved: its logit is kept from year to year
    anchor_logit = logit(anchor) if world.cache is None else world.cache.get("logit_belief_anchor", (anchor,), lambda: logit(anchor))
    z = rho * logit(world.belief) + (1.0 - rho) * anchor_logit + signal
    b = np.clip(expit(z + noise_sd * normal_from_uniform(u)), 0.01, 0.99)
    return zero_diagonal(b)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each state's updated belief that each other state is aggressive (step 4)."""
    return {"belief": update_beliefs(world, params, draws["noise"])}
