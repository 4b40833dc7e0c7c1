"""The state of the world as named arrays with a leading run axis.

Shapes: per state ``(R, N)``, per dyad ``(R, N, N)`` (row ``i`` is the actor, column ``j`` the
other: ``belief[r, i, j]`` is i's belief that j is aggressive), per membership ``(R, K, N)``,
per institution ``(R, K)``, per run ``(R,)``. Fixed facts of the scenario (geography, nuclear
status, institution rules) live in :class:`Static` without a run axis.

Each mechanism declares the state it owns (:class:`StateVar`: name, axes, dtype, initial
value from the scenario); :func:`assemble_world` builds the world from those declarations, so
there is no hand-written list of variables here. A :class:`World` is immutable: mechanisms
return a dict of updated arrays and :meth:`World.apply` returns the new world. Derived
quantities (capability, commitments, ...) live in :mod:`secorder.derived`. Nothing in here
draws random numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from secorder import statesets
from secorder.params import Params
from secorder.scenario.schema import (
    FORM_OF_TYPE,
    FORMS,
    INSTITUTION_TYPES,
    Scenario,
    great_circle_km,
)

CONTIGUITY_CODES = {"none": 0, "sea": 1, "land": 2}
TARGET_CODES = {"none": 0, "outside": 1, "any_member": 2}
REGIME_RULE_CODES = {"none": 0, "defining": 1, "mutual_recognition": 2}
DECISION_CODES = {"consensus": 0, "majority": 1, "hegemon": 2}
INST_TYPE_CODES = {t: k for k, t in enumerate(INSTITUTION_TYPES)}
ALLIANCE_TYPE_CODES = (INST_TYPE_CODES["bilateral_alliance"], INST_TYPE_CODES["collective_defense"])
FORUM_TYPE_CODE = INST_TYPE_CODES["cooperative_forum"]
ECONOMIC_TYPE_CODE = INST_TYPE_CODES["economic"]
ALL_TYPE_CODES = tuple(INST_TYPE_CODES.values())
SECURITY_TYPE_CODES = tuple(c for c in ALL_TYPE_CODES if c != ECONOMIC_TYPE_CODE)  # every non-economic type

# Crisis outcome codes, in the order the layers can end a crisis.
OUTCOMES = ("none", "forum", "concert", "deterrence", "settlement", "dispute", "war")
OUTCOME = {name: code for code, name in enumerate(OUTCOMES)}
OPEN = -1  # a crisis that no layer has ended yet
# The four feasibility conditions (a)-(d) of a new regional regime (F2), recorded each year; (d)
# support is the geometric mean of its two parts, leadership and willingness, recorded too.
CONDITIONS = ("arrangements", "interdependence", "threat", "support", "leadership", "willingness")


@dataclass(frozen=True)
class Static:
    """Facts that do not vary across runs or (within a run) over time."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    start_year: int
    contiguity: np.ndarray  # (N,N) int8: 0 none, 1 sea, 2 land
    distance_km: np.ndarray  # (N,N) float, 0 on the diagonal
    nuclear: np.ndarray  # (N,) bool
    strike: np.ndarray  # (N,) float 0..1
    population: np.ndarray  # (N,)
    trend_growth: np.ndarray  # (N,)
    openness: np.ndarray  # (N,) extra yearly trade growth
    major_override: np.ndarray  # (N,) int8: -1 derive, 0 no, 1 yes
    offense_defense: float
    threat_base: float
    inst_ids: tuple[str, ...]
    inst_type: np.ndarray  # (K,) int8, codes of INST_TYPE_CODES
    inst_obligation: np.ndarray  # (K,N) each member's obligation to defend the others
    inst_target: np.ndarray  # (K,) int8
    inst_regime_rule: np.ndarray  # (K,) int8
    inst_decision: np.ndarray  # (K,) int8
    inst_transparency: np.ndarray  # (K,)
    inst_informality: np.ndarray  # (K,)
    inst_leader: np.ndarray  # (K,) int, -1 if none
    inst_founded: np.ndarray  # (K,) int, start year if unknown
    inst_charter: np.ndarray  # (K,N) bool: the members a scenario lists (a potential regime's prospective members)
    inst_potential: np.ndarray  # (K,) bool: may form during the run
    inst_planned: np.ndarray  # (K,) bool: a staged design's slot, empty until the design fills it
    alignment_free: bool  # states may form and drop bilateral commitments
    form_preference: np.ndarray  # (N,F) each state's preference over the forms of FORMS, -1..1
    inst_form: np.ndarray  # (K,) int8: the institution's form in FORMS, -1 for economic institutions

    @property
    def n_states(self) -> int:
        """Number of states N."""
        return len(self.codes)

    @property
    def n_institutions(self) -> int:
        """Number of institutions K (existing and potential)."""
        return len(self.inst_ids)

    def index(self, code: str) -> int:
        """Position of state ``code`` (a ``KeyError`` lists the known codes)."""
        try:
            return self.codes.index(code)
        except ValueError:
            raise KeyError(f"unknown state code {code!r}; known: {', '.join(self.codes)}") from None


