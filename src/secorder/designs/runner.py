"""Running a design: each run's stage, moved at the start of every year by triggers and failures.

At the start of each year, before the yearly step, and separately in every run:

1. last year's crises are counted (crises each institution handled, fights between pairs and
   among each institution's members);
2. **failure**: a run whose current stage has a ``fails_if`` rule that holds within ``within``
   years of the stage being reached fails it: ``retry`` undoes the stage and lets it fire again
   ``after`` years later at the earliest (at most ``attempts`` times), ``revert`` undoes it and
   stops the design there, ``abandon`` dissolves the institution and ends the design;
3. **advance**: a run that did not fail this year, whose design goes on, whose institution
   still exists (two members or more) and whose next stage's trigger holds moves to that stage.
   At most one stage a year, so stages are reached in order.

Only the design's slots change (:mod:`secorder.designs.plan`); the mechanisms' random numbers
are those of every other run of the scenario with the same seed, so designs are compared on
common random numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from secorder.derived import cohesion_of, institution_strength
from secorder.designs.plan import Plan
from secorder.designs.variables import VARIABLES, View, yearly_counts
from secorder.params import Params
from secorder.world import World

NEVER = -1


@dataclass
class DesignRecord:
    """What a design did in each run: stages reached (year or -1), failures and the yearly stage.

    ``reached`` (R,S): the year each stage was first reached, ``-1`` if never. ``failures``
    (R,S): how often each stage failed. ``level`` (R,T): the stage in place during each simulated
    year (0: none yet or none any more). ``ended`` (R,): the design stopped (revert, abandon or
    attempts used up). ``abandoned`` (R,): the institution was dissolved by an ``abandon``.
    """

    reached: np.ndarray
    failures: np.ndarray
    level: np.ndarray
    ended: np.ndarray
    abandoned: np.ndarray

    @staticmethod
    def concat(parts: list[DesignRecord]) -> DesignRecord:
        """Chunks of runs joined in order."""
        return DesignRecord(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                              ("reached", "failures", "level", "ended", "abandoned")))


class Controller:
    """The stage machine of one design over a batch of runs; :meth:`before_year` is the engine's hook."""

    def __init__(self, plan: Plan, runs: int, years: int, params: Params):
        self.plan = plan
        self.params = params
        s = len(plan.stages)
        self.level = np.zeros(runs, dtype=np.int64)
        self.ended = np.zeros(runs, dtype=bool)
        self.abandoned = np.zeros(runs, dtype=bool)
        self.wait_until = np.full(runs, -(10**6), dtype=np.int64)
        self.entered = np.zeros(runs, dtype=np.int64)
        self.attempts = np.zeros((runs, s), dtype=np.int64)
        self.reached = np.full((runs, s), NEVER, dtype=np.int64)
        self.failures = np.zeros((runs, s), dtype=np.int64)
        self.depth_before = np.zeros((runs, s))
        self.level_path = np.zeros((runs, years), dtype=np.int8)
        self.streaks = [np.zeros(runs, dtype=np.int64) for _ in plan.conditions()]
        self.handled: np.ndarray | None = None
        self.fights: np.ndarray | None = None
        self.member_fights: np.ndarray | None = None

    # ------------------------------------------------------------------ the yearly hook
    def before_year(self, world: World, t: int) -> World:
        """Count last year's crises, fail and advance stages, and move the design's slots."""
        year = int(world.year)
        self._count(world, t)
        view = View(world, self.params, self.handled, self.fights, self.member_fights,
                    (year - self.entered) * (self.level > 0), self.level)
        holds = self._evaluate(view)
        old = self.level.copy()
        failed = self._fail(year, holds)
        self._advance(year, holds, failed, world)
        world = self._move(world, old)
        changed = self.level != old
        self.entered[changed] = year
        self.member_fights[changed] = 0.0
        self.level_path[:, t] = self.level
        return world

    def record(self) -> DesignRecord:
        """The design's record for this batch of runs."""
        return DesignRecord(self.reached.copy(), self.failures.copy(), self.level_path.copy(), self.ended.copy(),
                            self.abandoned.copy())

    # ------------------------------------------------------------------ steps
    def _count(self, world: World, t: int) -> None:
        handled, fights, member = yearly_counts(world)
        if self.handled is None:
            self.handled, self.fights, self.member_fights = (np.zeros_like(handled), np.zeros_like(fights),
                                                             np.zeros_like(member))
        if t > 0:  # the starting world has no crises of its own
            self.handled = self.handled + handled
            self.fights = self.fights + fights
            self.member_fights = self.member_fights + member

    def _evaluate(self, view: View) -> dict[int, np.ndarray]:
        """(R,) whether each compiled condition holds this year (for ``for_years`` years in a row)."""
        out = {}
        for n, c in enumerate(self.plan.conditions()):
            now = c.holds(VARIABLES[c.condition.variable](view, c.target))
            self.streaks[n] = np.where(now, self.streaks[n] + 1, 0)
            out[id(c)] = self.streaks[n] >= c.condition.for_years
        return out

    def _fail(self, year: int, holds: dict[int, np.ndarray]) -> np.ndarray:
        """Apply failure rules to the runs whose current stage fails this year; returns the mask."""
        failed = np.zeros_like(self.ended)
        for sp in self.plan.stages:
            if sp.fails_if is None:
                continue
            since = year - self.entered
            fail = (self.level == sp.index + 1) & (since > 0) & (since <= sp.within) & holds[id(sp.fails_if)]
            if not fail.any():
                continue
            failed |= fail
            self.failures[fail, sp.index] += 1
            if sp.action == "abandon":
                self.level[fail] = 0
                self.ended[fail] = True
                self.abandoned[fail] = True
            else:
                self.level[fail] = sp.index
                out_of_tries = self.attempts[:, sp.index] >= sp.attempts
                self.ended[fail & ((sp.action == "revert") | out_of_tries)] = True
                self.wait_until[fail] = year + sp.after
        return failed

    def _advance(self, year: int, holds: dict[int, np.ndarray], failed: np.ndarray, world: World) -> None:
        """Move runs whose next stage's trigger holds one stage on."""
        members = world.members
        level = self.level.copy()  # the stage in place before this year's advance: one stage a year
        for sp in self.plan.stages:
            at = (level == sp.index) & ~self.ended & ~failed & (year >= self.wait_until)
            if sp.index > 0:  # the institution must still exist to be deepened, widened, ...
                at &= members[:, self.plan.stages[sp.index - 1].slot, :].sum(axis=1) >= 2
            if sp.year is not None:
                at &= year >= sp.year
            for c in sp.trigger:
                at &= holds[id(c)]
            if not at.any():
                continue
            self.level[at] = sp.index + 1
            self.attempts[at, sp.index] += 1
            first = at & (self.reached[:, sp.index] == NEVER)
            self.reached[first, sp.index] = year

    def _move(self, world: World, old: np.ndarray) -> World:
        """The world with the design's institution moved from each run's old slot to its new one."""
        new = self.level
        moved = np.flatnonzero(new != old)
        if moved.size == 0:
            return world
        stages = self.plan.stages
        members, depth = world.members.copy(), world.depth.copy()
        cohesion, strength = world.cohesion.copy(), world.strength.copy()
        slots = list(self.plan.slots)
        for r in moved:
            a, b = int(old[r]), int(new[r])
            m = members[r, slots[a - 1]].copy() if a > 0 else np.zeros(world.n_states, dtype=bool)
            d = float(depth[r, slots[a - 1]]) if a > 0 else 0.0
            if b == a + 1:  # the next stage
                sp = stages[b - 1]
                self.depth_before[r, b - 1] = d
                m = m | sp.adds
                if sp.depth is not None:
                    d = sp.depth if sp.kind == "create" else max(d, sp.depth)
            elif b == a - 1:  # the stage undone
                sp = stages[a - 1]
                m = m & ~sp.adds
                if sp.depth is not None:
                    d = min(d, self.depth_before[r, a - 1])
            else:  # abandoned
                m[:] = False
            if a > 0:
                members[r, slots[a - 1]] = False
                depth[r, slots[a - 1]] = 0.0
                cohesion[r, slots[a - 1]] = strength[r, slots[a - 1]] = 0.0
            if b > 0:
                members[r, slots[b - 1]] = m
                depth[r, slots[b - 1]] = d
        # cohesion and strength of the filled slots as the institutions step computes them
        idx = np.array(slots)
        coh = cohesion_of(members[:, idx], world.trust, world.reliability, world.satisfaction)
        full_strength = institution_strength(world.static, members, _place(cohesion, idx, coh), self.params)
        cohesion[moved[:, None], idx[None, :]] = coh[moved]
        strength[moved[:, None], idx[None, :]] = full_strength[moved][:, idx]
        return world.apply({"members": members, "depth": depth, "cohesion": cohesion, "strength": strength})


def _place(values: np.ndarray, idx: np.ndarray, part: np.ndarray) -> np.ndarray:
    """``values`` with columns ``idx`` replaced by ``part``."""
    out = values.copy()
    out[:, idx] = part
    return out
