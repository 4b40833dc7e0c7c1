"""What two architectures change on a scenario: ``secorder architectures diff A B``.

A fair comparison of two arms changes only what defines them. :func:`diff_architectures`
applies both to the same scenario and lists every difference in the worlds they start from:
institutions only one has, institution fields that differ, the system settings (free
alignment), parameters, and scheduled changes. Nothing is simulated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from secorder.scenario.schema import Scenario

IGNORED_FIELDS = ("name",)  # a display name is not a change to the order


@dataclass(frozen=True)
class ArchitectureDiff:
    """Differences between the scenarios two architectures give (``a`` then ``b``)."""

    a: str
    b: str
    scenario: str
    only_in_a: tuple[str, ...] = ()  # institution ids
    only_in_b: tuple[str, ...] = ()
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)  # id -> field -> (a, b)
    system: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    parameters: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    schedule: tuple[int, int] = (0, 0)  # scheduled changes in a, in b

    @property
    def empty(self) -> bool:
        """True when the two give the same starting world."""
        return not (self.only_in_a or self.only_in_b or self.changed or self.system or self.parameters
                    or self.schedule[0] or self.schedule[1])

    def lines(self) -> list[str]:
        """The differences as plain lines (what the command line prints)."""
        out = [f"{self.a} vs {self.b} on {self.scenario}:"]
        if self.empty:
            return [*out, "  no difference: the two give the same starting world"]
        out += [f"  - institution {i} only in {self.a}" for i in self.only_in_a]
        out += [f"  + institution {i} only in {self.b}" for i in self.only_in_b]
        for iid, fields in self.changed.items():
            out += [f"  ~ {iid}.{f}: {_text(va)} -> {_text(vb)}" for f, (va, vb) in fields.items()]
        out += [f"  ~ system.{k}: {_text(va)} -> {_text(vb)}" for k, (va, vb) in self.system.items()]
        out += [f"  ~ parameter {k}: {_text(va)} -> {_text(vb)}" for k, (va, vb) in self.parameters.items()]
        if any(self.schedule):
            out.append(f"  ~ scheduled changes: {self.schedule[0]} -> {self.schedule[1]}")
        return out


def _text(v: Any) -> str:
    if isinstance(v, list | tuple):
        return "[" + " ".join(str(x) for x in v) + "]"
    return "(default)" if v is None else str(v)


def _fields(inst: Any) -> dict[str, Any]:
    data = inst.model_dump()
    return {k: v for k, v in data.items() if k not in IGNORED_FIELDS}


def diff_architectures(scenario: Scenario | str, a: Any, b: Any) -> ArchitectureDiff:
    """Apply architectures ``a`` and ``b`` (names, files, mappings) to ``scenario`` and list the differences."""
    from secorder.architectures import apply_architecture, load_architecture
    from secorder.params import Params
    from secorder.scenario import load_scenario

    sc = load_scenario(scenario) if not isinstance(scenario, Scenario) else scenario
    arch_a, arch_b = load_architecture(a), load_architecture(b)
    oa, ob = apply_architecture(sc, arch_a), apply_architecture(sc, arch_b)
    ia = {i.id: i for i in oa.scenario.institutions}
    ib = {i.id: i for i in ob.scenario.institutions}
    changed: dict[str, dict[str, tuple[Any, Any]]] = {}
    for iid in (i for i in ia if i in ib):
        fa, fb = _fields(ia[iid]), _fields(ib[iid])
        delta = {k: (fa.get(k), fb.get(k)) for k in sorted(set(fa) | set(fb)) if fa.get(k) != fb.get(k)}
        if delta:
            changed[iid] = delta
    sa, sb = oa.scenario.system.model_dump(), ob.scenario.system.model_dump()
    system = {k: (sa.get(k), sb.get(k)) for k in sorted(set(sa) | set(sb)) if sa.get(k) != sb.get(k)}
    defaults = Params()
    pa = {**oa.parameters, **oa.lever_parameters}
    pb = {**ob.parameters, **ob.lever_parameters}
    parameters = {k: (pa.get(k, getattr(defaults, k)), pb.get(k, getattr(defaults, k)))
                  for k in sorted(set(pa) | set(pb)) if pa.get(k, getattr(defaults, k)) != pb.get(k, getattr(defaults, k))}
    return ArchitectureDiff(
        a=arch_a.name, b=arch_b.name, scenario=sc.name,
        only_in_a=tuple(i for i in ia if i not in ib), only_in_b=tuple(i for i in ib if i not in ia),
        changed=changed, system=system, parameters=parameters,
        schedule=(len(oa.schedule), len(ob.schedule)),
    )
