"""Simulate staged designs on a scenario and compare them on common random numbers.

:func:`simulate_design` runs one design; :func:`run_designs` runs several and a baseline
without any design (``no-design``) with the same seed, so run ``r`` of each sees the same
shocks, and pairs their outcomes (:func:`secorder.experiments.compare.paired_statistics`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from secorder.designs.plan import Plan, plan_design
from secorder.designs.runner import NEVER, Controller, DesignRecord
from secorder.designs.schema import Design, validate_design
from secorder.errors import InputError
from secorder.params import Params
from secorder.results import Results
from secorder.scenario import Scenario, load_scenario

BUILTIN_PACKAGE = "secorder.designs.builtin"
BASELINE = "no-design"
KEY_OUTCOMES = ("disputes_per_decade", "fatal_disputes_per_decade", "wars_per_decade", "mean_trust_final",
                "order_index_final")


def builtin_designs() -> list[str]:
    """Names of the designs shipped with the package."""
    files = resources.files(BUILTIN_PACKAGE).iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def load_design(source: str | Path | dict | Design) -> Design:
    """A built-in design by name, a YAML file, a mapping, or pass one through (validated)."""
    from secorder.scenario.loader import parse_yaml, read_yaml

    if isinstance(source, Design):
        return source
    if isinstance(source, dict):
        return validate_design(source)
    text = str(source)
    if text in builtin_designs():
        ref = resources.files(BUILTIN_PACKAGE).joinpath(f"{text}.yaml")
        return validate_design(parse_yaml(ref.read_text(encoding="utf-8"), f"{text}.yaml"), f"{text}.yaml")
    if not text.strip():
        raise InputError([("design", "the name is empty; give a built-in name or a YAML path")])
    if Path(text).is_file():
        return validate_design(read_yaml(text), text)
    raise InputError([(text, "is neither a built-in design nor an existing file; built-in: "
                       + ", ".join(builtin_designs()))])


def _source(source: Any, design: Design) -> str:
    return str(source) if isinstance(source, str | Path) and Path(str(source)).is_file() else design.name


@dataclass
class DesignRun:
    """One design simulated: its plan on the scenario, the model's results and the design's record."""

    design: Design
    plan: Plan
    results: Results
    record: DesignRecord

    @property
    def name(self) -> str:
        """The design's name."""
        return self.design.name

    @property
    def year_index(self) -> np.ndarray:
        """The simulated years."""
        return self.results.year_index

    def reach(self) -> pd.DataFrame:
        """Per stage and year: the share of runs that have reached the stage by that year, and that have it in place.

        Columns: design, stage (1, 2, ...), label, kind, year, reached (share reached by the start
        of that year), in_place (share at that stage or a later one during the year).
        """
        years = self.year_index
        rows = []
        reached = self.record.reached
        for sp in self.plan.stages:
            r = reached[:, sp.index]
            got = (r != NEVER)[:, None] & (r[:, None] <= years[None, :])
            in_place = (self.record.level >= sp.index + 1).mean(axis=0)
            for t, y in enumerate(years):
                rows.append({"design": self.name, "stage": sp.index + 1, "label": sp.label, "kind": sp.kind,
                             "year": int(y), "reached": float(got[:, t].mean()), "in_place": float(in_place[t])})
        return pd.DataFrame(rows)

    def stages(self) -> pd.DataFrame:
        """Per stage: share of runs that ever reach it, median year reached, share with a failure of it."""
        rows = []
        for sp in self.plan.stages:
            r = self.record.reached[:, sp.index]
            got = r[r != NEVER]
            rows.append({
                "design": self.name, "stage": sp.index + 1, "label": sp.label, "kind": sp.kind,
                "trigger": self.design.stages[sp.index].trigger.describe(),
                "reached": float((r != NEVER).mean()),
                "median_year": float(np.median(got)) if got.size else float("nan"),
                "failed": float((self.record.failures[:, sp.index] > 0).mean()),
                "in_place_final": float((self.record.level[:, -1] >= sp.index + 1).mean()),
            })
        return pd.DataFrame(rows)


def _design_chunk(job: tuple[Any, ...]) -> tuple[Any, DesignRecord | None]:
    """One chunk of runs with the design's stage machine (if any) as the engine's yearly hook."""
    from secorder.engine import simulate_chunk

    sc, p, years, root, chunk, keep, mechanisms, schedule, plan = job
    ctl = Controller(plan, len(chunk), years, p) if plan is not None else None
    out = simulate_chunk(sc, p, years, root, chunk, keep, mechanisms, schedule, None,
                         ctl.before_year if ctl is not None else None)
    return out, ctl.record() if ctl is not None else None