@dataclass(frozen=True)
class StateVar:
    """A state variable, declared by the mechanism that owns it.

    ``axes`` names the variable's axes in order: ``"runs"``, ``"states"``, ``"institutions"``,
    ``"state_words"`` (the uint64 words of a set of states, :mod:`secorder.statesets`),
    or a fixed whole-number extent (``()`` is a scalar shared by all runs, such as the year).
    ``initial(setup)`` returns the variable's value at the scenario's start year for *one*
    run (its shape without the run axis); the world broadcasts it over the runs.
    """

    name: str
    axes: tuple[str | int, ...]
    dtype: Any
    initial: Callable[[Setup], Any] | float | int | bool  # a function of the setup, or a constant
    doc: str

    def shape(self, runs: int, n_states: int, n_institutions: int) -> tuple[int, ...]:
        """The variable's array shape for these sizes."""
        extent = {"runs": runs, "states": n_states, "institutions": n_institutions,
                  "state_words": statesets.words(n_states)}
        return tuple(extent[a] if isinstance(a, str) else int(a) for a in self.axes)

    @property
    def per_run(self) -> bool:
        """Whether the variable has one value per run (its first axis is ``runs``)."""
        return bool(self.axes) and self.axes[0] == "runs"


class Setup:
    """What an initial value is computed from.

    The scenario, its static facts, the parameters, and the initial values of other variables
    (computed on demand, for one run).

    ``setup["trust"]`` is the starting trust matrix (N,N); ``setup.world()`` a one-run
    :class:`World` of every variable but the one being computed, for initial values defined
    through the model's own derived quantities (such as the arms baseline's fixed point).
    """

    def __init__(self, scenario: Scenario, params: Params, declarations: Sequence[StateVar]):
        self.scenario = scenario
        self.params = params
        self.static = build_static(scenario)
        self.declarations = {d.name: d for d in declarations}
        self._values: dict[str, np.ndarray] = {}
        self._pending: list[str] = []
        self._dyads: dict[str, np.ndarray] | None = None

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._values:
            if name in self._pending:
                chain = " -> ".join([*self._pending, name])
                raise ValueError(f"initial values depend on each other in a circle: {chain}")
            if name not in self.declarations:
                raise KeyError(f"no mechanism declares the state variable {name!r}")
            d = self.declarations[name]
            self._pending.append(name)
            try:
                value = np.asarray(d.initial(self) if callable(d.initial) else d.initial, dtype=d.dtype)
            finally:
                self._pending.pop()
            expected = d.shape(1, self.static.n_states, self.static.n_institutions)[1 if d.per_run else 0:]
            if value.ndim == 0 and expected:
                value = np.full(expected, value, dtype=d.dtype)
            if value.shape != expected:
                raise ValueError(f"initial value of {name!r} has shape {value.shape}, expected {expected}")
            self._values[name] = value
        return self._values[name]

    @property
    def dyads(self) -> dict[str, np.ndarray]:
        """The scenario's pair attributes as (N,N) matrices, built once."""
        if self._dyads is None:
            self._dyads = dyad_matrices(self.scenario)
        return self._dyads

    def world(self) -> World:
        """A one-run world of every declared variable except those being computed."""
        names = [n for n in self.declarations if n not in self._pending]
        values = {n: self[n] for n in names}
        decl = {n: self.declarations[n] for n in names}
        return World(self.static, decl, {n: v[None] if decl[n].per_run else v for n, v in values.items()})


