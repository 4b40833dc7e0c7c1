"""The pieces every architecture operation and lever shares: the draft they edit and the registry.

An operation or a lever is a small named function with one signature::

    def apply(draft: Overlay, args, at: str) -> Overlay

``draft`` is the scenario as reshaped so far (a validated :class:`~secorder.scenario.Scenario`
plus timed changes and parameter changes), ``args`` the operation's validated arguments
(its own pydantic model or type) and ``at`` the place it was written (``"hegemony:
operations[1].hub_and_spoke"``), which every error it raises starts with. It returns a new
draft and never edits the old one.

Overlays operate on the validated model rather than on dicts validated again at the end:
each function builds or edits one piece (an institution, a state) through the scenario's own
schema (:func:`Overlay.validated`), so a bad value is reported against the architecture or
lever that produced it, not against ``institutions[5]`` of a scenario the user never wrote,
and the scenario is never dumped and parsed again. The checks that span pieces (member codes
exist, institution ids are unique) are made by :meth:`Overlay.add_institution` and
:meth:`Overlay.codes_for`, the only ways an operation places members.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from secorder.errors import InputError
from secorder.scenario.loader import _field_path
from secorder.scenario.schema import Institution, Scenario

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Year = Annotated[int, Field(ge=1816, le=2200)]
InstType = Literal[
    "bilateral_alliance", "collective_defense", "collective_security", "concert",
    "cooperative_forum", "regime_defining", "mutual_recognition", "economic",
]


class Strict(BaseModel):
    """A model for architecture arguments: unknown keys, non-finite numbers and mutation are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


@dataclass(frozen=True)
class ScheduledChange:
    """Set ``variable`` of some states to ``value`` at the start of ``year`` (all runs)."""

    year: int
    variable: str
    states: tuple[int, ...]
    value: float


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Overlay:
    """A scenario as reshaped by an architecture (so far): the draft every operation edits.

    ``parameters`` holds the architecture's parameter changes and ``lever_parameters`` those
    of its levers, kept apart so the run specification can apply them in their documented
    order (defaults, scenario, architecture, levers, caller, parameter file).
    """

    scenario: Scenario
    architecture: Any = None  # the Architecture applied (set once it is complete)
    schedule: tuple[ScheduledChange, ...] = ()
    parameters: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    lever_parameters: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    # -------------------------------------------------------------------- reading
    def institution(self, iid: str | None, at: str) -> Institution:
        """The draft's institution ``iid`` (an input error at ``at`` if there is none)."""
        for i in self.scenario.institutions:
            if i.id == iid:
                return i
        known = ", ".join(i.id for i in self.scenario.institutions) or "none"
        raise InputError([(at, f"no institution {iid!r} here; there are: {known}")])

    def codes_for(self, states: Sequence[str] | str, at: str) -> list[str]:
        """State codes from a list or ``"all"``, each checked against the scenario."""
        codes = self.scenario.codes
        if states == "all":
            return list(codes)
        if isinstance(states, str) or not isinstance(states, Sequence):
            raise InputError([(at, f"must be a list of state codes or 'all', got {states!r}")])
        unknown = [c for c in states if c not in codes]
        if unknown:
            raise InputError([(at, f"unknown state code(s) {unknown} in scenario {self.scenario.name}")])
        return list(states)

    # -------------------------------------------------------------------- editing
    @staticmethod
    def validated(model: type[M], data: Mapping[str, Any], at: str) -> M:
        """``data`` validated by the scenario's own schema ``model``; errors start with ``at``."""
        if not isinstance(data, Mapping):
            raise InputError([(at, f"must be a mapping of {model.__name__.lower()} fields, got {data!r}")])
        try:
            return model.model_validate(dict(data))
        except ValidationError as err:
            raise InputError(pydantic_problems(err, at)) from None

    def with_institutions(self, institutions: Sequence[Institution]) -> Overlay:
        """The draft with exactly these institutions."""
        return replace(self, scenario=self.scenario.model_copy(update={"institutions": list(institutions)}))

    def add_institution(self, data: Mapping[str, Any], at: str) -> Overlay:
        """Append an institution built from ``data``: its schema, member codes and a fresh id checked."""
        inst = self.validated(Institution, data, at)
        self.codes_for(inst.members, f"{at}.members")
        if any(i.id == inst.id for i in self.scenario.institutions):
            raise InputError([(f"{at}.id", f"an institution {inst.id!r} already exists in this scenario")])
        return self.with_institutions([*self.scenario.institutions, inst])

    def edit_institution(self, iid: str, changes: Mapping[str, Any], at: str) -> Overlay:
        """The institution ``iid`` with some fields changed, validated again by its schema."""
        old = self.institution(iid, at)
        new = self.validated(Institution, {**old.model_dump(), **changes}, at)
        self.codes_for(new.members, f"{at}.members")
        return self.with_institutions([new if i is old else i for i in self.scenario.institutions])

    def edit_states(self, codes: Sequence[str], changes: Mapping[str, Any], at: str) -> Overlay:
        """The states ``codes`` with some fields changed, each validated again by its schema."""
        chosen = set(codes)
        states = [self.validated(type(s), {**s.model_dump(), **changes}, at) if s.code in chosen else s
                  for s in self.scenario.states]
        return replace(self, scenario=self.scenario.model_copy(update={"states": states}))

    def with_system(self, changes: Mapping[str, Any], at: str) -> Overlay:
        """The draft with these system settings changed, validated (errors start with ``at``)."""
        system = self.validated(type(self.scenario.system), {**self.scenario.system.model_dump(), **changes}, at)
        return replace(self, scenario=self.scenario.model_copy(update={"system": system}))

    def scheduled(self, change: ScheduledChange) -> Overlay:
        """The draft with a change scheduled for a later year (such as a lever's ``from_year``)."""
        return replace(self, schedule=(*self.schedule, change))

    def with_parameters(self, values: Mapping[str, float], *, lever: bool = False) -> Overlay:
        """The draft with parameter values set, as the architecture's (or, with ``lever``, a lever's)."""
        key = "lever_parameters" if lever else "parameters"
        merged = {**getattr(self, key), **values}
        return replace(self, **{key: MappingProxyType(merged)})


