"""Step 1a -- a regime-defining rule against unconstitutional seizures of power (R3).

The seed's regime-defining association (R2, R3) does not ask its members to be democracies:
it defines the acceptable way to hold power and sanctions a government that seized it by a
coup or an armed challenge. Two effects follow, with opposite signs for regime security:

- *deterrence*: would-be challengers in a member state expect the association to isolate a
  government they install, so the yearly hazard of a challenge falls with the depth of the
  member's deepest regime-defining membership;
- *sanction*: a government that did take power by a challenge (a decaying memory of
  removals) faces the association's sanctions, which raise its hazard of a counter-challenge.

Which dominates is an output. The democracy condition (a Polity threshold, step 2) is a
separate rule with its own weight, ``democracy_condition``. This step computes the log-hazard
term; step 2 adds it to each state's challenge hazard.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import member_rule_depth
from secorder.params import Params
from secorder.world import StateVar, World

STATE = (
    StateVar("seized", ("runs", "states"), float, 0.0,
             "decaying memory of a government that took power by a challenge, 0-1"),
    StateVar("rule_log_hazard", ("runs", "states"), float, 0.0,
             "log-hazard term of the constitutional rule of regime-defining associations this year"),
)


def seizure_memory(seized: np.ndarray, removed: np.ndarray, persistence: float) -> np.ndarray:
    """(R,N) memory of seizures: last year's removals count 1, older ones fade by ``persistence``."""
    return np.minimum(persistence * seized + removed, 1.0)


def constitutional_log_hazard(rule_depth: np.ndarray, seized: np.ndarray, params: Params) -> np.ndarray:
    """(R,N) log-hazard term: deterrence of challengers less sanctions on a government that seized power."""
    return rule_depth * (params.constitutional_sanction * seized - params.constitutional_deterrence)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Seizure memory from last year's removals and this year's rule term of the challenge hazard (step 1a)."""
    seized = seizure_memory(world.seized, world.removed, params.seizure_persistence)
    depth = member_rule_depth(world, "defining")
    return {"seized": seized, "rule_log_hazard": constitutional_log_hazard(depth, seized, params)}
