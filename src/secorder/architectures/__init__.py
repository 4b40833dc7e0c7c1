"""Security architectures: named overlays on any scenario, and policy levers.

An **architecture** reshapes what exists in a scenario -- which institutions there are, whether
alignment is free, a few parameters -- so the same region can be run under different designs
(DESIGN.md section 4). It is a list of operations, written in YAML:

``remove: [types]``
    drop every institution of these types;
``keep_only: [types]``
    drop every institution not of these types;
``add: {institution}``
    add an institution; ``members`` may be a list of codes or a selector: ``all``,
    ``majors`` (the major powers), ``leader`` (the most capable state) or ``leader-allies``;
``hub_and_spoke: {obligation, partner_obligation, restraint}``
    bilateral alliances between the leading state and every state that has no quarrel with
    it; ``restraint`` (0..1) sets their transparency and adds a leader-inclusive forum of depth
    and transparency in proportion: institutionalised self-restraint (O7);
``merge_alliances: {obligation}``
    the leader's bilateral alliances become one collective-defence organisation;
``replace_linchpin: {obligation}``
    the leader's linchpin alliance (the one with its most capable partner) is replaced by an
    alliance between the former partner and the strongest other state;
``alignment: free | fixed``;
``parameters: {name: value}``.

**Levers** are policies switched on within any architecture: ``missile_defense`` (by whom,
with what coverage, from which year), ``opening_up`` (extra trade growth), ``tying_down`` (a
state joins institutions), ``binding`` (an institution between potential rivals),
``regime_rule`` (a regime-defining or mutual-recognition rule for an institution, or none) and
``forum_teeth`` (a forum obliged to act against any aggressor).

Nothing here decides an outcome: an overlay only changes the starting world, and the same
mechanisms then run on the same random numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from secorder.errors import InputError
from secorder.scenario.loader import _problems, parse_yaml, read_yaml, validate_scenario
from secorder.scenario.schema import ALLIANCE_TYPES, INSTITUTION_TYPES, InstitutionSpec, Scenario

BUILTIN_PACKAGE = "secorder.architectures.builtin"
Unit = Annotated[float, Field(ge=0.0, le=1.0)]
InstType = Literal[
    "bilateral_alliance", "collective_defense", "collective_security", "concert",
    "cooperative_forum", "regime_defining", "mutual_recognition", "economic",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class HubAndSpoke(_Strict):
    obligation: Unit = 0.8
    partner_obligation: Unit = 0.3
    restraint: Unit = 0.5


class MergeAlliances(_Strict):
    obligation: Unit = 0.8


class ReplaceLinchpin(_Strict):
    obligation: Unit = 0.7


class Operation(_Strict):
    """One operation; exactly one field is set."""

    remove: list[InstType] | None = None
    keep_only: list[InstType] | None = None
    add: InstitutionSpec | None = None
    hub_and_spoke: HubAndSpoke | None = None
    merge_alliances: MergeAlliances | None = None
    replace_linchpin: ReplaceLinchpin | None = None
    alignment: Literal["fixed", "free"] | None = None

    def kind(self) -> str:
        set_ = [k for k, v in self.__dict__.items() if v is not None]
        if len(set_) != 1:
            raise ValueError(f"an operation sets exactly one of its keys, got {set_ or 'none'}")
        return set_[0]


class Lever(_Strict):
    """A policy switched on within an architecture."""

    lever: Literal["missile_defense", "opening_up", "tying_down", "binding", "regime_rule", "forum_teeth"]
    states: list[str] | Literal["all"] | None = None
    coverage: Unit | None = None
    from_year: int | None = Field(None, ge=1816, le=2200)
    rate: float | None = Field(None, ge=-0.2, le=0.2)
    institutions: list[str] | None = None
    institution: str | None = None
    rule: Literal["defining", "mutual_recognition", "none"] | None = None
    obligation: Unit | None = None
    depth: Unit = 0.5


class Architecture(_Strict):
    """A named overlay: operations on the scenario's institutions, parameters and levers."""

    name: str
    title: str = ""
    description: str = ""
    claims: list[str] = Field(default_factory=list)
    operations: list[Operation] = Field(default_factory=list)
    parameters: dict[str, float] = Field(default_factory=dict)
    levers: list[Lever] = Field(default_factory=list)

    def with_levers(self, levers: Sequence[Lever | dict], suffix: str | None = None) -> Architecture:
        """A copy with extra levers (named ``name+suffix`` when a suffix is given)."""
        extra = []
        for k, lv in enumerate(levers, start=len(self.levers)):
            try:
                extra.append(lv if isinstance(lv, Lever) else Lever.model_validate(lv))
            except ValidationError as err:
                raise InputError(_problems(err, f"levers[{k}].")) from None
        name = f"{self.name}+{suffix}" if suffix else self.name
        return self.model_copy(update={"levers": [*self.levers, *extra], "name": name})


