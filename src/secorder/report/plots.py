"""PNG plots of a simulation: military spending by state, disputes per year, trust.

Bands are the central 90% across runs; lines are medians (spending) or means (counts).
With ``record="summary"`` only the yearly means are available and bands are omitted.
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


def save_figure(fig, path: Path, dpi: int = 110) -> Path:
    """Lay out, write and close a figure; return its path."""
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    _pyplot().close(fig)
    return path


def _band(ax, x, values: np.ndarray, label: str, color=None, center: str = "mean") -> None:
    mid = np.median(values, axis=0) if center == "median" else values.mean(axis=0)
    lo, hi = np.quantile(values, [0.05, 0.95], axis=0)
    (line,) = ax.plot(x, mid, label=label, color=color, lw=1.8)
    ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.18, lw=0)


def plot_military_spending(res: Results, path: Path, top: int = 10) -> Path:
    """Military spending of the ``top`` biggest spenders (median and 90% band; else the regional burden); the PNG's path."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 5))
    x = res.year_index
    if res.states is not None:
        milex = res.states["milex"]  # (R,T,N)
        order = np.argsort(-np.median(milex[:, 0, :], axis=0))[:top]
        for i in order:
            _band(ax, x, milex[:, :, i], res.codes[i], center="median")
        ax.set_title(f"Military spending by state ({res.scenario.name}): median and 90% band, top {len(order)}")
    else:
        ax.plot(x, 100 * res.system_mean["arms_burden"], lw=1.8, label="region")
        ax.set_title(f"Regional arms burden, mean across runs ({res.scenario.name})")
    ax.set_yscale("log" if res.states is not None else "linear")
    ax.set_xlabel("year")
    ax.set_ylabel("bn USD per year" if res.states is not None else "% of GDP")
    ax.legend(fontsize=8, ncol=2, frameon=False)
    ax.grid(alpha=0.3)
    return save_figure(fig, path, dpi=110)


def plot_disputes(res: Results, path: Path) -> Path:
    """Crises, militarised disputes and fatal disputes per year (mean and 90% band); the PNG's path."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    x = res.year_index
    for key, label in (("crises", "crises"), ("militarised", "militarised disputes"), ("fatal", "fatal disputes and wars")):
        if res.system is not None:
            _band(ax, x, res.system[key], label)
        else:
            ax.plot(x, res.system_mean[key], label=label, lw=1.8)
    ax.set_title(f"Crises and disputes per year ({res.scenario.name}, {res.runs:,} runs): mean and 90% band")
    ax.set_xlabel("year")
    ax.set_ylabel("count per year")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return save_figure(fig, path, dpi=110)


def plot_trust(res: Results, path: Path) -> Path:
    """Mean trust and mean belief that others are aggressive over the years; the PNG's path."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    x = res.year_index
    if res.system is not None:
        _band(ax, x, res.system["mean_trust"], "mean trust")
        _band(ax, x, res.system["mean_belief"], "mean belief that others are aggressive")
    else:
        ax.plot(x, res.system_mean["mean_trust"], label="mean trust", lw=1.8)
        ax.plot(x, res.system_mean["mean_belief"], label="mean belief that others are aggressive", lw=1.8)
    ax.set_ylim(0, 1)
    ax.set_title(f"Trust and threat perception ({res.scenario.name})")
    ax.set_xlabel("year")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return save_figure(fig, path, dpi=110)


def save_run_plots(res: Results, folder: Path) -> list[Path]:
    """The standard plots of one simulation, written into ``folder``."""
    folder = Path(folder)
    return [
        plot_military_spending(res, folder / "military_spending.png"),
        plot_disputes(res, folder / "disputes.png"),
        plot_trust(res, folder / "trust.png"),
    ]


def save_results(
    res: Results, out: str | Path, plots: bool = True, overwrite: bool = True, force: bool = False
) -> Path:
    """A results folder: ``res.save(out)`` plus, with ``plots``, the standard PNG plots, atomically."""
    figures = (lambda folder: save_run_plots(res, folder)) if plots else None
    return res.save(out, overwrite=overwrite, force=force, figures=figures)
