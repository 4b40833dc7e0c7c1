"""Global sensitivity analysis of a sweep's outcomes with SALib: Sobol indices and Morris screening.

A sweep drawn with ``sampler: sobol`` (Saltelli's scheme) gives first-order (``S1``) and total
(``ST``) Sobol indices with bootstrap confidence intervals; one drawn with ``sampler: morris``
gives the Morris elementary-effect statistics (``mu_star`` with its confidence interval,
``sigma``). The outcome of a design point is the mean over its runs and seeds (``statistic=
"mean"``) or the share of runs in which the outcome is above zero (``"positive"``, e.g. the
chance of at least one war). Each scenario x architecture x lever set is analysed separately.

The analysis functions take any ``problem`` (names and bounds) and outputs, so they are tested
on the Ishigami function against its known indices.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from secorder.errors import InputError

STATISTICS = ("mean", "positive")
GROUP = ["scenario", "architecture", "levers"]


def sobol_indices(problem: dict, y: np.ndarray, *, second_order: bool = False, conf_level: float = 0.95,
                  num_resamples: int = 100, seed: int = 0):
    """Sobol S1 and ST with ``conf_level`` confidence half-widths, one row per parameter.

    ``y`` holds the outputs at the points of a Saltelli design (:func:`~secorder.explore.design.sample`
    with ``"sobol"``), in its order.
    """
    import pandas as pd
    from SALib.analyze import sobol

    res = sobol.analyze(problem, np.asarray(y, dtype=float), calc_second_order=second_order,
                        num_resamples=num_resamples, conf_level=conf_level, seed=seed)
    return pd.DataFrame({"parameter": problem["names"], "S1": res["S1"], "S1_conf": res["S1_conf"],
                         "ST": res["ST"], "ST_conf": res["ST_conf"]})


def morris_indices(problem: dict, x: np.ndarray, y: np.ndarray, *, levels: int = 4, conf_level: float = 0.95,
                   num_resamples: int = 100, seed: int = 0):
    """Morris screening: ``mu``, ``mu_star`` (with its confidence half-width) and ``sigma`` per parameter."""
    import pandas as pd
    from SALib.analyze import morris

    res = morris.analyze(problem, np.asarray(x, dtype=float), np.asarray(y, dtype=float), num_levels=levels,
                         conf_level=conf_level, num_resamples=num_resamples, seed=seed)
    return pd.DataFrame({"parameter": problem["names"], "mu": np.asarray(res["mu"]),
                         "mu_star": np.asarray(res["mu_star"]), "mu_star_conf": np.asarray(res["mu_star_conf"]),
                         "sigma": np.asarray(res["sigma"])})


@dataclass
class SensitivityResult:
    """Indices per scenario x architecture x lever set, and their plot."""

    method: str
    outcome: str
    statistic: str
    table: Any  # pandas DataFrame: group columns, parameter, indices
    figure: Any  # matplotlib Figure

    def save(self, folder: str | Path) -> list[Path]:
        """Write ``sensitivity-OUTCOME.csv`` and ``.png`` into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"sensitivity-{self.method}-{self.outcome}"
        csv, png = folder / f"{stem}.csv", folder / f"{stem}.png"
        self.table.to_csv(csv, index=False)
        self.figure.savefig(png, dpi=110)
        return [csv, png]