def _simulate(scenario: Scenario, name: str, plan: Plan | None, years: int, runs: int, seed: int,
              params: Params | dict[str, float] | None, record: str, chunk_size: int, workers: int | None = 1
              ) -> tuple[Results, DesignRecord | None]:
    """Simulate the scenario (with a design's slots if ``plan``) chunk by chunk, with the design's hook.

    Chunks run in worker processes when ``workers`` allows (``None``: one per core, at most one
    per chunk); the results do not depend on the chunks or the workers.
    """
    from concurrent.futures import ProcessPoolExecutor

    from secorder import resources as res
    from secorder.mechanisms import REGISTRY
    from secorder.metrics import run_outcomes
    from secorder.recording import Collector
    from secorder.rng import root_sequence
    from secorder.spec import RunSpec

    spec = RunSpec.build(scenario, years=years, runs=runs, seed=seed, params=params, record=record,
                         chunk_size=chunk_size, workers=workers)
    keep = spec.record_mode == "full"
    collector = Collector(keep, years, run_outcomes)
    parts = []
    sc, p = spec.overlay.scenario, spec.params
    # the engine's memory check (a run that cannot fit is refused before anything is allocated);
    # a design's record adds one byte per run and year
    fit = res.plan(res.Footprint.measure(sc, p, REGISTRY, years, keep), runs, spec.chunk_size, spec.workers, keep,
                   len(sc.states))
    jobs = ((sc, p, years, root_sequence(spec.seed), chunk, keep, spec.mechanisms, spec.overlay.schedule, plan)
            for chunk in res.chunk_indices(runs, fit.chunk_size))
    if fit.workers == 1:
        done = map(_design_chunk, jobs)
    else:
        pool = ProcessPoolExecutor(max_workers=fit.workers, initializer=res.worker_init)
        done = pool.map(_design_chunk, jobs)
    try:
        for out, rec in done:
            collector.add(out)
            if rec is not None:
                parts.append(rec)
    finally:
        if fit.workers != 1:
            pool.shutdown(cancel_futures=True)
    results = Results.from_collector(collector, scenario=sc, params=p, seed=spec.seed, runs=runs, years=years,
                                     architecture=name, record=spec.record_mode, spec=spec)
    return results, DesignRecord.concat(parts) if parts else None


def simulate_design(
    design: str | Path | dict | Design,
    scenario: str | Path | Scenario | None = None,
    years: int = 30,
    runs: int = 200,
    seed: int = 0,
    params: Params | dict[str, float] | None = None,
    *,
    record: str = "summary",
    chunk_size: int = 500,
    workers: int | None = 1,
) -> DesignRun:
    """Simulate one staged design on a scenario (its own ``scenario:`` if none is given).

    >>> run = simulate_design("neamsec-six-party", "northeast-asia-2003", years=3, runs=4)
    >>> run.stages()[["stage", "kind"]].to_dict("list")["kind"][0]
    'create'
    """
    d = load_design(design)
    sc = _scenario_for([d], scenario)
    plan = plan_design(d, sc, _source(design, d))
    results, rec = _simulate(plan.scenario, d.name, plan, years, runs, seed, params, record, chunk_size, workers)
    assert rec is not None
    return DesignRun(d, plan, results, rec)


def _scenario_for(designs: Sequence[Design], scenario: str | Path | Scenario | None) -> Scenario:
    if scenario is not None:
        return load_scenario(scenario)
    wanted = {d.scenario for d in designs}
    if len(wanted) != 1 or None in wanted:
        raise InputError([("scenario", "give a scenario (--scenario): the designs name "
                           + ("none" if wanted == {None} else f"different ones {sorted(str(w) for w in wanted)}"))])
    return load_scenario(next(iter(wanted)))


