"""Step 12 -- bookkeeping: the pair's disputes, heaviest outcome, peace years, arms races, the year.

A militarised crisis (deterrence or heavier) starts a dispute between the pair that lasts
one year or more (onset, step 9, decides each year whether an active dispute goes on). The
pair's years of peace restart only when no dispute is active: they are the one memory of
recent disputes the onset hazard carries (docs/model.md, step 12).

The order's kind is classified from the resulting world by
:mod:`secorder.orders`, and the metrics are read off by :mod:`secorder.metrics`.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import rival_pairs
from secorder.params import Params
from secorder.world import OUTCOME, DyadAttribute, SameAs, Setup, StateVar, World


def start_year(setup: Setup) -> int:
    """The scenario's start year (the year counter's initial value)."""
    return setup.scenario.year


def initial_dispute_years(setup: Setup) -> np.ndarray:
    """(N,N) 1 for pairs with a dispute in the year before the start (0 years of peace), else 0."""
    return (setup["peace_years"] == 0).astype(float) * ~np.eye(setup.static.n_states, dtype=bool)


def initial_dispute_level(setup: Setup) -> np.ndarray:
    """(N,N) the level of the disputes active at the start: threats and displays (``deterrence``)."""
    return (initial_dispute_years(setup) > 0).astype(np.int8) * np.int8(OUTCOME["deterrence"])


DYAD = ("runs", "states", "states")
STATE = (
    StateVar("year", (), int, start_year, "the current year (shared by all runs)"),
    StateVar("fought_last", DYAD, np.int8, 0, "last year's heaviest outcome code between i and j (symmetric)"),
    StateVar("peace_years", DYAD, float, DyadAttribute("peace_years"),
             "years since the pair's last militarised dispute (symmetric)"),
    StateVar("race_years", DYAD, float, 0.0, "consecutive years of mutual fast arms growth (symmetric)"),
    StateVar("missile_defense_prev", ("runs", "states"), float, SameAs("missile_defense"),
             "last year's missile defence"),
    StateVar("dispute_years", DYAD, float, initial_dispute_years,
             "years the pair's active dispute has lasted, 0 if none (symmetric)"),
    StateVar("dispute_level", DYAD, np.int8, initial_dispute_level,
             "heaviest outcome code of the pair's active dispute, 0 if none (symmetric)"),
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


def dispute_spells(
    new: np.ndarray, pair: np.ndarray, ongoing: np.ndarray, years: np.ndarray, level: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(R,N,N) each pair's dispute years and level after this year.

    A new militarised crisis starts a dispute (1 year, its outcome as the level); an ongoing one
    adds a year and keeps its level; any other pair has no active dispute.
    """
    years = np.where(new, 1.0, np.where(ongoing, years + 1.0, 0.0))
    level = np.where(new, pair, np.where(ongoing, level, 0)).astype(np.int8)
    return years, level


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Disputes, last year's outcome memory, peace years, arms-race spells and the next year (step 12)."""
    pair = pair_outcome(world.outcome)
    new = pair >= OUTCOME["deterrence"]
    years, level = dispute_spells(new, pair, world.ongoing, world.dispute_years, world.dispute_level)
    rival = rival_pairs(world)
    rival = rival & ~np.eye(world.n_states, dtype=bool)[None]
    return {
        "dispute_years": years,
        "dispute_level": level,
        # an ongoing dispute weighs on the pair's relations as its level did when it started
        "fought_last": np.maximum(pair, np.where(world.ongoing, world.dispute_level, 0)).astype(np.int8),
        "peace_years": np.where(years > 0, 0.0, world.peace_years + 1.0),
        "race_years": arms_race_years(
            world.race_years, world.milex, world.milex_prev, world.growth, rival, params
        ),
        "missile_defense_prev": world.missile_defense,
        "year": world.year + 1,
    }
