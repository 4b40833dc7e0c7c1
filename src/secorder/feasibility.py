"""Feasibility of regional orders: the F2 conditions over a run, and whether arrangements would form.

:func:`condition_paths` simulates a scenario and returns the yearly paths of the F2
conditions (computed from the run by :mod:`secorder.mechanisms.conditions`) with bands
across runs: which condition binds, and how it moves.

>>> p = condition_paths("northeast-asia-2003", years=3, runs=8, seed=0)
>>> list(p.table.columns)
['year', 'condition', 'mean', 'median', 'low', 'high']
>>> set(p.table["condition"]) == set(CONDITIONS)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from secorder.world import CONDITIONS

__all__ = ["CONDITIONS", "ConditionPaths", "condition_paths"]

CONDITION_LABELS = {
    "arrangements": "(a) existing arrangements",
    "interdependence": "(b) interdependence",
    "threat": "(c) common threat",
    "support": "(d) support of the key actors",
    "leadership": "(d1) leadership: a major power sponsors",
    "willingness": "(d2) willingness to accept rules",
}


@dataclass(frozen=True)
class ConditionPaths:
    """Yearly paths of the F2 conditions across runs: mean, median and a band per condition."""

    label: str
    charter: str  # whose conditions: the first potential regime, or the whole region
    table: pd.DataFrame  # year, condition, mean, median, low, high
    level: float  # the band's coverage, e.g. 0.8 for the 10th-90th percentiles

    def final(self) -> pd.DataFrame:
        """The last year's row of each condition, indexed by condition."""
        last = self.table[self.table["year"] == self.table["year"].max()]
        return last.set_index("condition").loc[list(CONDITIONS)]

    def plot(self, path: str | Path | None = None):
        """Median path and band of each condition, one panel each; saved if ``path``."""
        from secorder.report.plots import _pyplot, save_figure

        plt = _pyplot()
        fig, axes = plt.subplots(2, 3, figsize=(12, 6), sharex=True, sharey=True)
        for ax, c in zip(axes.ravel(), CONDITIONS, strict=True):
            d = self.table[self.table["condition"] == c]
            ax.fill_between(d["year"], d["low"], d["high"], color="#4a7ab7", alpha=0.25,
                            label=f"{self.level:.0%} of runs")
            ax.plot(d["year"], d["median"], color="#1f3f73", label="median")
            ax.plot(d["year"], d["mean"], color="#1f3f73", ls="--", lw=0.8, label="mean")
            ax.set_title(CONDITION_LABELS[c], fontsize=10)
            ax.set_ylim(0, 1)
        axes[0, 0].legend(fontsize=8, loc="upper left")
        fig.suptitle(f"F2 conditions of {self.charter}: {self.label}", fontsize=10)
        return save_figure(fig, None if path is None else Path(path))


def _charter_name(scenario) -> str:
    potential = [i for i in scenario.institutions if i.status == "potential"]
    return potential[0].name if potential else "the whole region"


def paths_of(res, level: float = 0.8) -> ConditionPaths:
    """:class:`ConditionPaths` of a finished simulation that kept its per-run series."""
    if res.system is None:
        raise ValueError("the results kept no per-run series; simulate with record='full'")
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    years = res.year_index
    rows = []
    for c in CONDITIONS:
        v = np.asarray(res.system[f"condition_{c}"], dtype=float)  # (R,T)
        rows.append(pd.DataFrame({
            "year": years, "condition": c, "mean": v.mean(axis=0), "median": np.median(v, axis=0),
            "low": np.quantile(v, lo_q, axis=0), "high": np.quantile(v, hi_q, axis=0),
        }))
    label = f"{res.scenario.name} ({res.architecture}), {res.runs:,} runs x {res.years} years, seed {res.seed}"
    return ConditionPaths(label, _charter_name(res.scenario), pd.concat(rows, ignore_index=True), level)


def condition_paths(
    scenario: Any = "northeast-asia-2003",
    *,
    years: int = 30,
    runs: int = 200,
    seed: int = 0,
    params: Mapping[str, float] | None = None,
    architecture: Any = "status-quo",
    level: float = 0.8,
    overrides_field: str = "params",
) -> ConditionPaths:
    """Simulate ``scenario`` and return the F2 conditions' yearly paths with ``level`` bands."""
    from secorder.engine import simulate
    from secorder.errors import InputError
    from secorder.spec import RunSpec

    if not 0 < level < 1:
        raise InputError(f"must be between 0 and 1 (exclusive), got {level!r}", field="level")

    spec = RunSpec.build(scenario, years=years, runs=runs, seed=seed, params=params, architecture=architecture,
                         record="full", overrides_field=overrides_field)
    return paths_of(simulate(spec), level)
