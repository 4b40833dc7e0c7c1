"""PNG plots of a simulation: military spending by state, crises and disputes, trust.

Every plot names what its lines and bands are: bands over runs are the central 90% of runs;
bands around a mean are its 90% confidence interval. Yearly counts of crises are shown as a
mean rate and as cumulative counts per run (a band over counts of 0, 1, 2 is a staircase).
With ``record="summary"`` only yearly means are kept and bands are omitted (the title says so).
Each ``plot_*`` function returns the matplotlib figure (so a notebook shows it) and writes it
to ``path`` when one is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from secorder.results import Results


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path: Path | None, dpi: int = 110):
    """Lay out a figure, write it to ``path`` (if given) and close it; return the figure.

    A closed figure still displays in a notebook (IPython renders ``Figure`` objects), so a
    plot function can both save and return it without leaking open figures.
    """
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=dpi)
    _pyplot().close(fig)
    return fig


BAND_NOTE = "band: central 90% of runs"


def _band(ax, x, values: np.ndarray, label: str, color=None, center: str = "mean", alpha: float = 0.18):
    """A centre line (mean or median across runs) with the central 90% of runs as a band."""
    mid = np.median(values, axis=0) if center == "median" else values.mean(axis=0)
    lo, hi = np.quantile(values, [0.05, 0.95], axis=0)
    (line,) = ax.plot(x, mid, label=label, color=color, lw=1.8)
    ax.fill_between(x, lo, hi, color=line.get_color(), alpha=alpha, lw=0)
    return line


def _mean_interval(ax, x, values: np.ndarray, label: str, color=None, level: float = 0.90):
    """Mean across runs with the ``level`` confidence interval of that mean (Student t)."""
    from scipy import stats

    mean = values.mean(axis=0)
    n = values.shape[0]
    half = (stats.t.ppf(0.5 + level / 2, n - 1) * values.std(axis=0, ddof=1) / np.sqrt(n)) if n > 1 else 0 * mean
    (line,) = ax.plot(x, mean, label=label, color=color, lw=1.8)
    ax.fill_between(x, mean - half, mean + half, color=line.get_color(), alpha=0.25, lw=0)
    return line


def plot_military_spending(res: Results, path: Path | None = None, top: int = 10):
    """Military spending of the largest spenders (median and 90% band), or the regional burden."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8.5, 5))
    x = res.year_index
    if res.states is not None:
        milex = res.states["milex"]  # (R,T,N)
        order = np.argsort(-np.median(milex[:, 0, :], axis=0))[:top]
        for k, i in enumerate(order):
            line = _band(ax, x, milex[:, :, i], res.codes[i], color=f"C{k % 10}", center="median", alpha=0.12)
            ax.annotate(res.codes[i], (x[-1], np.median(milex[:, -1, i])), xytext=(4, 0),
                        textcoords="offset points", fontsize=7, color=line.get_color(), va="center")
        ax.set_title(f"Military spending, the {len(order)} largest spenders ({res.scenario.name}, "
                     f"{res.runs:,} runs)\nline: median across runs; {BAND_NOTE}", fontsize=10)
        ax.set_yscale("log")
        ax.set_ylabel("military spending, bn USD per year (log scale)")
        ax.legend(fontsize=7, ncol=2, frameon=False, title="state", title_fontsize=8, loc="upper left")
    else:
        ax.plot(x, 100 * res.system_mean["arms_burden"], lw=1.8, label="region, mean across runs")
        ax.set_title(f"Regional arms burden ({res.scenario.name}, {res.runs:,} runs; summary record: means only)",
                     fontsize=10)
        ax.set_ylabel("military spending, % of regional GDP")
        ax.legend(frameon=False)
    ax.set_xlabel("year")
    ax.grid(alpha=0.3)
    return save_figure(fig, path, dpi=110)


