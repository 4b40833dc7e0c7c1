"""The step plot of a design comparison: the share of runs that have reached each stage by each year."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any


def plot_reach(cmp: Any, path: Path | None = None):
    """One panel per design (``cmp`` a :class:`~secorder.designs.run.DesignComparison`): a step line per stage, the share of runs that have reached it by each year.

    Returns the figure (and writes it to ``path`` if given).
    """
    from secorder.report.plots import _pyplot, save_figure

    plt = _pyplot()
    n = len(cmp.runs)
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.4 * rows), squeeze=False, sharey=True)
    for ax, run in zip(axes.flat, cmp.runs.values(), strict=False):
        reach = run.reach()
        for stage, part in reach.groupby("stage", sort=True):
            ax.step(part["year"], part["reached"], where="post", lw=1.6,
                    label=f"{stage}. {part['label'].iloc[0]}")
        ax.set_title(run.name, fontsize=9)
        ax.set_xlabel("year")
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    for ax in axes[:, 0]:
        ax.set_ylabel(f"share of {cmp.baseline.runs:,} runs\nthat reached the stage")
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(f"{cmp.scenario.name}: stages reached by each year", fontsize=10)
    return save_figure(fig, path)
