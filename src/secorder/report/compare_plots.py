"""Plots of an architecture comparison: outcome distributions, time paths, layer workload."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from secorder.report.plots import _pyplot, save_figure

if TYPE_CHECKING:
    from secorder.experiments.compare import Comparison

DISTRIBUTIONS = (
    ("disputes_per_decade", "Militarised disputes per decade"),
    ("fatal_disputes_per_decade", "Fatal disputes and wars per decade"),
    ("arms_burden_pct", "Arms burden, % of GDP"),
    ("mean_trust_final", "Mean trust, final year"),
    ("regime_challenges_per_decade", "Regime challenges per decade"),
    ("order_index_final", "Order index, final year"),
)
PATHS = (
    ("militarised", "Militarised disputes per year"),
    ("fatal", "Fatal disputes and wars per year"),
    ("mean_trust", "Mean trust"),
    ("order_index", "Order index (0 balance of power, 1 community)"),
)
LAYERS = ("forum", "concert", "deterrence", "settlement", "dispute", "war")


def plot_distributions(cmp: Comparison, path: Path) -> Path:
    """Per-run distributions of key outcomes, one box per architecture; the PNG's path."""
    plt = _pyplot()
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5))
    names = cmp.architectures
    for ax, (key, title) in zip(axes.ravel(), DISTRIBUTIONS, strict=True):
        data = [cmp.results[a].outcomes[key] for a in names]
        ax.boxplot(data, whis=(5, 95), showfliers=False, orientation="horizontal")
        ax.scatter([d.mean() for d in data], np.arange(1, len(names) + 1), marker="D", s=14, zorder=3, color="C3")
        ax.set_yticks(np.arange(1, len(names) + 1), names, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3, axis="x")
    fig.suptitle(f"{cmp.scenario.name}: outcomes across {cmp.runs:,} common futures "
                 "(box: quartiles, whiskers: 5-95%, diamond: mean)", fontsize=11)
    return save_figure(fig, path, dpi=100)


def plot_time_paths(cmp: Comparison, path: Path) -> Path:
    """Yearly means of key series, one line per architecture; the PNG's path."""
    plt = _pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(12, 7.5), sharex=True)
    for ax, (key, title) in zip(axes.ravel(), PATHS, strict=True):
        for a in cmp.architectures:
            res = cmp.results[a]
            ax.plot(res.year_index, res.system_mean[key], label=a, lw=1.5)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=7, ncol=2, frameon=False)
    fig.suptitle(f"{cmp.scenario.name}: yearly means across runs", fontsize=11)
    return save_figure(fig, path, dpi=100)


def plot_workload(cmp: Comparison, path: Path) -> Path:
    """Which layer ended the crises (forum ... war) under each architecture; the PNG's path."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(cmp.architectures) + 2))
    names = cmp.architectures
    left = np.zeros(len(names))
    for layer in LAYERS:
        v = np.array([cmp.results[a].outcomes[f"ended_{layer}_per_decade"].mean() for a in names])
        ax.barh(names, v, left=left, label=layer)
        left += v
    ax.invert_yaxis()
    ax.set_xlabel("crises per decade, by the layer that ended them (mean across runs)")
    ax.legend(ncol=6, fontsize=8, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    ax.set_title(f"{cmp.scenario.name}: which layer handled the crises", pad=24)
    return save_figure(fig, path, dpi=100)


def save_comparison_plots(cmp: Comparison, folder: Path) -> list[Path]:
    """The standard plots of a comparison, written into ``folder``."""
    folder = Path(folder)
    return [
        plot_distributions(cmp, folder / "distributions.png"),
        plot_time_paths(cmp, folder / "time_paths.png"),
        plot_workload(cmp, folder / "workload.png"),
    ]


def save_comparison(cmp: Comparison, out: str | Path, plots: bool = True, force: bool = False) -> Path:
    """A comparison folder: ``cmp.save(out)`` plus, with ``plots``, the standard PNG plots, atomically."""
    figures = (lambda folder: save_comparison_plots(cmp, folder)) if plots else None
    return cmp.save(out, force=force, figures=figures)
