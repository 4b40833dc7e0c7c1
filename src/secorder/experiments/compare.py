"""Comparing architectures on common random numbers.

``compare`` runs every architecture on the same scenario, seed and run indices, so run ``r``
of every architecture sees the same shocks and draws. Differences between architectures are
then *paired*: for each outcome, the per-run difference against a baseline, its mean and a
confidence interval (Student t over runs). With identical architectures every paired
difference is exactly zero.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from secorder import __version__
from secorder._atomic import atomic_folder
from secorder.architectures import Architecture, Lever, load_architecture
from secorder.engine import simulate
from secorder.errors import InputError
from secorder.metrics import OUTCOMES_BY_NAME
from secorder.params import Params
from secorder.results import Results
from secorder.scenario import Scenario, load_scenario
from secorder.spec import ParamsFile, RunSpec, read_params_file, resolve_seed

KEY_OUTCOMES = (
    "disputes_per_decade", "fatal_disputes_per_decade", "wars_per_decade", "battle_deaths",
    "arms_burden_pct", "arms_race_episodes", "mean_trust_final", "regime_challenges_per_decade",
    "order_index_final", "ally_cost_bn", "leader_ally_cost_bn",
)
WORKLOAD = ("ended_forum_per_decade", "ended_concert_per_decade", "ended_deterrence_per_decade",
            "ended_settlement_per_decade", "ended_dispute_per_decade", "ended_war_per_decade")


def paired_interval(diff: np.ndarray, level: float = 0.90) -> tuple[float, float, float]:
    """Mean of paired differences and its two-sided ``level`` confidence interval."""
    n = diff.size
    mean = float(diff.mean())
    if n < 2:
        return mean, mean, mean
    se = float(diff.std(ddof=1) / np.sqrt(n))
    if se == 0.0:
        return mean, mean, mean
    t = stats.t.ppf(0.5 + level / 2, n - 1)
    return mean, mean - t * se, mean + t * se


@dataclass
class Comparison:
    """Results of several architectures on the same futures."""

    scenario: Scenario
    baseline: str
    runs: int
    years: int
    seed: int
    results: dict[str, Results]
    level: float = 0.90
    _table: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def architectures(self) -> list[str]:
        return list(self.results)

    def paired(self, outcome: str, architecture: str) -> np.ndarray:
        """Per-run differences of an outcome: architecture minus baseline."""
        return self.results[architecture].outcomes[outcome] - self.results[self.baseline].outcomes[outcome]

    def table(self, outcomes: Sequence[str] | None = None) -> pd.DataFrame:
        """Per outcome and architecture: mean, central interval across runs, and the paired
        difference against the baseline with its confidence interval."""
        names = list(outcomes or OUTCOMES_BY_NAME)
        lo_q, hi_q = (1 - self.level) / 2, 1 - (1 - self.level) / 2
        rows = []
        for o in names:
            for a, res in self.results.items():
                v = res.outcomes[o]
                d, d_lo, d_hi = paired_interval(self.paired(o, a), self.level)
                rows.append({
                    "outcome": o, "label": OUTCOMES_BY_NAME[o].label, "architecture": a,
                    "mean": float(v.mean()), "q_low": float(np.quantile(v, lo_q)),
                    "q_high": float(np.quantile(v, hi_q)), "diff": d, "diff_low": d_lo, "diff_high": d_hi,
                })
        return pd.DataFrame(rows)

    def to_pandas(self) -> pd.DataFrame:
        """Tidy per-run outcomes: (architecture, run, outcome, value)."""
        frames = []
        for a, res in self.results.items():
            df = res.to_pandas("outcomes")
            df.insert(0, "architecture", a)
            frames.append(df)
        out = pd.concat(frames, ignore_index=True)
        out["architecture"] = pd.Categorical(out["architecture"], categories=self.architectures)
        return out

    def time_paths(self) -> pd.DataFrame:
        """Tidy yearly means across runs: (architecture, year, variable, value)."""
        frames = []
        for a, res in self.results.items():
            df = res.to_pandas("system_mean")
            df.insert(0, "architecture", a)
            frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def manifest(self) -> dict:
        base = self.results[self.baseline]
        return {
            "package": "secorder", "version": __version__, "scenario": self.scenario.name,
            "architectures": self.architectures, "baseline": self.baseline, "seed": self.seed,
            "runs": self.runs, "years": self.years, "parameter_hash": base.params.hash(),
            "confidence_level": self.level,
            **_spec_summary(self.results),
        }

    def save(self, out: str | Path, plots: bool = True) -> Path:
        """comparison.csv, outcomes.parquet, time_paths.parquet, manifest.json and plots, atomically."""
        with atomic_folder(out) as tmp:
            self.table().to_csv(tmp / "comparison.csv", index=False)
            self.to_pandas().to_parquet(tmp / "outcomes.parquet", index=False)
            self.time_paths().to_parquet(tmp / "time_paths.parquet", index=False)
            manifest = self.manifest()
            if plots:
                from secorder.report.compare_plots import save_comparison_plots

                manifest["plots"] = [p.name for p in save_comparison_plots(self, tmp)]
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        return Path(out)


def _spec_summary(results: dict[str, Results]) -> dict:
    """What every architecture's run specification shares, and each one's parameter hash."""
    specs = {a: r.spec for a, r in results.items() if r.spec is not None}
    if not specs:
        return {}
    first = next(iter(specs.values()))
    return {
        "levers": [lv.model_dump(mode="json", exclude_none=True) for lv in first.levers],
        "overrides": dict(first.overrides),
        "params_file": first.params_file.to_dict() if first.params_file else None,
        "parameter_hashes": {a: s.params.hash() for a, s in specs.items()},
    }


def compare(
    scenario: Scenario | str,
    architectures: Sequence[str | Architecture],
    runs: int = 1000,
    years: int = 30,
    seed: int = 0,
    baseline: str | None = None,
    levers: Sequence[Lever | dict] = (),
    params: Params | dict[str, float] | None = None,
    level: float = 0.90,
    progress: bool = False,
    workers: int | None = None,
    params_file: str | Path | ParamsFile | None = None,
    overrides_field: str = "params",
) -> Comparison:
    """Run each architecture on the same futures and pair the outcomes against a baseline.

    ``levers`` are switched on in every architecture; ``params`` and ``params_file`` apply to
    every architecture, after its own parameters (see :mod:`secorder.spec`). The baseline
    defaults to the first architecture. Each architecture keeps only per-run outcomes and
    yearly means (``record="summary"``), so memory stays small for many architectures.
    """
    sc = load_scenario(scenario)
    archs = [load_architecture(a) for a in architectures]
    names = [a.name for a in archs]
    if len(set(names)) != len(names):
        raise InputError([("architectures", f"each architecture must appear once, got {names}")])
    if not archs:
        raise InputError([("architectures", "name at least one architecture")])
    base = baseline or names[0]
    if base not in names:
        raise InputError([("baseline", f"{base!r} is not among the compared architectures {names}")])
    if not 0 < level < 1:
        raise InputError([("level", f"must be in (0, 1), got {level}")])
    if isinstance(runs, int) and not isinstance(runs, bool) and runs < 2:
        raise InputError([("runs", f"a comparison needs at least 2 runs per architecture, got {runs}")])
    if params_file is not None and not isinstance(params_file, ParamsFile):
        params_file = read_params_file(params_file)  # read and checked once for every architecture
    seed = resolve_seed(seed)  # once, so every architecture sees the same futures even for seed=None
    specs = [RunSpec.build(sc, years=years, runs=runs, seed=seed, params=params, params_file=params_file,
                           record="summary", architecture=a, levers=levers, workers=workers,
                           overrides_field=overrides_field) for a in archs]
    results = {spec.architecture_name: simulate(spec, progress=progress) for spec in specs}
    return Comparison(sc, base, runs, years, seed, results, level)