DISPUTE_SERIES = (("crises", "all crises", ":"), ("militarised", "militarised disputes", "-"),
                  ("fatal", "fatal disputes and wars", "-"))


def plot_disputes(res: Results, path: Path | None = None):
    """Crises and disputes: the mean yearly rate, and the cumulative count per run.

    Left: the mean yearly rate with the confidence interval of that mean; right: the
    cumulative count per run with its 90% band.

    A band over yearly counts of a few crises is a staircase of 0, 1, 2; the mean rate and
    the cumulative count are what a reader can compare.
    """
    plt = _pyplot()
    x = res.year_index
    if res.system is None:
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for k, (key, label, style) in enumerate(DISPUTE_SERIES):
            ax.plot(x, res.system_mean[key], label=label, lw=1.8, color=f"C{k}", ls=style)
        ax.set_title(f"Crises and disputes ({res.scenario.name}, {res.runs:,} runs): mean per year "
                     "(summary record: means only)", fontsize=10)
        ax.set_xlabel("year")
        ax.set_ylabel("events per year, mean across runs")
        ax.legend(frameon=False)
        ax.grid(alpha=0.3)
        return save_figure(fig, path, dpi=110)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    for k, (key, label, style) in enumerate(DISPUTE_SERIES):
        _mean_interval(left, x, res.system[key], label, color=f"C{k}").set_linestyle(style)
        _band(right, x, np.cumsum(res.system[key], axis=1), label, color=f"C{k}",
              alpha=0.08 if key == "crises" else 0.18).set_linestyle(style)
    left.set_title("Mean per year across runs (band: 90% confidence interval of the mean)", fontsize=9)
    left.set_ylabel("events per year")
    right.set_title(f"Cumulative count per run (line: mean; {BAND_NOTE})", fontsize=9)
    right.set_ylabel(f"events since {res.scenario.year}")
    for ax in (left, right):
        ax.set_xlabel("year")
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    left.legend(frameon=False, fontsize=8)
    fig.suptitle(f"Crises and disputes ({res.scenario.name}, {res.architecture}, {res.runs:,} runs); "
                 "dotted: all crises, which coincide with militarised disputes when no forum or concert "
                 "defuses them", fontsize=10)
    return save_figure(fig, path, dpi=110)


def plot_trust(res: Results, path: Path | None = None):
    """Mean trust between states and the mean belief that others are aggressive."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    x = res.year_index
    series = (("mean_trust", "mean trust between states"), ("mean_belief", "mean belief that others are aggressive"))
    for k, (key, label) in enumerate(series):
        if res.system is not None:
            _band(ax, x, res.system[key], label, color=f"C{k}")
        else:
            ax.plot(x, res.system_mean[key], label=label, lw=1.8, color=f"C{k}")
    ax.set_ylim(0, 1)
    note = f"line: mean across runs; {BAND_NOTE}" if res.system is not None else "means only (summary record)"
    ax.set_title(f"Trust and threat perception ({res.scenario.name}, {res.runs:,} runs)\n{note}", fontsize=10)
    ax.set_xlabel("year")
    ax.set_ylabel("trust / probability (0-1, averaged over pairs of states)")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return save_figure(fig, path, dpi=110)


def save_run_plots(res: Results, folder: Path) -> list[Path]:
    """The standard plots of one simulation, written into ``folder``."""
    folder = Path(folder)
    plots = {"military_spending.png": plot_military_spending, "disputes.png": plot_disputes,
             "trust.png": plot_trust}
    for name, plot in plots.items():
        plot(res, folder / name)
    return [folder / name for name in plots]


def save_results(
    res: Results, out: str | Path, plots: bool = True, overwrite: bool = True, force: bool = False
) -> Path:
    """A results folder: ``res.save(out)`` plus, with ``plots``, the standard PNG plots, atomically."""
    figures = (lambda folder: save_run_plots(res, folder)) if plots else None
    return res.save(out, overwrite=overwrite, force=force, figures=figures)
