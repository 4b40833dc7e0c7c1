"""Step 2 -- domestic regime security.

Each government faces a yearly hazard of a regime challenge (a coup or an armed challenge).
The scenario's ``regime_hazard`` is its long-run level; this year's hazard rises with an
economic shock (growth below trend), with interference from hostile neighbours of a
different regime, and with recent instability (the coup trap), each term centred so that a
state in average conditions keeps its long-run level. A mutual-recognition association
shields its members from their co-members' interference (non-interference). A
regime-defining association acts through its constitutional rule (step 1a: it deters
challengers and sanctions a government that seized power) and, with the weight
``democracy_condition``, through a democracy condition that supports members above a Polity
threshold and sanctions those below it. A challenge may remove the government and move the regime score.
Institutions' regime-security value to insecure governments enters accession and deepening
(step 7): a channel, not an outcome.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from secorder.derived import member_rule_depth, shared_rule_depth
from secorder.mechanisms.base import draw_at, nonzero
from secorder.params import Params
from secorder.world import SameAs, StateAttribute, StateVar, World

STATE = (
    StateVar("regime", ("runs", "states"), float, StateAttribute("regime"), "Polity-style regime score, -10..10"),
    StateVar("regime_hazard", ("runs", "states"), float, StateAttribute("regime_hazard"),
             "long-run yearly hazard of a regime challenge"),
    StateVar("hazard", ("runs", "states"), float, SameAs("regime_hazard"), "this year's effective regime-challenge hazard"),
    StateVar("instability", ("runs", "states"), float, 0.0, "decaying memory of recent challenges"),
    StateVar("interference", ("runs", "states"), float, 0.0, "outside interference from hostile neighbours"),
    StateVar("challenge", ("runs", "states"), bool, False, "a coup or armed challenge started this year"),
    StateVar("removed", ("runs", "states"), bool, False, "the challenge removed the government"),
)



def interference(world: World, params: Params) -> np.ndarray:
    """(R,N) interference each state suffers: hostile neighbours of a different regime.

    Hostility of j toward i is animosity x (1 - trust); it counts for contiguous neighbours,
    weighted by the regime difference, and co-members of a mutual-recognition association
    refrain from it in proportion to the association's depth.
    """
    neighbour = (world.static.contiguity > 0)[None]
    hostility = world.animosity * (1.0 - world.trust)
    gap = np.abs(world.regime[:, :, None] - world.regime[:, None, :]) / 20.0
    shield = 1.0 - params.mutual_recognition_shield * shared_rule_depth(world, "mutual_recognition")
    return np.clip((neighbour * hostility * gap * shield).sum(axis=2), 0.0, 2.0)


def shock_term(z: np.ndarray, effect: float) -> np.ndarray:
    """Log-hazard term effect * max(-z, 0), centred so E[exp(term)] = 1 for standard normal z."""
    norm = np.log(0.5 + np.exp(0.5 * effect**2) * ndtr(effect))
    return effect * np.maximum(-z, 0.0) - norm


def challenge_hazard(world: World, params: Params, inter: np.ndarray) -> np.ndarray:
    """(R,N) this year's chance of a regime challenge."""
    sd = max(params.growth_noise_sd, 1e-9)
    z = (world.growth - world.trend) / sd
    expected_instability = world.regime_hazard / (1.0 - params.regime_instability_decay)
    conform = world.regime >= params.regime_rule_threshold
    rd = member_rule_depth(world, "defining")
    log_h = (
        shock_term(z, params.regime_shock_effect)
        + params.regime_interference_effect * inter
        + params.regime_instability_effect * (world.instability - expected_instability)
        + params.democracy_condition * rd * (params.regime_sanction_effect * ~conform - params.regime_support_effect * conform)
        + world.rule_log_hazard  # the constitutional rule (step 1a)
    )
    return np.clip(world.regime_hazard * np.exp(log_h), 0.0, 0.95)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Regime challenges drawn from each state's hazard, removals and regime shifts (step 2)."""
    inter = interference(world, params)
    hazard = challenge_hazard(world, params, inter)
    challenge = draws["challenge"] < hazard
    # success and direction are drawn only where a challenge (a removal) happened
    r, i = nonzero(challenge)
    removed = np.zeros_like(challenge)
    removed[r, i] = draw_at(draws, "success", r, i) < params.challenge_success_share
    r, i = nonzero(removed)
    toward_autocracy = draw_at(draws, "direction", r, i) < params.regime_shift_autocratic_share
    shift = np.zeros_like(world.regime)
    shift[r, i] = np.where(toward_autocracy, -params.regime_shift_size, params.regime_shift_size)
    regime = np.clip(world.regime + shift, -10.0, 10.0)
    instability = params.regime_instability_decay * world.instability + challenge
    return {
        "hazard": hazard, "interference": inter, "challenge": challenge, "removed": removed,
        "regime": regime, "instability": instability,
    }
