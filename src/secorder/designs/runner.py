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

    def __init__(self, plan: Plan, runs: int, years: int, params: Params, log: bool = False):
        self.plan = plan
        self.params = params
        # with ``log``: one (year, run, old stage, new stage, failed, ended, retry from) per change (for stories)
        self.log: list[tuple[int, int, int, int, bool, bool, int]] | None = [] if log else None
        s = len(plan.stages)
        self.level = np.zeros(runs, dtype=np.int64)
        self.ended = np.zeros(runs, dtype=bool)
        self.abandoned = np.zeros(runs, dtype=bool)
        self.wait_until = np.full(runs, -(10**6), dtype=np.int64)
        self.entered = np.zeros(runs, dtype=np.int64)  # year the current stage was reached (or fallen back to)
        self.advanced = np.zeros((runs, s), dtype=np.int64)  # year each stage was last reached by advancing
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
        if self.log is not None:
            self.log += [(year, int(r), int(old[r]), int(self.level[r]), bool(failed[r]), bool(self.ended[r]),
                          int(self.wait_until[r])) for r in np.flatnonzero(changed)]
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
            # the window opens when the stage is reached by advancing; falling back to it does not reopen it
            since = year - self.advanced[:, sp.index]
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
            self.advanced[at, sp.index] = year
            self.attempts[at, sp.index] += 1
            first = at & (self.reached[:, sp.index] == NEVER)
            self.reached[first, sp.index] = year

    def _move(self, world: World, old: np.ndarray) -> World:
        """The world with the design's institution moved from each run's old slot to its new one.

        One stage on: the stage's members join and its depth is set (create) or raised. One stage
        back (a failure undone): the stage's members leave and a raised depth falls back to what
        it was before the stage. Abandoned: the institution is dissolved.
        """
        r = np.flatnonzero(self.level != old)
        if r.size == 0:
            return world
        a, b = old[r], self.level[r]
        slots = np.array(self.plan.slots)
        adds = np.array([sp.adds for sp in self.plan.stages])  # (S,N)
        raise_to = np.array([np.nan if sp.depth is None else sp.depth for sp in self.plan.stages])
        creates = np.array([sp.kind == "create" for sp in self.plan.stages])
        members, depth = world.members.copy(), world.depth.copy()
        cohesion, strength = world.cohesion.copy(), world.strength.copy()

        had = a > 0
        from_slot = slots[np.maximum(a - 1, 0)]
        m = np.where(had[:, None], world.members[r, from_slot], False)
        d = np.where(had, world.depth[r, from_slot], 0.0)
        up, down = b == a + 1, b == a - 1
        # one stage on
        k = np.maximum(b - 1, 0)
        self.depth_before[r[up], k[up]] = d[up]
        target = raise_to[k]
        new_m = np.where(up[:, None], m | adds[k], m)
        new_d = np.where(up & ~np.isnan(target), np.where(creates[k], target, np.fmax(d, target)), d)
        # one stage back
        j = np.maximum(a - 1, 0)
        back = raise_to[j]
        new_m = np.where(down[:, None], m & ~adds[j], new_m)
        new_d = np.where(down & ~np.isnan(back), np.minimum(d, self.depth_before[r, j]), new_d)
        # dissolved (abandoned, or a create undone)
        gone = b == 0
        new_m[gone] = False
        new_d[gone] = 0.0

        members[r[had], from_slot[had]] = False
        depth[r[had], from_slot[had]] = 0.0
        cohesion[r[had], from_slot[had]] = 0.0
        strength[r[had], from_slot[had]] = 0.0
        has = b > 0
        to_slot = slots[np.maximum(b - 1, 0)]
        members[r[has], to_slot[has]] = new_m[has]
        depth[r[has], to_slot[has]] = new_d[has]
        # cohesion and strength of the design's slots in the moved runs, as the institutions step computes them
        coh = cohesion_of(members[r][:, slots], world.trust[r], world.reliability[r], world.satisfaction[r])
        cohesion[np.ix_(r, slots)] = coh
        strong = institution_strength(world.static, members[r], cohesion[r], self.params)
        strength[np.ix_(r, slots)] = strong[:, slots]
        return world.apply({"members": members, "depth": depth, "cohesion": cohesion, "strength": strength})
