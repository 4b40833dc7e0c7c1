"""A design placed on a scenario: one institution slot per stage, and the conditions compiled.

The design's institution is written into the scenario once per stage, as it stands after that
stage (``<id>-s1`` after the first, ``<id>-s2`` after the second, ...), each ``planned``:
without members at the start. In every run at most one slot is filled, the one of the stage the
run has reached; reaching the next stage moves the members, depth and cohesion to the next slot.
So the model's mechanisms see an ordinary institution whose rules (obligation, regime rule,
transparency) differ from run to run, and the runs stay one batch of arrays. Empty slots take
part in nothing, so a design whose first stage never fires leaves every run as it was without
the design (same random numbers: an institution's draws are keyed by its own id).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from secorder.architectures.base import Overlay
from secorder.architectures.selectors import SELECTORS
from secorder.designs.schema import AllOf, Condition, Design, YearTrigger
from secorder.designs.variables import VARIABLES, Target
from secorder.errors import InputError
from secorder.scenario.schema import Scenario


@dataclass(frozen=True)
class Compiled:
    """A condition resolved on a scenario: the variable, its target indices, the bound."""

    condition: Condition
    target: Target

    def holds(self, values: np.ndarray) -> np.ndarray:
        """(R,) whether the variable's values meet the bound."""
        op, bound = self.condition.bound
        if op == "above":
            return values > bound
        if op == "below":
            return values < bound
        if op == "at_least":
            return values >= bound
        return values <= bound


@dataclass(frozen=True)
class StagePlan:
    """One stage on the scenario: its slot, the members it adds, the depth it sets, its conditions."""

    index: int
    kind: str
    label: str
    slot: int  # institution index of the slot holding the institution after this stage
    adds: np.ndarray  # (N,) bool: members this stage brings in (create: the founders)
    depth: float | None  # depth raised to (create: set to)
    year: int | None  # not before this year
    trigger: tuple[Compiled, ...]  # all must hold (empty: a year trigger)
    fails_if: Compiled | None
    within: int
    action: str
    after: int
    attempts: int


@dataclass(frozen=True)
class Plan:
    """A design on a scenario: the scenario with the slots added, and each stage's plan."""

    design: Design
    scenario: Scenario
    institution_id: str
    stages: tuple[StagePlan, ...]

    @property
    def slots(self) -> tuple[int, ...]:
        """Institution index of each stage's slot, in stage order."""
        return tuple(s.slot for s in self.stages)

    def conditions(self) -> list[Compiled]:
        """Every compiled condition of every trigger and failure rule."""
        out = [c for s in self.stages for c in s.trigger]
        return out + [s.fails_if for s in self.stages if s.fails_if is not None]


def _codes(codes: list[str], known: tuple[str, ...], at: str, scenario: str) -> list[int]:
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InputError([(at, f"unknown state code(s) {unknown} in scenario {scenario}; known: {', '.join(known)}")])
    return [known.index(c) for c in codes]


def _compile(c: Condition, at: str, sc: Scenario, design_id: str, slots: tuple[int, ...]) -> Compiled:
    """Check a condition against the registry and the scenario; ``at`` names the stage and field."""
    var = VARIABLES.get(c.variable)
    if var is None:
        raise InputError([(f"{at}.variable", f"unknown variable {c.variable!r}; known: {', '.join(sorted(VARIABLES))}")])
    given = [f for f in ("pair", "state", "institution") if getattr(c, f) is not None]
    wanted = [] if var.needs == "none" else [var.needs]
    if given != wanted:
        need = f"needs {var.needs}" if wanted else "needs no pair, state or institution"
        raise InputError([(f"{at}.{(given or wanted)[0]}", f"variable {c.variable!r} {need}"
                           + (f", got {', '.join(given)}" if given else ""))])
    codes = sc.codes
    if c.pair is not None:
        i, j = _codes(list(c.pair), codes, f"{at}.pair", sc.name)
        return Compiled(c, Target(pair=(i, j)))
    if c.state is not None:
        return Compiled(c, Target(state=_codes([c.state], codes, f"{at}.state", sc.name)[0]))
    if c.institution is not None:
        if c.institution == design_id:
            return Compiled(c, Target(institutions=slots))
        ids = [i.id for i in sc.institutions]
        if c.institution not in ids:
            raise InputError([(f"{at}.institution", f"no institution {c.institution!r}; there are: "
                               f"{', '.join([design_id, *ids])}")])
        return Compiled(c, Target(institutions=(ids.index(c.institution),)))
    return Compiled(c, Target())