@dataclass
class DesignComparison:
    """Several designs and a baseline without a design, simulated on the same futures."""

    scenario: Scenario
    runs: dict[str, DesignRun]
    baseline: Results
    years: int
    seed: int
    level: float = 0.90
    reference: str = BASELINE  # what differences are taken from: no design, or one of the designs

    @property
    def designs(self) -> list[str]:
        """The designs compared, in order."""
        return list(self.runs)

    def reach(self) -> pd.DataFrame:
        """Every design's :meth:`DesignRun.reach`, concatenated."""
        return pd.concat([r.reach() for r in self.runs.values()], ignore_index=True)

    def stages(self) -> pd.DataFrame:
        """Every design's :meth:`DesignRun.stages`, concatenated."""
        return pd.concat([r.stages() for r in self.runs.values()], ignore_index=True)

    def outcomes(self) -> pd.DataFrame:
        """Tidy per-run outcomes of the baseline and every design (``architecture`` names the design)."""
        from secorder.results import concat_tables

        return concat_tables([self.baseline.to_pandas("outcomes"),
                              *(r.results.to_pandas("outcomes") for r in self.runs.values())])

    def default_outcomes(self) -> list[str]:
        """The key outcomes, and the share of years of each kind of order that is not the same in every run."""
        frame = self.outcomes()
        shares = frame[frame["outcome"].astype(str).str.startswith("share_")]
        varied = shares.groupby(shares["outcome"].astype(str))["value"].agg(lambda v: v.max() > v.min())
        return [*KEY_OUTCOMES, *sorted(varied[varied].index)]

    def table(self, outcomes: Sequence[str] | None = None) -> pd.DataFrame:
        """Per outcome and design: mean, central interval, and the paired difference from the reference.

        ``outcomes`` defaults to :meth:`default_outcomes`.
        """
        from secorder.experiments.compare import paired_statistics

        names = self.default_outcomes() if outcomes is None else outcomes
        t = paired_statistics(self.outcomes(), self.reference, names=names, level=self.level)
        return t.rename(columns={"architecture": "design"})

    def paired(self, outcome: str, design: str) -> np.ndarray:
        """Per-run differences of an outcome: design minus the reference (the same run's futures)."""
        ref = self.baseline if self.reference == BASELINE else self.runs[self.reference].results
        own = self.baseline if design == BASELINE else self.runs[design].results
        return own.outcomes[outcome] - ref.outcomes[outcome]

    def save(self, out: str | Path, force: bool = False) -> Path:
        """reach.csv, stages.csv, comparison.csv, outcomes.parquet, reach.png and manifest.json, atomically."""
        from secorder import __version__
        from secorder._atomic import atomic_folder
        from secorder.designs.report import plot_reach

        with atomic_folder(out, force=force, field="--out") as tmp:
            self.reach().to_csv(tmp / "reach.csv", index=False)
            self.stages().to_csv(tmp / "stages.csv", index=False)
            self.table().to_csv(tmp / "comparison.csv", index=False)
            self.outcomes().to_parquet(tmp / "outcomes.parquet", index=False)
            plot_reach(self, tmp / "reach.png")
            manifest = {
                "package": "secorder", "version": __version__, "scenario": self.scenario.name,
                "designs": {n: r.design.model_dump(mode="json") for n, r in self.runs.items()},
                "baseline": BASELINE, "reference": self.reference, "seed": self.seed, "runs": self.baseline.runs, "years": self.years,
                "parameter_hash": self.baseline.params.hash(), "confidence_level": self.level,
                "plots": ["reach.png"],
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        return Path(out)


def run_designs(
    designs: Sequence[str | Path | dict | Design],
    scenario: str | Path | Scenario | None = None,
    years: int = 30,
    runs: int = 200,
    seed: int = 0,
    params: Params | dict[str, float] | None = None,
    *,
    level: float = 0.90,
    record: str = "summary",
    chunk_size: int = 500,
    workers: int | None = 1,
    reference: str = BASELINE,
) -> DesignComparison:
    """Simulate each design and a baseline without a design on the same futures, and pair them.

    Differences are taken from ``reference``: ``"no-design"`` (the default) or one of the
    designs. ``workers`` worker processes share the chunks of runs (``None``: one per core);
    no result depends on them.

    >>> cmp = run_designs(["neamsec-six-party", "helsinki-northeast-asia"], "northeast-asia-2003",
    ...                   years=3, runs=4)
    >>> cmp.designs
    ['neamsec-six-party', 'helsinki-northeast-asia']
    """
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer) or runs < 2:
        raise InputError([("runs", f"must be a whole number >= 2 (paired intervals need two runs), got {runs!r}")])
    if not designs:
        raise InputError([("designs", "name at least one design")])
    loaded = [load_design(d) for d in designs]
    names = [d.name for d in loaded]
    if len(set(names)) != len(names) or BASELINE in names:
        raise InputError([("designs", f"each design must appear once under its own name (not {BASELINE!r}), "
                           f"got {names}")])
    if reference not in (BASELINE, *names):
        raise InputError([("reference", f"{reference!r} is neither {BASELINE!r} nor one of the designs {names}")])
    from secorder.spec import resolve_seed

    seed = resolve_seed(seed)  # once, so the baseline and every design see the same futures even for None
    sc = _scenario_for(loaded, scenario)
    plans = [plan_design(d, sc, _source(src, d)) for src, d in zip(designs, loaded, strict=True)]
    base, _ = _simulate(sc, BASELINE, None, years, runs, seed, params, record, chunk_size, workers)
    out = {}
    for d, plan in zip(loaded, plans, strict=True):
        results, rec = _simulate(plan.scenario, d.name, plan, years, runs, seed, params, record, chunk_size, workers)
        assert rec is not None
        out[d.name] = DesignRun(d, plan, results, rec)
    return DesignComparison(sc, out, base, years, int(base.seed), level, reference)


__all__ = ["BASELINE", "DesignComparison", "DesignRun", "builtin_designs", "load_design", "run_designs",
           "simulate_design"]
