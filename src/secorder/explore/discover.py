"""Scenario discovery with PRIM (the EMA Workbench's implementation) on a sweep's dataset.

Each run of the sweep is a case: its inputs are the swept parameters (and, when they vary,
the architecture and lever set); the case is "of interest" when the outcome is above (or
below) a threshold, e.g. ``wars_per_decade > 0``: a war within the decade. PRIM peels the
input box step by step, trading **coverage** (the share of all cases of interest inside the
box) for **density** (the share of cases inside the box that are of interest). The result is
the peeling trajectory, its plot, and the chosen box: the one with the highest coverage among
those with at least the requested density (or the densest, if none reaches it).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from secorder.errors import InputError


def _prim():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    return prim


@dataclass
class Discovery:
    """The peeling trajectory, the chosen box's limits and its coverage/density."""

    condition: str
    trajectory: Any  # DataFrame: id, coverage, density, mass, res_dim
    box: Any  # DataFrame: input, low, high (only the restricted inputs), or categories
    chosen: int
    coverage: float
    density: float
    cases: int
    of_interest: int
    figure: Any
    reached: bool = True  # False: no box reached the requested density; the densest is chosen

    def save(self, folder: str | Path, stem: str = "discovery") -> list[Path]:
        """Write the trajectory and box as CSV and the trade-off plot as PNG."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / f"{stem}-trajectory.csv", folder / f"{stem}-box.csv", folder / f"{stem}-tradeoff.png"]
        self.trajectory.to_csv(paths[0], index=False)
        self.box.to_csv(paths[1], index=False)
        self.figure.savefig(paths[2], dpi=110)
        return paths


def prim_boxes(x, y: np.ndarray, *, density: float = 0.8, peel_alpha: float = 0.05, mass_min: float = 0.05,
               condition: str = "y") -> Discovery:
    """PRIM on inputs ``x`` (a DataFrame) and a boolean ``y`` (cases of interest)."""
    import pandas as pd

    prim = _prim()
    y = np.asarray(y, dtype=bool)
    if y.sum() == 0:
        raise InputError([("--outcome", f"no case satisfies {condition}; PRIM has nothing to find")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # For a boolean y EMA's threshold only separates True from False and accepts the final box;
        # a tiny one keeps the whole peeling trajectory, and the box is chosen below by density.
        p = prim.Prim(x.reset_index(drop=True), y, threshold=1e-9, peel_alpha=peel_alpha, mass_min=mass_min)
        box = p.find_box()
    traj = box.peeling_trajectory.reset_index(drop=True)
    dense = traj.index[traj["density"] >= density]
    chosen = int(traj.loc[dense, "coverage"].idxmax()) if len(dense) else int(traj["density"].idxmax())
    box.select(chosen)
    limits = box.box_lims[chosen]
    full = box.box_lims[0]
    rows = []
    for col in x.columns:
        lo, hi = limits[col].iloc[0], limits[col].iloc[1]
        if isinstance(lo, set | frozenset):
            if set(lo) != set(full[col].iloc[0]):
                rows.append({"input": col, "low": np.nan, "high": np.nan, "categories": ";".join(sorted(map(str, lo)))})
        elif lo != full[col].iloc[0] or hi != full[col].iloc[1]:
            rows.append({"input": col, "low": float(lo), "high": float(hi), "categories": ""})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = box.show_tradeoff(annotated=False)
    ax = fig.axes[0]
    ax.plot(traj.loc[chosen, "coverage"], traj.loc[chosen, "density"], "o", ms=12, mfc="none", mec="red")
    ax.set_title(f"PRIM peeling trajectory: {condition}\nchosen box {chosen} circled", fontsize=10)
    return Discovery(condition, traj[["id", "coverage", "density", "mass", "res_dim"]], pd.DataFrame(
        rows, columns=["input", "low", "high", "categories"]), chosen, float(traj.loc[chosen, "coverage"]),
        float(traj.loc[chosen, "density"]), len(y), int(y.sum()), fig, bool(len(dense)))


def discover(path: str | Path, outcome: str, *, above: float | None = None, below: float | None = None,
             density: float = 0.8, peel_alpha: float = 0.05, mass_min: float = 0.05,
             inputs: list[str] | None = None) -> Discovery:
    """PRIM on a sweep: where in the swept inputs ``outcome > above`` (or ``< below``) is likely.

    ``inputs`` defaults to the swept parameters, plus architecture, lever set and scenario when
    the sweep varies them.
    """
    from secorder.explore.runner import outcome_names, parameter_names, read_manifest, read_sweep

    meta = read_manifest(path)
    if outcome not in outcome_names():
        raise InputError([("--outcome", f"unknown outcome {outcome!r}; known: {', '.join(outcome_names())}")])
    if (above is None) == (below is None):
        raise InputError([("--above/--below", "give exactly one threshold (e.g. --above 0 for 'at least one')")])
    if inputs is None:
        inputs = list(meta["design"]["parameters"])
        inputs += [c for c, n in (("scenario", len(meta["scenarios"])), ("architecture", len(meta["architectures"])),
                                  ("levers", len(meta["levers"]))) if n > 1]
    known = set(parameter_names()) | {"scenario", "architecture", "levers", "seed"}
    bad = [c for c in inputs if c not in known]
    if bad or not inputs:
        raise InputError([("--inputs", f"unknown input(s) {bad}" if bad else
                           "the sweep varies no parameter, architecture or lever set; give --inputs")])
    rows = read_sweep(path, columns=[c for c in dict.fromkeys([*inputs, outcome]) if c not in ("scenario", "architecture")]
                      + [c for c in ("scenario", "architecture") if c in inputs])
    y = rows[outcome].to_numpy() > above if above is not None else rows[outcome].to_numpy() < below
    x = rows[inputs].copy()
    for col in ("scenario", "architecture", "levers"):
        if col in x:
            x[col] = x[col].astype("category")
    cond = f"{outcome} > {above:g}" if above is not None else f"{outcome} < {below:g}"
    return prim_boxes(x, y, density=density, peel_alpha=peel_alpha, mass_min=mass_min, condition=cond)
