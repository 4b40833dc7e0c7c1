"""The sweep specification: a declarative design read from YAML and checked before anything runs.

A spec crosses scenarios x architectures x lever sets x parameter points x seeds; each
combination is a **cell** of ``runs`` Monte Carlo runs of ``years`` years::

    name: onset-screening
    scenarios: [asia-pacific-2000]
    architectures: [status-quo, cooperative-forum]
    levers:                       # named lever sets (default: one empty set called "none")
      none: []
      missile-defence:
        - {lever: missile_defense, states: [JPN], coverage: 0.5, from_year: 2003}
    parameters:
      sampler: lhs                # grid | lhs | sobol | morris | file | none
      samples: 16
      ranges:                     # [low, high] within the registry's range, or "registry"
        onset_intercept: [-0.5, 0.5]
        war_cost: registry
      seed: 1
    fixed: {arms_reaction: 0.12}  # the same override in every cell
    seeds: [0]
    runs: 50
    years: 10

Every problem (unknown parameter, a range outside the registry's bounds, an empty design, an
unknown scenario or architecture, a malformed lever) is reported with its field path as an
:class:`~secorder.errors.InputError` before any output is written.
"""  # noqa: D214, D405, D406, D407, D411 - the YAML example's "parameters:" is not a docstring section

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from secorder.errors import InputError
from secorder.explore.design import Design, expected_points, sample

MAX_CELLS = 10_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParameterDesign(_Strict):
    """How parameter points are drawn (see :mod:`secorder.explore.design`)."""

    sampler: Literal["grid", "lhs", "sobol", "morris", "file", "none"] = "none"
    samples: int = Field(0, ge=0, description="lhs: points; sobol: base size (power of 2); morris: trajectories")
    levels: int = Field(4, ge=2, le=1000, description="grid: values per parameter; morris: grid levels")
    ranges: dict[str, list[float] | Literal["registry"]] = Field(default_factory=dict)
    file: str | None = None
    seed: int = Field(0, ge=0)
    second_order: bool = False