@dataclass(frozen=True)
class ScheduledChange:
    """Set ``variable`` of some states to ``value`` at the start of ``year`` (all runs)."""

    year: int
    variable: str
    states: tuple[int, ...]
    value: float


@dataclass(frozen=True)
class Overlay:
    """An architecture applied to a scenario: the new scenario and its timed changes."""

    architecture: Architecture
    scenario: Scenario
    schedule: tuple[ScheduledChange, ...]


# ------------------------------------------------------------------------------ registry
def builtin_names() -> list[str]:
    files = resources.files(BUILTIN_PACKAGE).iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def validate_architecture(data: Any, source: str = "") -> Architecture:
    prefix = f"{source}: " if source else ""
    if not isinstance(data, dict):
        raise InputError([(source or "architecture", "must be a mapping (name, operations, levers, ...)")])
    try:
        arch = Architecture.model_validate(data)
        for k, op in enumerate(arch.operations):
            try:
                op.kind()
            except ValueError as err:
                raise InputError([(f"{prefix}operations[{k}]", str(err))]) from None
    except ValidationError as err:
        raise InputError(_problems(err, prefix)) from None
    from secorder.params import Params

    Params().replace(_field=f"{prefix}parameters", **arch.parameters)
    return arch


def load_architecture(source: str | Path | dict | Architecture) -> Architecture:
    """A built-in architecture by name, a YAML file, a mapping, or pass one through."""
    if isinstance(source, Architecture):
        return source
    if isinstance(source, dict):
        return validate_architecture(source)
    text = str(source)
    if not text.strip():
        raise InputError([("architecture", "the name is empty; give a built-in name or a YAML path")])
    if text in builtin_names():
        ref = resources.files(BUILTIN_PACKAGE).joinpath(f"{text}.yaml")
        return validate_architecture(parse_yaml(ref.read_text(encoding="utf-8"), f"{text}.yaml"), f"{text}.yaml")
    if Path(text).exists():
        return validate_architecture(read_yaml(text), text)
    raise InputError([(text, "is neither a built-in architecture nor an existing file; built-in: "
                       + ", ".join(builtin_names()))])


# ------------------------------------------------------------------------------ applying
def capability_shares(sc: Scenario, military_weight: float = 0.5) -> np.ndarray:
    """Starting capability shares (the model's index with the stock at its steady state)."""
    gdp = np.array([s.gdp for s in sc.states])
    mil = np.array([s.military_spending for s in sc.states])
    return military_weight * mil / max(mil.sum(), 1e-12) + (1 - military_weight) * gdp / gdp.sum()


def leader(sc: Scenario) -> str:
    return sc.codes[int(np.argmax(capability_shares(sc)))]


def majors(sc: Scenario, threshold: float = 0.1) -> list[str]:
    share = capability_shares(sc)
    return [s.code for k, s in enumerate(sc.states)
            if (s.major_power if s.major_power is not None else share[k] >= threshold)]


def quarrel(sc: Scenario, a: str, b: str) -> bool:
    """The pair have stakes on either side or animosity of 0.3 or more."""
    for d in sc.dyads:
        if set(d.states) == {a, b}:
            stakes = d.stakes.values() if isinstance(d.stakes, dict) else [d.stakes or 0.0]
            return any(v > 0 for v in stakes) or (d.animosity or 0.0) >= 0.3
    return sc.dyad_defaults.stakes > 0 or sc.dyad_defaults.animosity >= 0.3


def leader_allies(sc: Scenario, insts: list[dict]) -> list[str]:
    lead = leader(sc)
    out = []
    for inst in insts:
        if inst["type"] == "bilateral_alliance" and lead in inst["members"]:
            out += [m for m in inst["members"] if m != lead and m not in out]
    return out