class World:
    """All state variables of R runs at one year. See the module docstring for shapes.

    The variables are those the mechanisms declare (:class:`StateVar`); each is an attribute
    (``world.trust``). ``cache`` is the year's cache of derived quantities
    (:class:`secorder.derived.YearCache`, or ``None`` to compute them afresh); it is not state.
    """

    def __init__(self, static: Static, schema: dict[str, StateVar], values: dict[str, Any], cache: Any = None):
        d = self.__dict__
        d["static"] = static
        d["schema"] = schema
        d["cache"] = cache
        d.update(values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a World is immutable: use world.apply({name: new_value})")

    def __repr__(self) -> str:
        return f"World(year={self.year}, runs={self.n_runs}, states={self.n_states}, variables={len(self.schema)})"

    @property
    def variables(self) -> tuple[str, ...]:
        """Names of the state variables, in declaration order."""
        return tuple(self.schema)

    def values(self) -> dict[str, Any]:
        """Every state variable by name."""
        return {name: self.__dict__[name] for name in self.schema}

    @property
    def n_runs(self) -> int:
        """Number of runs R."""
        return self.gdp.shape[0]

    @property
    def n_states(self) -> int:
        """Number of states N."""
        return self.static.n_states

    def apply(self, updates: dict[str, Any]) -> World:
        """A new world with some variables replaced; names and shapes are checked."""
        if not updates:
            return self
        for name, value in updates.items():
            if name not in self.schema:
                raise ValueError(f"update names {name!r}, which is not a state variable of the world")
            old = self.__dict__[name]
            if isinstance(old, np.ndarray) and np.shape(value) != old.shape:
                raise ValueError(f"update of {name!r} has shape {np.shape(value)}, expected {old.shape}")
        return World(self.static, self.schema, {**self.values(), **updates}, self.cache)

    def replace_static(self, **changes: Any) -> World:
        """The world with some static facts replaced (for experiments and tests)."""
        return World(dataclasses.replace(self.static, **changes), self.schema, self.values())

    def with_cache(self, cache: Any) -> World:
        """The same state with another cache of derived quantities (a new one each year)."""
        return World(self.static, self.schema, self.values(), cache)

    def take(self, runs: np.ndarray | slice) -> World:
        """The sub-world of some runs (used to check that runs are independent)."""
        return World(self.static, self.schema, {
            n: v[runs] if self.schema[n].per_run else v for n, v in self.values().items()})

    def copy(self) -> World:
        """A deep copy: every array copied."""
        return World(self.static, self.schema, {
            n: v.copy() if isinstance(v, np.ndarray) else v for n, v in self.values().items()})


# --------------------------------------------------------------------------------------------
# Building the world from a scenario.


def build_static(scenario: Scenario) -> Static:
    """The fixed facts of a scenario (codes, distances, institution attributes...) as arrays."""
    states = scenario.states
    n = len(states)
    codes = tuple(s.code for s in states)
    idx = {c: i for i, c in enumerate(codes)}
    contig = np.zeros((n, n), dtype=np.int8)
    dist = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a, b = states[i].capital, states[j].capital
            if a is not None and b is not None:
                dist[i, j] = dist[j, i] = max(great_circle_km(a, b), 10.0)
    for d in scenario.dyads:
        i, j = idx[d.states[0]], idx[d.states[1]]
        contig[i, j] = contig[j, i] = CONTIGUITY_CODES[d.contiguity]
        if d.distance_km is not None:
            dist[i, j] = dist[j, i] = d.distance_km
    insts = scenario.institutions
    k = len(insts)
    oblig = np.zeros((k, n))
    charter = np.zeros((k, n), dtype=bool)
    for q, inst in enumerate(insts):
        for c in inst.members:
            oblig[q, idx[c]] = inst.obligations.get(c, inst.obligation)
            charter[q, idx[c]] = True
    return Static(
        codes=codes,
        names=tuple(s.name for s in states),
        start_year=scenario.year,
        contiguity=contig,
        distance_km=dist,
        nuclear=np.array([s.nuclear for s in states], dtype=bool),
        strike=np.array(
            [s.strike_capability if s.strike_capability is not None else float(s.nuclear) for s in states]
        ),
        population=np.array([s.population for s in states], dtype=float),
        trend_growth=np.array([s.growth for s in states], dtype=float),
        openness=np.array([s.openness for s in states], dtype=float),
        major_override=np.array(
            [-1 if s.major_power is None else int(s.major_power) for s in states], dtype=np.int8
        ),
        offense_defense=scenario.system.offense_defense,
        threat_base=scenario.system.transnational_threat,
        inst_ids=tuple(i.id for i in insts),
        inst_type=np.array([INST_TYPE_CODES[i.type] for i in insts], dtype=np.int8),
        inst_obligation=oblig,
        inst_target=np.array([TARGET_CODES[i.target] for i in insts], dtype=np.int8),
        inst_regime_rule=np.array([REGIME_RULE_CODES[i.regime_rule] for i in insts], dtype=np.int8),
        inst_decision=np.array([DECISION_CODES[i.decision_rule] for i in insts], dtype=np.int8),
        inst_transparency=np.array([i.transparency for i in insts], dtype=float),
        inst_informality=np.array([i.informality for i in insts], dtype=float),
        inst_leader=np.array([idx[i.leader] if i.leader else -1 for i in insts], dtype=int),
        inst_founded=np.array([i.founded or scenario.year for i in insts], dtype=int),
        inst_charter=charter,
        inst_potential=np.array([i.status == "potential" for i in insts], dtype=bool),
        inst_planned=np.array([i.status == "planned" for i in insts], dtype=bool),
        alignment_free=scenario.system.alignment == "free",
        form_preference=np.array([[s.form_preference.get(f, 0.0) for f in FORMS] for s in states],
                                 dtype=float).reshape(len(states), len(FORMS)),
        inst_form=np.array([FORMS.index(FORM_OF_TYPE[i.type]) if FORM_OF_TYPE[i.type] else -1 for i in insts],
                           dtype=np.int8),
    )




def dyad_matrices(scenario: Scenario) -> dict[str, np.ndarray]:
    """(N,N) starting trade, stakes, animosity, trust and peace years from the scenario's dyads."""
    n = len(scenario.states)
    idx = {s.code: i for i, s in enumerate(scenario.states)}
    dd = scenario.dyad_defaults
    out = {
        "trade": np.zeros((n, n)),
        "stakes": np.full((n, n), dd.stakes),
        "animosity": np.full((n, n), dd.animosity),
        "trust": np.full((n, n), dd.trust),
        "peace_years": np.full((n, n), float(dd.peace_years)),
    }
    for d in scenario.dyads:
        a, b = d.states
        i, j = idx[a], idx[b]
        out["trade"][i, j] = out["trade"][j, i] = d.trade
        if isinstance(d.stakes, dict):
            out["stakes"][i, j] = d.stakes.get(a, dd.stakes)
            out["stakes"][j, i] = d.stakes.get(b, dd.stakes)
        elif d.stakes is not None:
            out["stakes"][i, j] = out["stakes"][j, i] = d.stakes
        for name in ("animosity", "trust", "peace_years"):
            v = getattr(d, name)
            if v is not None:
                out[name][i, j] = out[name][j, i] = v
    for m in out.values():
        np.fill_diagonal(m, 0.0)
    np.fill_diagonal(out["trust"], 1.0)
    return out


# --------------------------------------------------------------------------------------------
# Initial values read straight from the scenario (picklable, so the registry can go to workers).


@dataclass(frozen=True)
class StateAttribute:
    """Initial value: an attribute of every state in the scenario, as an (N,) array."""

    attribute: str

    def __call__(self, setup: Setup) -> np.ndarray:
        """(N,) the attribute of every state of the scenario."""
        return np.array([getattr(s, self.attribute) for s in setup.scenario.states], dtype=float)


@dataclass(frozen=True)
class DyadAttribute:
    """Initial value: a dyad attribute (trade, stakes, animosity, trust, peace_years), (N,N)."""

    attribute: str

    def __call__(self, setup: Setup) -> np.ndarray:
        """(N,N) the pair attribute from the scenario's dyads."""
        return setup.dyads[self.attribute]


@dataclass(frozen=True)
class SameAs:
    """Initial value: that of another variable (e.g. an anchor that starts at the variable)."""

    variable: str

    def __call__(self, setup: Setup) -> np.ndarray:
        """A copy of the other variable's initial value."""
        return setup[self.variable].copy()


@dataclass(frozen=True)
class Parameter:
    """Initial value: a parameter's value, for every element."""

    parameter: str

    def __call__(self, setup: Setup) -> float:
        """The parameter's value."""
        return getattr(setup.params, self.parameter)


def assemble_world(scenario: Scenario, params: Params, runs: int, declarations: Sequence[StateVar]) -> World:
    """The world at the scenario's start year, replicated over ``runs`` runs.

    It is assembled from the mechanisms' declarations of the state they own (each computes
    its initial value).
    """
    seen: set[str] = set()
    for d in declarations:
        if d.name in seen:
            raise ValueError(f"state variable {d.name!r} is declared twice")
        seen.add(d.name)
    setup = Setup(scenario, params, declarations)
    values = {}
    for d in declarations:
        v = setup[d.name]
        values[d.name] = np.broadcast_to(v, (runs, *v.shape)).copy() if d.per_run else (
            v.item() if v.ndim == 0 else v.copy())
    return World(setup.static, {d.name: d for d in declarations}, values)
