"""The variables a design's triggers and failure rules read: a small registry, one function each.

A variable turns the world at the start of a year (and the counts a design keeps of what has
happened so far) into one number per run, an ``(R,)`` array. It needs nothing, a ``pair`` of
states, a ``state`` or an ``institution`` (the design's own institution, by the id its first
stage gives it, or any institution of the scenario). To add one::

    @register("my_variable", "state", "what it measures, in one sentence")
    def my_variable(view, target):
        return view.world.some_array[:, target.state]

Another module may register its own. The F2 conditions that step 6c computes each year are
registered here: ``condition_<name>`` for the region (the world's ``conditions``) and
``charter_<name>`` for an institution's charter (``inst_conditions``), one per name in
:data:`secorder.world.CONDITIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from secorder.derived import handled_counts
from secorder.mechanisms.institutions import crisis_record
from secorder.params import Params
from secorder.world import CONDITIONS, OUTCOME, World

Needs = Literal["none", "pair", "state", "institution"]


@dataclass(frozen=True)
class Target:
    """What a condition points at, as indices: a pair ``(i, j)``, a state, or institution slots."""

    pair: tuple[int, int] | None = None
    state: int | None = None
    institutions: tuple[int, ...] = ()  # a design's institution is several slots, one per stage


@dataclass
class View:
    """The world at the start of a year and a design's counts of what has happened so far.

    ``handled`` (R,K): crises each institution ended itself since the start. ``fights`` (R,N,N):
    fatal disputes and wars between each pair since the start (either side the challenger).
    ``member_fights`` (R,K): fatal disputes and wars among each institution's members since
    the design's current stage was reached. ``years_at_stage`` (R,): years since then.
    """

    world: World
    params: Params
    handled: np.ndarray
    fights: np.ndarray
    member_fights: np.ndarray
    years_at_stage: np.ndarray
    level: np.ndarray | None = None  # (R,) the design's stage in place (0: none yet)
    extra: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class Variable:
    """A registered variable: its name, what it needs, a one-sentence meaning and its function."""

    name: str
    needs: Needs
    doc: str
    func: Callable[[View, Target], np.ndarray]

    def __call__(self, view: View, target: Target) -> np.ndarray:
        """(R,) the variable's value in every run."""
        return np.asarray(self.func(view, target), dtype=float).reshape(view.world.n_runs)


VARIABLES: dict[str, Variable] = {}


def register(name: str, needs: Needs, doc: str) -> Callable[[Callable[[View, Target], np.ndarray]], Callable]:
    """Decorator: register a variable ``name`` that needs ``needs`` (none, pair, state, institution)."""
    def deco(func: Callable[[View, Target], np.ndarray]) -> Callable:
        if name in VARIABLES:
            raise ValueError(f"design variable {name!r} is registered twice")
        if needs not in ("none", "pair", "state", "institution"):
            raise ValueError(f"design variable {name!r}: needs must be none, pair, state or institution")
        VARIABLES[name] = Variable(name, needs, doc, func)
        return func
    return deco


def _pair_mean(a: np.ndarray, t: Target) -> np.ndarray:
    i, j = t.pair  # type: ignore[misc]
    return 0.5 * (a[:, i, j] + a[:, j, i])


def _over_slots(a: np.ndarray, t: Target) -> np.ndarray:
    """(R,) sum over an institution's slots (a design's institution sits in one slot at a time)."""
    return a[:, list(t.institutions)].sum(axis=1)


@register("trust", "pair", "Mutual trust of the pair, the mean of both directions (0-1).")
def _trust(v: View, t: Target) -> np.ndarray:
    return _pair_mean(v.world.trust, t)


@register("belief", "pair", "Mean belief of each side of the pair that the other is aggressive (0-1).")
def _belief(v: View, t: Target) -> np.ndarray:
    return _pair_mean(v.world.belief, t)


@register("animosity", "pair", "Historical animosity of the pair, mean of both directions.")
def _animosity(v: View, t: Target) -> np.ndarray:
    return _pair_mean(v.world.animosity, t)


@register("peace_years", "pair", "Years since the pair's last militarised dispute.")
def _peace_years(v: View, t: Target) -> np.ndarray:
    return _pair_mean(v.world.peace_years, t)