def pydantic_problems(err: ValidationError, at: str, sep: str = ".", tags: Collection[str] = ()
                      ) -> list[tuple[str, str]]:
    """A pydantic error as (field, message) pairs under ``at`` (a model-level check has no field).

    ``tags`` are the names a discriminated union puts into an error's location (the levers):
    they are taken out of the field path (``levers[0].coverage``) and start the message instead.
    """
    problems = []
    for e in err.errors(include_url=False):
        loc, kind = list(e["loc"]), ""
        for n, part in enumerate(loc):
            if part in tags and (n == 0 or isinstance(loc[n - 1], int)):
                kind = f"{loc.pop(n)}: "
                break
        sub = _field_path(tuple(loc)) if loc else ""
        msg = kind + e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling; `secorder architectures levers` and `... operations` list the keys)"
        elif e["type"] in ("union_tag_invalid", "union_tag_not_found"):
            tags = e.get("ctx", {}).get("expected_tags", "")
            tag = e.get("ctx", {}).get("tag")
            msg = (f"unknown lever {tag!r}" if tag is not None else "names no lever") + f"; use one of {tags}"
        if e["type"] == "union_tag_invalid":
            sub = f"{sub}.lever" if sub else "lever"  # the field that names the lever is the wrong one
        item = (f"{at}{sep}{sub}" if at and sub else (sub or at or "architecture"), msg)
        if item not in problems:
            problems.append(item)
    return problems


# ------------------------------------------------------------------------------ registries
A = TypeVar("A")
Apply = Callable[[Overlay, Any, str], Overlay]


@dataclass(frozen=True)
class Entry(Generic[A]):
    """One registered operation or lever: its name, argument type, one-line summary and function."""

    name: str
    args: Any  # a pydantic model or any type pydantic can validate
    summary: str
    apply: Apply
    example: Mapping[str, Any] = field(default_factory=dict)

    def field_names(self) -> str:
        """The argument fields for a table cell: ``states``, ``depth`` (optional ones in brackets)."""
        if isinstance(self.args, type) and issubclass(self.args, BaseModel):
            return ", ".join(f"`{n}`" if f.is_required() else f"[`{n}`]"
                             for n, f in self.args.model_fields.items() if n != "lever")
        return getattr(self.args, "__name__", None) or str(self.args).replace("typing.", "")

    def fields(self) -> list[tuple[str, str]]:
        """(field, description) of the arguments, for help texts and the docs."""
        if isinstance(self.args, type) and issubclass(self.args, BaseModel):
            out = []
            for name, f in self.args.model_fields.items():
                if name == "lever":
                    continue
                req = "required" if f.is_required() else f"default {f.default!r}"
                out.append((name, f"{f.description or ''} ({req})".strip()))
            return out
        return [("", getattr(self.args, "__name__", str(self.args)))]


class Registry(Mapping[str, Entry]):
    """Named entries in registration order; the registration decorator is :meth:`register`."""

    def __init__(self, what: str):
        self.what = what
        self._entries: dict[str, Entry] = {}

    def register(self, name: str, args: Any, summary: str, example: Mapping[str, Any] | None = None
                 ) -> Callable[[Apply], Apply]:
        """Decorator: register ``name`` with its argument type, one-line summary and an example."""
        def deco(fn: Apply) -> Apply:
            if name in self._entries:
                raise ValueError(f"{self.what} {name!r} is registered twice")
            self._entries[name] = Entry(name, args, summary, fn, MappingProxyType(dict(example or {})))
            return fn
        return deco

    def __getitem__(self, name: str) -> Entry:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def markdown(self, written_as: bool = False) -> str:
        """A Markdown table of the entries (the docs embed it and a test keeps it current).

        ``written_as`` shows each entry's example as it is written in YAML instead of its fields.
        """
        import yaml

        second = "written as (example)" if written_as else "fields ([optional])"
        rows = [f"| {self.what} | {second} | what it does |", "|---|---|---|"]
        for e in self._entries.values():
            cell = (f"`{yaml.safe_dump(dict(e.example), default_flow_style=True, width=10**6).strip()[1:-1]}`"
                    if written_as else e.field_names())
            rows.append(f"| `{e.name}` | {cell} | {e.summary} |")
        return "\n".join(rows)
