"""Step 12 -- bookkeeping: the pair's heaviest outcome, peace years, arms races, the year.

The order's kind is classified from the resulting world by
:mod:`secorder.orders`, and the metrics are read off by :mod:`secorder.metrics`.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import rivalry
from secorder.params import Params
from secorder.world import OUTCOME, DyadAttribute, SameAs, Setup, StateVar, World


def start_year(setup: Setup) -> int:
    """The scenario's start year (the year counter's initial value)."""
    return setup.scenario.year


DYAD = ("runs", "states", "states")
STATE = (
    StateVar("year", (), int, start_year, "the current year (shared by all runs)"),
    StateVar("fought_last", DYAD, np.int8, 0, "last year's heaviest outcome code between i and j (symmetric)"),
    StateVar("peace_years", DYAD, float, DyadAttribute("peace_years"),
             "years since the pair's last militarised dispute (symmetric)"),
    StateVar("race_years", DYAD, float, 0.0, "consecutive years of mutual fast arms growth (symmetric)"),
    StateVar("missile_defense_prev", ("runs", "states"), float, SameAs("missile_defense"),
             "last year's missile defence"),
)


def pair_outcome(outcome: np.ndarray) -> np.ndarray:
    """(R,N,N) symmetric heaviest outcome code of the pair this year (0 if no crisis)."""
    o = np.maximum(outcome, 0)
    return np.maximum(o, np.swapaxes(o, 1, 2)).astype(np.int8)


def arms_race_years(
    race_years: np.ndarray,
    milex: np.ndarray,
    milex_prev: np.ndarray,
    growth: np.ndarray,
    rival: np.ndarray,
    params: Params,
) -> np.ndarray:
    """(R,N,N) consecutive years in which both rivals raised spending by >= the threshold.

    Horn's criterion, with one addition for fast-growing economies: the spending must also
    outgrow the economy (a rising burden), so growth alone is not read as an arms race.
    """
    fast = (milex >= (1.0 + params.arms_race_growth) * milex_prev) & (milex > (1.0 + growth) * milex_prev)
    both = fast[:, :, None] & fast[:, None, :] & rival
    return np.where(both, race_years + 1, 0.0)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Last year's outcome memory, peace years, arms-race spells and the next year (step 12)."""
    pair = pair_outcome(world.outcome)
    militarised = pair >= OUTCOME["deterrence"]
    rival = rivalry(world.stakes, world.animosity)
    rival = rival & ~np.eye(world.n_states, dtype=bool)[None]
    return {
        "fought_last": pair,
        "peace_years": np.where(militarised, 0.0, world.peace_years + 1.0),
        "race_years": arms_race_years(
            world.race_years, world.milex, world.milex_prev, world.growth, rival, params
        ),
        "missile_defense_prev": world.missile_defense,
        "year": world.year + 1,
    }