class SweepSpec(_Strict):
    """A sweep: what to cross, how many runs per cell, how long."""

    name: str = Field("sweep", min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    scenarios: list[str] = Field(default_factory=lambda: ["asia-pacific-2000"])
    architectures: list[str] = Field(default_factory=lambda: ["status-quo"])
    levers: dict[str, list[dict[str, Any]]] = Field(default_factory=lambda: {"none": []})
    parameters: ParameterDesign = Field(default_factory=ParameterDesign)
    fixed: dict[str, float] = Field(default_factory=dict)
    seeds: list[int] = Field(default_factory=lambda: [0])
    runs: int = Field(100, ge=1)
    years: int = Field(30, ge=1, le=500)
    chunk_size: int = Field(500, ge=1, description="runs simulated together inside a cell (no effect on results)")


@dataclass(frozen=True)
class Cell:
    """One scenario x architecture x lever set x design point x seed: ``runs`` runs."""

    key: str
    scenario: str
    architecture: str
    levers: str
    point: int
    seed: int


@dataclass(frozen=True)
class Plan:
    """A checked spec: loaded scenarios and architectures, the design and every cell."""

    spec: SweepSpec
    scenarios: dict[str, Any]  # name -> Scenario
    architectures: dict[str, Any]  # name -> Architecture
    levers: dict[str, list[Any]]  # set name -> [Lever]
    design: Design
    cells: tuple[Cell, ...]
    source: str

    @property
    def sweep_hash(self) -> str:
        """Identifies the sweep's content: the same hash means the same cells with the same rows."""
        blob = "\n".join(c.key for c in self.cells) + f"\n{self.spec.runs}x{self.spec.years}"
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def cell_values(self, cell: Cell) -> dict[str, float]:
        """The parameter overrides a cell runs with: the fixed ones, then its design point."""
        return {**self.spec.fixed, **self.design.values(cell.point)}


def load_spec(source: str | Path | dict | SweepSpec) -> Plan:
    """Read and check a sweep spec (a YAML path, a mapping or a :class:`SweepSpec`).

    Raises :class:`~secorder.errors.InputError` naming every bad field; nothing is written.
    """
    base = Path(".")
    label = "spec"
    if isinstance(source, SweepSpec):
        spec = source
    else:
        if isinstance(source, str | Path):
            from secorder.scenario.loader import read_yaml

            path = Path(source)
            if not path.is_file():
                raise InputError([(str(source), "sweep spec file not found")])
            label, base = str(path), path.parent
            data = read_yaml(path)
        else:
            data = source
        if not isinstance(data, dict):
            raise InputError([(label, "must be a mapping (scenarios, architectures, parameters, runs, ...)")])
        try:
            spec = SweepSpec.model_validate(data)
        except ValidationError as err:
            from secorder.scenario.loader import _problems

            raise InputError(_problems(err, f"{label}: ")) from None
    return _plan(spec, base, label)


def _plan(spec: SweepSpec, base: Path, label: str) -> Plan:
    from secorder.architectures import Lever, load_architecture
    from secorder.params import Params
    from secorder.scenario import load_scenario

    problems: list[tuple[str, str]] = []
    pre = f"{label}: "
    for field in ("scenarios", "architectures", "levers", "seeds"):
        if not getattr(spec, field):
            problems.append((f"{pre}{field}", "is empty, so the design has no cells"))
    scenarios: dict[str, Any] = {}
    for k, name in enumerate(spec.scenarios):
        ref = name if not Path(name).suffix else str((base / name) if not Path(name).is_absolute() else name)
        try:
            sc = load_scenario(ref)
        except InputError as err:
            problems += [(f"{pre}scenarios[{k}]", f"{f}: {m}") for f, m in err.problems]
            continue
        if sc.name in scenarios:
            problems.append((f"{pre}scenarios[{k}]", f"a second scenario named {sc.name!r}"))
        scenarios[sc.name] = sc
    architectures: dict[str, Any] = {}
    for k, name in enumerate(spec.architectures):
        ref = name if not Path(name).suffix else str((base / name) if not Path(name).is_absolute() else name)
        try:
            arch = load_architecture(ref)
        except InputError as err:
            problems += [(f"{pre}architectures[{k}]", f"{f}: {m}") for f, m in err.problems]
            continue
        if arch.name in architectures:
            problems.append((f"{pre}architectures[{k}]", f"a second architecture named {arch.name!r}"))
        architectures[arch.name] = arch
    levers: dict[str, list[Any]] = {}
    for set_name, items in spec.levers.items():
        levers[set_name] = []
        for k, item in enumerate(items):
            try:
                levers[set_name].append(Lever.model_validate(item))
            except ValidationError as err:
                from secorder.scenario.loader import _problems

                problems += _problems(err, f"{pre}levers.{set_name}[{k}].")
    meta = Params.metadata()
    try:
        Params().replace(_field=f"{pre}fixed", **spec.fixed)
    except InputError as err:
        problems += err.problems
    design, design_problems = _design(spec.parameters, meta, base, f"{pre}parameters")
    problems += design_problems
    if problems:
        raise InputError(problems)
    cells = _cells(spec, scenarios, architectures, levers, design)
    if not cells:
        raise InputError([(f"{pre}parameters", "the design is empty (0 points)")])
    return Plan(spec, scenarios, architectures, levers, design, cells, label)


def _design(pd_: ParameterDesign, meta: dict, base: Path, pre: str) -> tuple[Design, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    empty = sample("none", [], [])
    if pd_.sampler == "file":
        if not pd_.file:
            return empty, [(f"{pre}.file", "is required with sampler: file")]
        return _design_from_file(base / pd_.file if not Path(pd_.file).is_absolute() else Path(pd_.file), meta, pre)
    if pd_.sampler == "none":
        if pd_.ranges:
            problems.append((f"{pre}.ranges", "are given but sampler is 'none'; choose grid, lhs, sobol or morris"))
        return empty, problems
    names, bounds = [], []
    if not pd_.ranges:
        problems.append((f"{pre}.ranges", f"is empty, so sampler {pd_.sampler!r} has nothing to vary"))
    for name, rng in pd_.ranges.items():
        where = f"{pre}.ranges.{name}"
        if name not in meta:
            problems.append((where, "unknown parameter (see `secorder parameters`)"))
            continue
        lo_reg, hi_reg = meta[name]["range"]
        lo, hi = (lo_reg, hi_reg) if rng == "registry" else (rng + [None, None])[:2]
        if rng != "registry" and len(rng) != 2:
            problems.append((where, f"must be [low, high] or 'registry', got {rng}"))
            continue
        if not lo < hi:
            problems.append((where, f"low must be below high, got [{lo}, {hi}]"))
            continue
        if lo < lo_reg or hi > hi_reg:
            problems.append((where, f"[{lo}, {hi}] is outside the registry's range [{lo_reg}, {hi_reg}]"))
            continue
        names.append(name)
        bounds.append((float(lo), float(hi)))
    if pd_.sampler in ("lhs", "sobol", "morris") and pd_.samples < 1:
        problems.append((f"{pre}.samples", f"must be at least 1 for sampler {pd_.sampler!r} (the design is empty)"))
    if pd_.sampler == "sobol" and pd_.samples >= 1 and pd_.samples & (pd_.samples - 1):
        problems.append((f"{pre}.samples", f"must be a power of 2 for the Sobol sequence, got {pd_.samples}"))
    if problems:
        return empty, problems
    n = expected_points(pd_.sampler, len(names), pd_.samples, pd_.levels, pd_.second_order)
    if n > MAX_CELLS:
        return empty, [(pre, f"the design has {n:,} points, more than {MAX_CELLS:,}")]
    design = sample(pd_.sampler, names, bounds, samples=pd_.samples, levels=pd_.levels, seed=pd_.seed,
                    second_order=pd_.second_order)
    return design, []


def _design_from_file(path: Path, meta: dict, pre: str) -> tuple[Design, list[tuple[str, str]]]:
    """Points from a CSV/Parquet table (one column per parameter) or YAML (``samples:`` list or ``values:``)."""
    import numpy as np

    where = f"{pre}.file"
    empty = sample("none", [], [])
    if not path.is_file():
        return empty, [(where, f"{path} not found")]
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            from secorder.scenario.loader import read_yaml

            data = read_yaml(path)
            rows = data.get("samples") if isinstance(data, dict) and "samples" in data else None
            if rows is None and isinstance(data, dict) and isinstance(data.get("values"), dict):
                rows = [data["values"]]
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                return empty, [(where, "a YAML sample file holds 'samples:' (a list of mappings) or 'values:'")]
            names = list(dict.fromkeys(k for r in rows for k in r))
            missing = [(k, n) for k, r in enumerate(rows) for n in names if n not in r]
            if missing:
                return empty, [(f"{where} samples[{missing[0][0]}]", f"has no value for {missing[0][1]!r}")]
            table = {n: [r[n] for r in rows] for n in names}
        elif path.suffix.lower() == ".csv":
            import pandas as pd

            table = pd.read_csv(path).to_dict("list")
        elif path.suffix.lower() == ".parquet":
            import pandas as pd

            table = pd.read_parquet(path).to_dict("list")
        else:
            return empty, [(where, f"{path.name}: use a .csv, .parquet or .yaml parameter-sample file")]
    except InputError:
        raise
    except Exception as err:  # a corrupt table: report it as bad input
        return empty, [(where, f"{path.name} cannot be read: {err}")]
    problems = []
    for name in table:
        if name not in meta:
            problems.append((f"{where} column {name!r}", "unknown parameter (see `secorder parameters`)"))
    if problems:
        return empty, problems
    names = list(table)
    try:
        points = np.array([table[n] for n in names], dtype=float).T.reshape(-1, len(names))
    except (TypeError, ValueError) as err:
        return empty, [(where, f"{path.name}: values must be numbers ({err})")]
    if points.shape[0] == 0 or not names:
        return empty, [(where, f"{path.name} holds no samples (the design is empty)")]
    for d, name in enumerate(names):
        lo, hi = meta[name]["range"]
        bad = np.flatnonzero(~((points[:, d] >= lo) & (points[:, d] <= hi)))
        if bad.size:
            problems.append((f"{where} column {name!r}",
                             f"row {int(bad[0])} value {points[bad[0], d]} is outside the registry's range [{lo}, {hi}]"
                             + (f" ({bad.size} rows)" if bad.size > 1 else "")))
    if problems:
        return empty, problems
    bounds = tuple((float(points[:, d].min()), float(points[:, d].max())) for d in range(len(names)))
    return Design("file", tuple(names), bounds, points), []


def _cells(spec: SweepSpec, scenarios: dict, architectures: dict, levers: dict, design: Design) -> tuple[Cell, ...]:
    """Every cell in a fixed order, each keyed by a hash of everything that determines its rows."""
    cells = []
    sc_blobs = {n: _digest(s.model_dump_json()) for n, s in scenarios.items()}
    arch_blobs = {n: _digest(a.model_dump_json()) for n, a in architectures.items()}
    lever_blobs = {n: _digest(json.dumps([lv.model_dump(mode="json") for lv in ls])) for n, ls in levers.items()}
    for sc in scenarios:
        for arch in architectures:
            for lv in levers:
                for seed in spec.seeds:
                    for p in range(design.n_points):
                        values = {**spec.fixed, **design.values(p)}
                        blob = json.dumps([sc, arch, lv, sc_blobs[sc], arch_blobs[arch], lever_blobs[lv], sorted(values.items()),
                                           seed, spec.runs, spec.years])
                        key = hashlib.sha256(blob.encode()).hexdigest()[:20]
                        cells.append(Cell(key, sc, arch, lv, p, seed))
    return tuple(cells)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
