"""Plots of an architecture comparison: paired differences, distributions, time paths, workload.

The comparison rests on paired differences (same runs, same random numbers), so those come
first, with confidence intervals; the marginal distributions are shown beside them. Each
``plot_*`` function returns the figure and writes it to ``path`` when one is given.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.ticker import MaxNLocator

from secorder.metrics import get_outcome
from secorder.report.plots import _pyplot, save_figure
from secorder.report.series import describe

if TYPE_CHECKING:
    from secorder.experiments.compare import Comparison

DISTRIBUTIONS = (
    "disputes_per_decade", "fatal_disputes_per_decade", "arms_burden_pct", "mean_trust_final",
    "regime_challenges_per_decade", "order_index_final",
)
PATHS = ("militarised", "fatal", "mean_trust", "order_index")
LAYERS = ("forum", "concert", "deterrence", "settlement", "dispute", "war")


def _label(key: str) -> tuple[str, str]:
    o = get_outcome(key)
    return o.label, o.unit


def plot_paired_differences(cmp: Comparison, path: Path | None = None):
    """Per outcome: the mean paired difference of each architecture against the baseline.

    Each architecture minus the baseline on the same runs, with the confidence interval of
    the mean difference (the quantity the comparison rests on).
    """
    plt = _pyplot()
    others = [a for a in cmp.architectures if a != cmp.baseline]
    fig, axes = plt.subplots(2, 3, figsize=(13, 2.2 + 0.55 * max(len(others), 1) * 2))
    tb = cmp.table(list(DISTRIBUTIONS))
    y = np.arange(len(others))
    for ax, key in zip(axes.ravel(), DISTRIBUTIONS, strict=True):
        label, unit = _label(key)
        sub = tb[(tb["outcome"] == key)].set_index("architecture")
        if others:
            d = sub.loc[others]
            ax.errorbar(d["diff"], y, xerr=[d["diff"] - d["diff_low"], d["diff_high"] - d["diff"]], fmt="o",
                        color="C0", ecolor="C0", capsize=3, label=f"mean difference, {cmp.level:.0%} CI")
            ax.set_yticks(y, others, fontsize=8)
        ax.axvline(0, color="grey", lw=1, ls="--")
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.set_title(textwrap.fill(label, 45), fontsize=9)
        ax.set_xlabel(f"difference vs {cmp.baseline} ({unit})", fontsize=8)
        ax.set_ylabel("architecture", fontsize=8)
        ax.grid(alpha=0.3, axis="x")
    fig.suptitle(f"{cmp.scenario.name}: each architecture minus {cmp.baseline} on the same {cmp.runs:,} futures\n"
                 f"dot: mean paired difference; bar: {cmp.level:.0%} confidence interval; dashed: no difference",
                 fontsize=11)
    return save_figure(fig, path, dpi=100)


def plot_distributions(cmp: Comparison, path: Path | None = None):
    """The spread of each outcome across runs, per architecture (marginal: not paired)."""
    plt = _pyplot()
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5))
    names = cmp.architectures
    for ax, key in zip(axes.ravel(), DISTRIBUTIONS, strict=True):
        label, unit = _label(key)
        data = [cmp.results[a].outcomes[key] for a in names]
        ax.boxplot(data, whis=(5, 95), showfliers=False, orientation="horizontal")
        ax.scatter([d.mean() for d in data], np.arange(1, len(names) + 1), marker="D", s=14, zorder=3, color="C3",
                   label="mean")
        ax.set_yticks(np.arange(1, len(names) + 1), names, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(textwrap.fill(label, 45), fontsize=9)
        ax.set_xlabel(unit, fontsize=8)
        ax.set_ylabel("architecture", fontsize=8)
        ax.grid(alpha=0.3, axis="x")
    axes[0, 0].legend(fontsize=7, frameon=False)
    fig.suptitle(f"{cmp.scenario.name}: outcomes across {cmp.runs:,} common futures "
                 "(box: quartiles, whiskers: 5-95% of runs, diamond: mean)\n"
                 "for the paired differences between architectures see paired_differences.png", fontsize=11)
    return save_figure(fig, path, dpi=100)


def plot_time_paths(cmp: Comparison, path: Path | None = None):
    """Yearly series per architecture, and their paired differences against the baseline.

    Left: each architecture's yearly series; right (where per-run series were kept): the
    paired yearly difference against the baseline with its confidence band.
    """
    from scipy import stats

    plt = _pyplot()
    keep = all(r.system is not None for r in cmp.results.values())
    cols = 2 if keep else 1
    fig, axes = plt.subplots(len(PATHS), cols, figsize=(6.5 * cols, 2.6 * len(PATHS) + 1), sharex=True,
                             squeeze=False)
    styles = ("-", "--", "-.", ":")
    base = cmp.results[cmp.baseline]
    t = stats.t.ppf(0.5 + cmp.level / 2, max(cmp.runs - 1, 1))
    for row, key in enumerate(PATHS):
        d = describe(key)
        ax = axes[row, 0]
        for q, (a, res) in enumerate(cmp.results.items()):
            ax.plot(res.year_index, res.system_mean[key] * d.scale, label=a, color=f"C{q % 10}",
                    ls=styles[q % len(styles)], lw=1.6)
        ax.set_ylabel(d.unit, fontsize=8)
        ax.set_title(f"{d.label}: mean across runs", fontsize=9)
        ax.grid(alpha=0.3)
        if keep:
            ax2 = axes[row, 1]
            for q, (a, res) in enumerate(cmp.results.items()):
                if a == cmp.baseline:
                    continue
                diff = (res.system[key] - base.system[key]) * d.scale
                m = diff.mean(axis=0)
                half = t * diff.std(axis=0, ddof=1) / np.sqrt(diff.shape[0]) if diff.shape[0] > 1 else 0 * m
                ax2.plot(res.year_index, m, color=f"C{q % 10}", ls=styles[q % len(styles)], lw=1.6, label=a)
                ax2.fill_between(res.year_index, m - half, m + half, color=f"C{q % 10}", alpha=0.2, lw=0)
            ax2.axhline(0, color="grey", lw=1, ls="--")
            ax2.set_ylabel(f"difference ({d.unit})", fontsize=8)
            ax2.set_title(f"{d.label}: minus {cmp.baseline} (band: {cmp.level:.0%} CI)", fontsize=9)
            ax2.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("year")
    axes[0, 0].legend(fontsize=7, ncol=2, frameon=False, title="architecture", title_fontsize=7)
    note = ("right: paired difference on the same runs" if keep
            else "per-run series not kept (record='summary'): means only")
    fig.suptitle(f"{cmp.scenario.name}: time paths on {cmp.runs:,} common futures; {note}", fontsize=11)
    return save_figure(fig, path, dpi=100)


def plot_workload(cmp: Comparison, path: Path | None = None):
    """How the crises ended, by layer, per architecture."""
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
    ax.legend(ncol=6, fontsize=8, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0),
              title="crisis ended by", title_fontsize=8)
    ax.set_title(f"{cmp.scenario.name}: which layer handled the crises", pad=34)
    return save_figure(fig, path, dpi=100)


PLOTS = {"paired_differences.png": plot_paired_differences, "distributions.png": plot_distributions,
         "time_paths.png": plot_time_paths, "workload.png": plot_workload}


def save_comparison_plots(cmp: Comparison, folder: Path, html: bool = True) -> list[Path]:
    """The standard plots of a comparison, written into ``folder``.

    With ``html``, also the interactive ``report.html`` (Plotly, self-contained: opens offline).
    """
    folder = Path(folder)
    for name, plot in PLOTS.items():
        plot(cmp, folder / name)
    paths = [folder / name for name in PLOTS]
    if html:
        from secorder.report.interactive import comparison_html, write_html

        paths.append(write_html(comparison_html(cmp), folder / "report.html"))
    return paths


def save_comparison(cmp: Comparison, out: str | Path, plots: bool = True, force: bool = False,
                    attributions: Sequence = ()) -> Path:
    """A comparison folder: ``cmp.save(out)`` plus, with ``plots``, the standard PNG plots, atomically."""
    figures = (lambda folder: save_comparison_plots(cmp, folder)) if plots else None
    return cmp.save(out, force=force, figures=figures, attributions=attributions)