@register("fights", "pair", "Fatal disputes and wars between the pair since the start of the run.")
def _fights(v: View, t: Target) -> np.ndarray:
    i, j = t.pair  # type: ignore[misc]
    return v.fights[:, i, j]


@register("regime", "state", "The state's regime score (-10 autocracy .. 10 democracy).")
def _regime(v: View, t: Target) -> np.ndarray:
    return v.world.regime[:, t.state]


@register("hazard", "state", "The state's yearly hazard of a domestic regime challenge.")
def _hazard(v: View, t: Target) -> np.ndarray:
    return v.world.hazard[:, t.state]


@register("satisfaction", "state", "The state's satisfaction with the regional status quo (0-1).")
def _satisfaction(v: View, t: Target) -> np.ndarray:
    return v.world.satisfaction[:, t.state]


@register("mean_trust", "none", "Mean trust over every ordered pair of states in the region (0-1).")
def _mean_trust(v: View, t: Target) -> np.ndarray:
    n = v.world.n_states
    off = ~np.eye(n, dtype=bool)
    return np.ascontiguousarray(v.world.trust[:, off]).mean(axis=1)


@register("threat", "none", "The region's transnational threat level this year (0-1).")
def _threat(v: View, t: Target) -> np.ndarray:
    return v.world.threat


@register("region_fights", "none", "Fatal disputes and wars anywhere in the region since the start of the run.")
def _region_fights(v: View, t: Target) -> np.ndarray:
    return np.triu(v.fights, k=1).sum(axis=(1, 2))


@register("years_at_stage", "none", "Years since the design reached its current stage (0 the year it does).")
def _years_at_stage(v: View, t: Target) -> np.ndarray:
    return v.years_at_stage


@register("depth", "institution", "The institution's depth (0-1; 0 while it does not exist).")
def _depth(v: View, t: Target) -> np.ndarray:
    alive = v.world.members[:, list(t.institutions), :].sum(axis=2) >= 2
    return (v.world.depth[:, list(t.institutions)] * alive).sum(axis=1)


@register("members", "institution", "Number of the institution's members.")
def _members(v: View, t: Target) -> np.ndarray:
    return v.world.members[:, list(t.institutions), :].sum(axis=(1, 2))


@register("cohesion", "institution", "The institution's cohesion (members' trust, reliability and satisfaction).")
def _cohesion(v: View, t: Target) -> np.ndarray:
    return _over_slots(v.world.cohesion, t)


@register("crises_handled", "institution",
          "Crises the institution ended itself (forum prevention, concert mediation) since the start of the run.")
def _crises_handled(v: View, t: Target) -> np.ndarray:
    return _over_slots(v.handled, t)


@register("member_fights", "institution",
          "Fatal disputes and wars among the institution's members since the design reached its current stage "
          "(for an alliance: attacks on a member by an outsider).")
def _member_fights(v: View, t: Target) -> np.ndarray:
    return _over_slots(v.member_fights, t)


def _condition(k: int) -> Callable[[View, Target], np.ndarray]:
    def value(v: View, t: Target) -> np.ndarray:
        return v.world.conditions[:, k]
    return value


def _charter_condition(k: int) -> Callable[[View, Target], np.ndarray]:
    def value(v: View, t: Target) -> np.ndarray:
        slots = np.asarray(t.institutions)
        if slots.size == 1 or v.level is None:
            return v.world.inst_conditions[:, slots[0], k]
        # a design's institution: the charter of the stage in place (of the first stage before it exists)
        at = slots[np.clip(v.level - 1, 0, slots.size - 1)]
        return v.world.inst_conditions[np.arange(v.world.n_runs), at, k]
    return value


for _k, _c in enumerate(CONDITIONS):
    register(f"condition_{_c}", "none",
             f"F2 condition '{_c}' of the first potential regime (else the whole region), last year (0-1).",
             )(_condition(_k))
    register(f"charter_{_c}", "institution",
             f"F2 condition '{_c}' of the institution's charter (a design's: the stage in place), last year (0-1).",
             )(_charter_condition(_k))


def yearly_counts(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Last year's (R,K) crises each institution handled, (R,N,N) pair fights and (R,K) member fights."""
    fought = world.crisis & (world.outcome >= OUTCOME["dispute"])
    pair = (fought | np.swapaxes(fought, 1, 2)).astype(np.int32)
    return handled_counts(world).astype(float), pair, crisis_record(world)[1]