def plan_design(design: Design, scenario: Scenario, source: str = "") -> Plan:
    """Place a validated design on a scenario; :class:`InputError` names the stage and field.

    Checks the state codes (founders, new members, pairs and states of conditions), the
    institution ids of conditions, the variables and what they need.
    """
    where = f"{source}: " if source else ""
    spec = design.institution
    iid = spec.id
    at0 = f"{where}{design.stage_label(0)}.institution"
    if any(i.id == iid or i.id.startswith(f"{iid}-s") for i in scenario.institutions):
        raise InputError([(f"{at0}.id", f"scenario {scenario.name} already has an institution {iid!r}")])
    members = spec.members
    if isinstance(members, str):
        members = SELECTORS[members][1](scenario)
    founders = _codes(list(members), scenario.codes, f"{at0}.members", scenario.name)
    leader = spec.leader
    if leader is not None:
        _codes([leader], scenario.codes, f"{at0}.leader", scenario.name)
    n = len(scenario.states)
    k0 = len(scenario.institutions)
    slots = tuple(range(k0, k0 + len(design.stages)))

    # the institution after each stage, as the scenario's schema validates it
    current = {**spec.model_dump(), "members": [scenario.codes[i] for i in founders], "status": "planned"}
    draft = Overlay(scenario)
    plans = []
    in_now = np.zeros(n, dtype=bool)
    for k, st in enumerate(design.stages):
        at = f"{where}{design.stage_label(k)}"
        adds = np.zeros(n, dtype=bool)
        depth = None
        if st.kind == "create":
            adds[founders] = True
            depth = spec.depth
        elif st.kind == "deepen":
            depth = st.depth
            current["transparency"] = max(current["transparency"], st.transparency or 0.0)
            if st.informality is not None:
                current["informality"] = min(current["informality"], st.informality)
        elif st.kind == "widen":
            new = _codes(st.members, scenario.codes, f"{at}.members", scenario.name)
            already = [scenario.codes[i] for i in new if in_now[i]]
            if already:
                raise InputError([(f"{at}.members", f"{already} already belong to {iid} at this stage")])
            adds[new] = True
            current["members"] = [*current["members"], *st.members]
        elif st.kind == "add_rules":
            for f in ("regime_rule", "decision_rule", "transparency", "informality"):
                if getattr(st, f) is not None:
                    current[f] = getattr(st, f)
            depth = st.depth
        elif st.kind == "add_teeth":
            current["obligation"] = st.obligation
            current["obligations"] = {}
            current["target"] = st.target
        in_now |= adds
        slot = {**current, "depth": 0.0, "id": f"{iid}-s{k + 1}", "name": f"{current['name']} (stage {k + 1}: {st.name or st.kind})"}
        draft = draft.add_institution(slot, at)
        trig = st.trigger
        year = trig.year if isinstance(trig, YearTrigger) else trig.not_before if isinstance(trig, AllOf) else None
        conds = () if isinstance(trig, YearTrigger) else tuple(
            _compile(c, f"{at}.trigger" + (f".all[{m}]" if isinstance(trig, AllOf) else ""), scenario, iid, slots)
            for m, c in enumerate(trig.all if isinstance(trig, AllOf) else [trig]))
        fails = None if st.fails_if is None else _compile(st.fails_if, f"{at}.fails_if", scenario, iid, slots)
        plans.append(StagePlan(
            index=k, kind=st.kind, label=st.name or st.kind, slot=slots[k], adds=adds, depth=depth, year=year,
            trigger=conds, fails_if=fails, within=st.fails_if.within if st.fails_if else 0,
            action=st.on_failure.action, after=st.on_failure.after, attempts=st.on_failure.attempts))
    return Plan(design, draft.scenario, iid, tuple(plans))