def _members(sc: Scenario, insts: list[dict], selector: Any) -> list[str]:
    if isinstance(selector, list):
        return selector
    table = {
        "all": lambda: list(sc.codes),
        "majors": lambda: majors(sc),
        "leader": lambda: [leader(sc)],
        "leader-allies": lambda: [leader(sc), *leader_allies(sc, insts)],
    }
    if selector not in table:
        raise InputError([("add.members", f"unknown selector {selector!r}; use a list or one of {sorted(table)}")])
    return table[selector]()


def _apply_operation(sc: Scenario, insts: list[dict], system: dict, op: Operation) -> list[dict]:
    kind = op.kind()
    if kind == "remove":
        return [i for i in insts if i["type"] not in op.remove]
    if kind == "keep_only":
        return [i for i in insts if i["type"] in op.keep_only]
    if kind == "alignment":
        system["alignment"] = op.alignment
        return insts
    if kind == "add":
        spec = dict(op.add)
        spec["members"] = _members(sc, insts, spec.get("members", "all"))
        return [*insts, spec]
    lead = leader(sc)
    if kind == "hub_and_spoke":
        h = op.hub_and_spoke
        kept = [i for i in insts if i["type"] not in ALLIANCE_TYPES]
        spokes = [c for c in sc.codes if c != lead and not quarrel(sc, lead, c)]
        for c in spokes:
            kept.append({"id": f"hub-{lead.lower()}-{c.lower()}", "name": f"{lead}-{c} alliance",
                         "type": "bilateral_alliance", "members": [lead, c], "leader": lead,
                         "obligations": {lead: h.obligation, c: h.partner_obligation},
                         "target": "outside", "decision_rule": "hegemon", "transparency": h.restraint,
                         "depth": 0.5})
        if h.restraint > 0:
            kept.append({"id": "hegemonic-institution", "name": "Leader-inclusive institution (self-restraint)",
                         "type": "cooperative_forum", "members": list(sc.codes), "leader": lead,
                         "decision_rule": "consensus", "transparency": h.restraint,
                         "depth": 0.6 * h.restraint, "informality": 0.5})
        return kept
    if kind == "merge_alliances":
        allies = leader_allies(sc, insts)
        kept = [i for i in insts if not (i["type"] == "bilateral_alliance" and lead in i["members"])]
        if allies:
            kept.append({"id": "collective-defense", "name": "Collective defence organisation",
                         "type": "collective_defense", "members": [lead, *allies], "leader": lead,
                         "obligation": op.merge_alliances.obligation, "target": "outside",
                         "decision_rule": "majority", "transparency": 0.5, "depth": 0.5})
        return kept
    if kind == "replace_linchpin":
        mine = [i for i in insts if i["type"] == "bilateral_alliance" and lead in i["members"]]
        if not mine:
            return insts
        share = capability_shares(sc)
        strength = {c: share[k] for k, c in enumerate(sc.codes)}
        linchpin = max(mine, key=lambda i: max(strength[m] for m in i["members"] if m != lead))
        partner = next(m for m in linchpin["members"] if m != lead)
        order = [sc.codes[k] for k in np.argsort(-share)]
        other = next((c for c in order if c not in (lead, partner)), None)
        if other is None:
            raise InputError([("replace_linchpin", f"needs a third state to ally with {partner}; "
                                                   f"scenario {sc.name} has only {len(sc.codes)} states")])
        kept = [i for i in insts if i is not linchpin]
        o = op.replace_linchpin.obligation
        kept.append({"id": f"alt-{partner.lower()}-{other.lower()}", "name": f"{partner}-{other} alliance",
                     "type": "bilateral_alliance", "members": [partner, other], "obligation": o,
                     "target": "outside", "depth": linchpin.get("depth", 0.3)})
        return kept
    raise AssertionError(kind)


