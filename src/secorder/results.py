"""Results of a simulation: tidy tables computed on demand, the event log, saving.

``Results`` holds arrays; tables are built when asked for:

- ``summary()``: per outcome (from the registry in :mod:`secorder.metrics`), the mean and the
  90% interval across runs;
- ``to_pandas("outcomes" | "system" | "states" | "institutions" | "events" | ...)``: tidy long
  tables. Every row starts with the identity columns ``scenario``, ``architecture``,
  ``parameter_hash``, ``seed`` and (in per-run tables) ``run``, so tables of different
  architectures or scenarios can simply be concatenated (:func:`concat_tables`) and compared
  on common runs (see ``docs/results.md``);
- ``events``: the crisis event log (run, year, challenger, target, outcome, deaths, allies);
- ``save(dir)``: Parquet tables, ``summary.csv`` and ``manifest.json``, written atomically.
  Figures are drawn by :mod:`secorder.report`, which depends on this module and never the
  reverse (``secorder.report.save_results`` writes a results folder with its plots).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from secorder import statesets
from secorder._atomic import atomic_folder
from secorder._version import __version__
from secorder.metrics import OUTCOMES
from secorder.params import Params
from secorder.recording import STATE_SERIES, SYSTEM_SERIES, Collector, concat_chunks
from secorder.scenario import Scenario
from secorder.world import OUTCOMES as CRISIS_OUTCOMES

Table = Literal["outcomes", "system", "system_mean", "states", "events", "institutions", "institutions_mean"]
TABLES: tuple[str, ...] = ("outcomes", "system", "system_mean", "states", "institutions", "institutions_mean", "events")
PER_RUN_TABLES: tuple[str, ...] = ("outcomes", "system", "states", "institutions", "events")
ID_COLUMNS: tuple[str, ...] = ("scenario", "architecture", "parameter_hash", "seed")
"""Columns that open every tidy table; per-run tables follow them with ``run``."""
RUN_KEY: tuple[str, ...] = ("scenario", "seed", "run")
"""What identifies one future: runs with equal keys saw the same random draws (common random numbers)."""


@dataclass
class Results:
    """One simulation: the per-run outcomes, the recorded series and events, and what produced them."""

    scenario: Scenario
    params: Params
    seed: Any
    runs: int
    years: int
    architecture: str
    record: str
    outcomes: dict[str, np.ndarray]  # name -> (R,)
    system_mean: dict[str, np.ndarray]  # name -> (T,) mean across runs
    institutions_mean: dict[str, np.ndarray]  # name -> (T,K) mean across runs
    system: dict[str, np.ndarray] | None = None  # name -> (R,T)
    institutions: dict[str, np.ndarray] | None = None  # name -> (R,T,K)
    states: dict[str, np.ndarray] | None = None  # name -> (R,T,N)
    event_arrays: dict[str, np.ndarray] | None = None
    spec: Any = None  # the secorder.spec.RunSpec that produced these results
    _events: pd.DataFrame | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (f"Results(scenario={self.scenario.name!r}, architecture={self.architecture!r}, runs={self.runs}, "
                f"years={self.years}, seed={self.seed!r}, record={self.record!r}, parameter_hash={self.params.hash()!r})")

    @classmethod
    def from_collector(cls, c: Collector, **meta: Any) -> Results:
        """Results from the engine's collector, runs put back in run order."""
        order = np.argsort(np.concatenate(c.runs))
        outcomes = {k: v[order] for k, v in concat_chunks(c.outcomes).items()}
        system = states = events = institutions = None
        if c.keep:
            system = {k: v[order] for k, v in concat_chunks(c.system).items()}
            institutions = {k: v[order] for k, v in concat_chunks(c.institutions).items()}
            states = {k: v[order] for k, v in concat_chunks(c.states).items()}
            events = concat_chunks(c.events) if c.events else None
        mean = {k: v / max(c.n, 1) for k, v in c.system_sum.items()}
        inst_mean = {k: v / max(c.n, 1) for k, v in c.institution_sum.items()}
        return cls(outcomes=outcomes, system_mean=mean, institutions_mean=inst_mean, system=system,
                   institutions=institutions, states=states, event_arrays=events, **meta)

    # ------------------------------------------------------------------------------------
    @property
    def year_index(self) -> np.ndarray:
        """The simulated calendar years."""
        return np.arange(self.scenario.year, self.scenario.year + self.years)

    @property
    def codes(self) -> list[str]:
        """The scenario's state codes, in order."""
        return self.scenario.codes

    @property
    def institution_ids(self) -> list[str]:
        """The scenario's institution ids, in order."""
        return [i.id for i in self.scenario.institutions]

    @property
    def seed_value(self) -> int | None:
        """The experiment seed as an integer (``None`` when it was not a plain integer)."""
        if isinstance(self.seed, bool):
            return None
        if isinstance(self.seed, int | np.integer):
            return int(self.seed)
        return None

    def identity(self) -> dict[str, Any]:
        """The values of :data:`ID_COLUMNS` for this result."""
        return {"scenario": self.scenario.name, "architecture": self.architecture,
                "parameter_hash": self.params.hash(), "seed": self.seed_value}

    def summary(self, level: float = 0.90) -> pd.DataFrame:
        """Per outcome: mean and central ``level`` interval across runs."""
        lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
        rows = []
        for o in OUTCOMES.values():
            v = self.outcomes[o.name]
            rows.append({
                "outcome": o.name, "label": o.label, "unit": o.unit, "mean": float(np.mean(v)),
                f"q{lo * 100:g}": float(np.quantile(v, lo)), f"q{hi * 100:g}": float(np.quantile(v, hi)),
            })
        return pd.DataFrame(rows).set_index("outcome")

    @property
    def events(self) -> pd.DataFrame:
        """The crisis event log: one row per crisis, with the layer that ended it."""
        if self._events is None:
            self._events = self._build_events()
        return self._events

    def _build_events(self) -> pd.DataFrame:
        cols = ["run", "year", "challenger", "target", "outcome", "handled_by", "battle_deaths", "allies_joined",
                "allies_abandoned"]
        e = self.event_arrays
        if self.record != "full":
            raise ValueError("the event log is kept only with record='full' (this run used 'summary')")
        if not e:
            return pd.DataFrame(columns=cols)
        codes = np.array(self.codes)
        return pd.DataFrame({
            "run": e["run"].astype(np.int64),
            "year": e["year"].astype(np.int64),
            "challenger": pd.Categorical(codes[e["challenger"]], categories=self.codes),
            "target": pd.Categorical(codes[e["target"]], categories=self.codes),
            "outcome": pd.Categorical(np.array(CRISIS_OUTCOMES)[e["outcome"]], categories=list(CRISIS_OUTCOMES[1:])),
            "handled_by": np.array([*self.institution_ids, ""], dtype=object)[e["handled_by"]],
            "battle_deaths": e["deaths"],
            "allies_joined": statesets.decode(e["joined"], self.codes),
            "allies_abandoned": statesets.decode(e["abandoned"], self.codes),
        }).sort_values(["run", "year", "challenger", "target"], kind="stable").reset_index(drop=True)

    def to_xarray(self):
        """Labelled arrays (an ``xarray.Dataset``); see :mod:`secorder.labelled`.

        Outcomes over runs, series over runs x years, state series over runs x years x states.
        """
        from secorder.labelled import results_to_xarray

        return results_to_xarray(self)

    def to_pandas(self, table: Table = "outcomes") -> pd.DataFrame:
        """A tidy long table (column meanings in ``docs/results.md``).

        Every table opens with :data:`ID_COLUMNS` (``scenario``, ``architecture``,
        ``parameter_hash``, ``seed``); per-run tables continue with ``run``:

        - ``outcomes``: run, outcome, value (one row per run and registered outcome);
        - ``system``: run, year, variable, value; ``system_mean``: year, variable, value;
        - ``states``: run, year, state, variable, value;
        - ``institutions``: run, year, institution, variable, value; ``institutions_mean``:
          year, institution, variable, value;
        - ``events``: run, year, challenger, target, outcome, handled_by, battle_deaths,
          allies_joined, allies_abandoned (the crisis event log).

        ``system``, ``states``, ``institutions`` and ``events`` need ``record="full"``.
        """
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; choose {', '.join(TABLES)}")
        if table in ("system", "states", "institutions", "events") and self.record != "full":
            raise ValueError(f"table {table!r} is kept only with record='full' (this run used 'summary')")
        if table == "outcomes":
            wide = pd.DataFrame(self.outcomes)
            wide.insert(0, "run", np.arange(self.runs))
            df = wide.melt(id_vars="run", var_name="outcome", value_name="value")
        elif table == "system_mean":
            df = pd.DataFrame(self.system_mean)
            df.insert(0, "year", self.year_index)
            df = df.melt(id_vars="year", var_name="variable", value_name="value")
        elif table == "events":
            df = self.events.copy()
        elif table == "institutions_mean":
            df = _long(self.institutions_mean, ["year", "institution"], [self.year_index, self.institution_ids])
        elif table == "system":
            df = _long(self.system, ["run", "year"], [np.arange(self.runs), self.year_index])
        elif table == "states":
            df = _long(self.states, ["run", "year", "state"], [np.arange(self.runs), self.year_index, self.codes])
        else:
            df = _long(self.institutions, ["run", "year", "institution"],
                       [np.arange(self.runs), self.year_index, self.institution_ids])
        return with_identity(df, self.identity())

    def manifest(self) -> dict[str, Any]:
        """What ``manifest.json`` records: package version, scenario, architecture, seed, parameters, sizes."""
        return {
            "package": "secorder",
            "version": __version__,
            "scenario": self.scenario.name,
            "start_year": self.scenario.year,
            "architecture": self.architecture,
            "seed": self.seed if isinstance(self.seed, int | None) else str(self.seed),
            "parameter_hash": self.params.hash(),
            "parameters_changed": {
                k: v for k, v in self.params.to_dict().items() if v != Params.metadata()[k]["default"]
            },
            "runs": self.runs,
            "years": self.years,
            "record": self.record,
            "states": self.codes,
            "tables": [],
            # the whole run specification (scenario, architecture, levers, every parameter
            # layer and value, parameter file hash); RunSpec.from_manifest rebuilds it
            **({"spec": self.spec.to_dict()} if self.spec is not None else {}),
        }

    def save(
        self, out: str | Path, overwrite: bool = True, force: bool = False, *,
        figures: Callable[[Path], Sequence[Path]] | None = None,
    ) -> Path:
        """Write the Parquet tables, ``summary.csv`` and ``manifest.json`` to ``out``.

        Everything is written to a temporary folder beside ``out`` and moved into place at
        the end, so an interrupted save leaves nothing half-written. An existing ``out`` is
        replaced only if it is a secorder results folder (or ``force=True``); with
        ``overwrite=False`` it is never replaced. See :mod:`secorder._atomic`. ``figures``, if
        given, draws into the temporary folder and returns the files it wrote (listed in the
        manifest); ``secorder.report.save_results`` uses it to add the standard plots.
        """
        out = Path(out)
        if out.exists() and not overwrite:
            from secorder.errors import InputError

            raise InputError([(str(out), "already exists (pass overwrite=True or choose another --out)")])
        with atomic_folder(out, force=force) as tmp:
            manifest = self.manifest()
            tables = ["outcomes", "system_mean", "institutions_mean"] + (
                ["system", "states", "institutions", "events"] if self.record == "full" else []
            )
            for name in tables:
                self.to_pandas(name).to_parquet(tmp / f"{name}.parquet", index=False)
            self.summary().to_csv(tmp / "summary.csv")
            manifest["tables"] = [f"{t}.parquet" for t in tables] + ["summary.csv"]
            if figures is not None:
                manifest["plots"] = [Path(p).name for p in figures(tmp)]
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        return out