def sensitivity(path: str | Path, outcome: str, *, method: str = "auto", statistic: str = "mean",
                conf_level: float = 0.95, seed: int = 0) -> SensitivityResult:
    """Sobol or Morris indices of ``outcome`` from the sweep dataset at ``path``.

    ``method="auto"`` follows the sweep's sampler. Raises :class:`InputError` for an unknown
    outcome, a design that does not fit the method, or an unfinished sweep.
    """
    import pandas as pd

    from secorder.explore.runner import outcome_names, read_manifest, read_sweep

    path = Path(path)
    meta = read_manifest(path)
    design = meta["design"]
    if outcome not in outcome_names():
        raise InputError([("--outcome", f"unknown outcome {outcome!r}; known: {', '.join(outcome_names())}")])
    if statistic not in STATISTICS:
        raise InputError([("--statistic", f"must be one of {', '.join(STATISTICS)}, got {statistic!r}")])
    method = design["sampler"] if method == "auto" else method
    if method not in ("sobol", "morris") or design["sampler"] != method:
        raise InputError([("--method", f"{method!r} needs a sweep drawn with sampler: {method if method in ('sobol', 'morris') else 'sobol or morris'}"
                                       f" (this one used {design['sampler']!r})")])
    if meta["cells_done"] < meta["cells"]:
        raise InputError([(str(path), f"the sweep is unfinished ({meta['cells_done']:,} of {meta['cells']:,} cells); "
                                      "run `secorder sweep` on the same spec and folder to finish it")])
    problem = {"num_vars": len(design["parameters"]), "names": design["parameters"], "bounds": design["bounds"]}
    x = pd.read_parquet(path / "design.parquet").sort_values("point")[design["parameters"]].to_numpy()
    rows = read_sweep(path, columns=[*GROUP, "seed", "point", outcome])
    value = rows[outcome] > 0 if statistic == "positive" else rows[outcome]
    per_point = rows.assign(_y=value.astype(float)).groupby([*GROUP, "point"], sort=False)["_y"].mean()
    tables = []
    for group, ys in per_point.groupby(level=GROUP, sort=False):
        y = ys.droplevel(GROUP).reindex(range(len(x))).to_numpy()
        if method == "sobol":
            t = sobol_indices(problem, y, second_order=design["second_order"], conf_level=conf_level, seed=seed)
        else:
            t = morris_indices(problem, x, y, levels=design["levels"], conf_level=conf_level, seed=seed)
        for col, v in zip(GROUP, group, strict=True):
            t.insert(GROUP.index(col), col, v)
        tables.append(t)
    table = pd.concat(tables, ignore_index=True)
    return SensitivityResult(method, outcome, statistic, table, plot_indices(table, method, outcome))


def plot_indices(table, method: str, outcome: str):
    """Bars of S1 and ST (Sobol) or mu* (Morris) with confidence intervals, one panel per group."""
    from secorder.report.plots import _pyplot

    plt = _pyplot()
    groups = list(table.groupby(GROUP, sort=False))[:6]
    n_par = table["parameter"].nunique()
    fig, axes = plt.subplots(1, len(groups), figsize=(4.2 * len(groups) + 1.5, 0.45 * n_par + 1.8),
                             sharey=True, squeeze=False)
    for ax, (group, t) in zip(axes[0], groups, strict=True):
        pos = np.arange(len(t))
        if method == "sobol":
            ax.barh(pos - 0.2, t["S1"], 0.4, xerr=t["S1_conf"], label="first order S1", color="#4C72B0")
            ax.barh(pos + 0.2, t["ST"], 0.4, xerr=t["ST_conf"], label="total ST", color="#DD8452")
            ax.set_xlabel("Sobol index")
        else:
            ax.barh(pos, t["mu_star"], 0.6, xerr=t["mu_star_conf"], label="mu*", color="#4C72B0")
            ax.plot(t["sigma"], pos, "o", color="#C44E52", label="sigma")
            ax.set_xlabel("elementary effect")
        ax.set_yticks(pos, t["parameter"])
        ax.invert_yaxis()
        ax.set_title(" / ".join(str(g) for g in group), fontsize=9)
        ax.axvline(0, color="0.6", lw=0.8)
    axes[0][0].legend(loc="lower right", fontsize=8)
    fig.suptitle(f"{'Sobol indices' if method == 'sobol' else 'Morris screening'}: {outcome}", fontsize=11)
    fig.tight_layout()
    return fig