def _apply_lever(sc: Scenario, data: dict, lever: Lever, k: int) -> list[ScheduledChange]:
    field = f"levers[{k}]"
    codes = sc.codes
    states = codes if lever.states == "all" else (lever.states or [])
    unknown = [c for c in states if c not in codes]
    if unknown:
        raise InputError([(f"{field}.states", f"unknown state code(s) {unknown} in scenario {sc.name}")])
    insts = data["institutions"]

    def inst(iid: str | None) -> dict:
        for i in insts:
            if i["id"] == iid:
                return i
        raise InputError([(f"{field}.institution", f"no institution {iid!r} in this architecture; "
                           f"there are: {', '.join(i['id'] for i in insts)}")])

    if lever.lever == "missile_defense":
        if lever.coverage is None or not states:
            raise InputError([(field, "missile_defense needs states and coverage")])
        year = lever.from_year or sc.year
        if year <= sc.year:
            for s in data["states"]:
                if s["code"] in states:
                    s["missile_defense"] = lever.coverage
            return []
        return [ScheduledChange(year, "missile_defense", tuple(codes.index(c) for c in states), lever.coverage)]
    if lever.lever == "opening_up":
        if lever.rate is None or not states:
            raise InputError([(field, "opening_up needs states and rate")])
        for s in data["states"]:
            if s["code"] in states:
                s["openness"] = lever.rate
    elif lever.lever == "tying_down":
        if not states or not lever.institutions:
            raise InputError([(field, "tying_down needs states and institutions")])
        for iid in lever.institutions:
            target = inst(iid)
            target["members"] = [*target["members"], *[c for c in states if c not in target["members"]]]
    elif lever.lever == "binding":
        if len(set(states)) < 2 or len(set(states)) != len(states):
            raise InputError([(f"{field}.states", "binding needs two (or more) different potential rivals")])
        iid = f"binding-{'-'.join(c.lower() for c in states)}"
        if any(i["id"] == iid for i in insts):
            raise InputError([(f"{field}", f"a binding institution of {', '.join(states)} already exists ({iid})")])
        insts.append({"id": f"binding-{'-'.join(c.lower() for c in states)}", "name": "Binding institution",
                      "type": "cooperative_forum", "members": list(states), "decision_rule": "consensus",
                      "transparency": 0.7, "informality": 0.3, "depth": lever.depth})
    elif lever.lever == "regime_rule":
        if lever.rule is None:
            raise InputError([(f"{field}.rule", "regime_rule needs rule: defining, mutual_recognition or none")])
        target = inst(lever.institution)
        target["regime_rule"] = lever.rule
        # the two association types carry their rule in their type; keep type and rule in step
        if target["type"] in ("mutual_recognition", "regime_defining"):
            target["type"] = {"none": "cooperative_forum", "defining": "regime_defining",
                              "mutual_recognition": "mutual_recognition"}[lever.rule]
    elif lever.lever == "forum_teeth":
        if lever.obligation is None:
            raise InputError([(f"{field}.obligation", "forum_teeth needs an obligation")])
        target = inst(lever.institution)
        target["obligation"] = lever.obligation
        target["obligations"] = {}
        target["target"] = "any_member"
    return []


def apply_architecture(
    scenario: Scenario, architecture: Architecture | str, levers: Sequence[Lever | dict] = ()
) -> Overlay:
    """The scenario reshaped by an architecture (and extra levers), validated again."""
    arch = load_architecture(architecture)
    if levers:
        arch = arch.with_levers(levers)
    data = scenario.model_dump(mode="python", exclude_none=False)
    insts = [dict(i) for i in data["institutions"]]
    system = dict(data["system"])
    for k, op in enumerate(arch.operations):
        try:
            insts = _apply_operation(scenario, insts, system, op)
        except InputError as err:
            raise InputError([(f"{arch.name}: operations[{k}].{f}", m) for f, m in err.problems]) from None
    data["institutions"] = insts
    data["system"] = system
    data["parameters"] = {**data["parameters"], **arch.parameters}
    schedule: list[ScheduledChange] = []
    for k, lever in enumerate(arch.levers):
        schedule += _apply_lever(scenario, data, lever, k)
    data["name"] = scenario.name
    new = validate_scenario(data, source=f"{scenario.name} under {arch.name}")
    return Overlay(arch, new, tuple(schedule))


__all__ = [
    "INSTITUTION_TYPES",
    "Architecture",
    "Lever",
    "Overlay",
    "ScheduledChange",
    "apply_architecture",
    "builtin_names",
    "load_architecture",
]