def with_identity(df: pd.DataFrame, identity: dict[str, Any]) -> pd.DataFrame:
    """``df`` with the :data:`ID_COLUMNS` in front (one category each; ``seed`` as nullable Int64)."""
    n = len(df)
    cols: dict[str, Any] = {}
    for name in ID_COLUMNS:
        value = identity[name]
        if name == "seed":
            cols[name] = pd.arrays.IntegerArray(np.full(n, 0 if value is None else value, dtype=np.int64),
                                                np.full(n, value is None))
        else:
            cols[name] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[str(value)])
    ids = pd.DataFrame(cols, index=df.index)
    return pd.concat([ids, df.drop(columns=[c for c in ID_COLUMNS if c in df])], axis=1)


def concat_tables(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate tidy tables of several results (e.g. one per architecture).

    Categorical columns keep a categorical dtype whose categories are the union, in order of
    first appearance, so ``architecture`` stays in the order the tables were given.
    """
    tables = list(tables)
    if not tables:
        raise ValueError("concat_tables needs at least one table")
    out = pd.concat(tables, ignore_index=True)
    for col in tables[0].columns:
        if all(isinstance(t[col].dtype, pd.CategoricalDtype) for t in tables if col in t):
            cats = list(dict.fromkeys(c for t in tables if col in t for c in t[col].cat.categories))
            out[col] = pd.Categorical(out[col], categories=cats)
    return out


def _long(arrays: dict[str, np.ndarray], dims: list[str], coords: list[Any]) -> pd.DataFrame:
    grids = np.meshgrid(*[np.arange(len(c)) for c in coords], indexing="ij")
    base = {d: np.asarray(c)[g.ravel()] for d, c, g in zip(dims, coords, grids, strict=True)}
    frames = []
    for name, values in arrays.items():
        df = pd.DataFrame(base)
        df["variable"] = name
        df["value"] = np.asarray(values, dtype=float).ravel()
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["variable"] = df["variable"].astype("category")
    for dim in ("state", "institution"):
        if dim in df:
            df[dim] = df[dim].astype("category")
    return df


__all__ = ["ID_COLUMNS", "RUN_KEY", "TABLES", "Results", "STATE_SERIES", "SYSTEM_SERIES", "concat_tables", "with_identity"]
