"""Calibrating declared parameters to declared target moments (simulated method of moments).

Method
------
The free parameters ``theta`` minimise the weighted distance between the data's moments
``m`` and the same moments simulated from a scenario built from data at the window's first
year and run over the window, ``J(theta) = sum_k ((s_k(theta) - m_k) / se_k)^2``, where
``se_k`` is the bootstrap standard error of the data moment (a diagonal weighting matrix: the
moments are on very different scales and some are ratios of small counts, where a full
optimal matrix estimated from one history is unstable). Every candidate is simulated with the
same seed (common random numbers), so ``J`` changes only because ``theta`` does.

The search is scipy's bounded Nelder-Mead in coordinates scaled to the unit cube (each
parameter's prior range from :mod:`secorder.params`), from the current values and from
``starts - 1`` Latin-hypercube points; the simulator's moments are step functions of the
parameters, which rules out gradient methods, and a derivative-free simplex needs far fewer
evaluations than a population method (differential evolution) for 6-12 parameters.

Uncertainty: the sandwich of simulated method of moments, ``Var(theta) = (1 + 1/R)
(G' W G)^-1`` with ``G`` the central-difference Jacobian of the simulated moments at the
estimate, ``W = diag(1/se^2)`` and ``R`` the runs per evaluation (simulated histories per data
history). The file stores the standard errors and a sample drawn from that normal
approximation (clipped to the ranges); it is an asymptotic sample, not a Bayesian posterior.
A parameter the targets do not pin down shows a standard error as wide as its range.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from secorder.engine import simulate
from secorder.errors import InputError
from secorder.params import Params
from secorder.validation.targets import (
    MOMENTS,
    DataMoments,
    data_moments,
    simulated_moments,
)
from secorder.validation.version import model_version

PathLike = str | os.PathLike[str]

DEFAULT_TARGETS = ("prd_rate", "all_rate", "major_rate", "fatal_share", "war_share",
                   "persist_dispute", "persist_peace", "top_share", "removal_rate")
"""Targets used when none are declared (the moments the onset, escalation and regime layers drive)."""

DEFAULT_FREE = ("onset_intercept", "onset_noncontiguous", "onset_both_minor", "onset_stakes",
                "onset_peace_t", "limited_force_rate", "war_given_fight", "nuclear_cost_multiplier",
                "challenge_success_share")
"""Free parameters used when none are declared (each with its registry range as the prior range)."""

METHOD = ("simulated method of moments: diagonal weights 1/se^2 from a dyad bootstrap of the data "
          "moments; bounded Nelder-Mead (scipy) in unit-scaled coordinates from several starts; "
          "common random numbers; sandwich standard errors (1 + 1/runs)(G'WG)^-1")


@dataclass(frozen=True)
class Problem:
    """What a calibration fits: a scenario simulated over a window against the data's moments."""

    scenario: Any
    years: int
    data: DataMoments
    free: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    base: Params = field(default_factory=Params)
    runs: int = 200
    seed: int = 0
    workers: int | None = 1
    architecture: str = "status-quo"

    def params_at(self, values: Mapping[str, float]) -> Params:
        """The base parameters with ``values`` for the free ones."""
        return self.base.replace(**{k: float(v) for k, v in values.items()})

    def simulate(self, values: Mapping[str, float]) -> dict[str, float]:
        """Simulated moments at ``values`` (common random numbers: always the problem's seed)."""
        res = simulate(self.scenario, years=self.years, runs=self.runs, seed=self.seed,
                       params=self.params_at(values), record="full", workers=self.workers,
                       architecture=self.architecture)
        sim = simulated_moments(res)
        return {k: sim.get(k, float("nan")) for k in self.data.values}

    def distance(self, sim: Mapping[str, float]) -> float:
        """``J``: squared standardised distance of simulated from data moments (NaN counts as 0)."""
        total = 0.0
        for k, m in self.data.values.items():
            s = sim.get(k, float("nan"))
            s = 0.0 if not np.isfinite(s) else s
            total += ((s - m) / self.data.se[k]) ** 2
        return float(total)


@dataclass(frozen=True)
class Calibration:
    """A calibration's estimate, uncertainty, fit and search history."""

    problem: Problem
    values: dict[str, float]
    se: dict[str, float]
    sample: dict[str, list[float]]
    simulated: dict[str, float]
    distance: float
    evaluations: int
    history: list[tuple[dict[str, float], float]]

    def fit_table(self) -> list[dict[str, Any]]:
        """One row per target: data value, its standard error, simulated value, standardised gap."""
        d = self.problem.data
        return [{"target": k, "label": MOMENTS[k].label if k in MOMENTS else k, "data": d.values[k],
                 "se": d.se[k], "simulated": self.simulated.get(k, float("nan")),
                 "z": (self.simulated.get(k, float("nan")) - d.values[k]) / d.se[k]}
                for k in d.values]

    def meta(self) -> dict[str, Any]:
        """The parameter file's ``meta:``: data, window, region, targets, code and model version, method."""
        from secorder._version import __version__

        d = self.problem.data
        return {
            "model_version": model_version(),
            "code_version": __version__,
            "method": METHOD,
            "region": d.region,
            "window": [d.start, d.end],
            "data": "COW MID 5.0 participant records, COW contiguity 3.2, COW major powers, "
                    "COW NMC 7.0, Archigos 4.1 (../shared/data)",
            "scenario": f"from data, {d.region} in {d.start} ({len(d.states)} states), "
                        f"simulated {self.problem.years} years",
            "runs": self.problem.runs, "seed": self.problem.seed,
            "architecture": self.problem.architecture,
            "free": {k: {"range": list(b), "se": self.se[k]}
                     for k, b in zip(self.problem.free, self.problem.bounds, strict=True)},
            "targets": {r["target"]: {"data": r["data"], "se": r["se"], "simulated": r["simulated"]}
                        for r in self.fit_table()},
            "distance": self.distance, "evaluations": self.evaluations,
            "sample": self.sample,
            "sample_kind": "normal approximation from the SMM sandwich, clipped to the ranges",
        }

    def params_file(self) -> dict[str, Any]:
        """The parameter file as a mapping (``values:`` + ``meta:``)."""
        return {"values": {k: float(v) for k, v in self.values.items()}, "meta": _plain(self.meta())}


def _plain(x: Any) -> Any:
    """Numbers as plain floats (NaN as None) so the file is valid YAML and JSON."""
    if isinstance(x, Mapping):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def declared_bounds(free: Sequence[str], ranges: Mapping[str, tuple[float, float]] | None = None
                    ) -> tuple[tuple[float, float], ...]:
    """Prior range of each free parameter: the registry's, or a narrower declared one inside it."""
    meta = Params.metadata()
    out = []
    for name in free:
        if name not in meta:
            raise InputError(f"unknown parameter {name!r}", field="free")
        lo, hi = meta[name]["range"]
        if ranges and name in ranges:
            a, b = (float(v) for v in ranges[name])
            if not lo <= a < b <= hi:
                raise InputError(f"range {a}..{b} for {name} is not inside its registry range {lo}..{hi}",
                                 field="free")
            lo, hi = a, b
        if not hi > lo:
            raise InputError(f"{name} has a fixed value (range {lo}..{hi}); it cannot be calibrated", field="free")
        out.append((float(lo), float(hi)))
    return tuple(out)


def build_problem(region: str, start: int, end: int, *, targets: Sequence[str] = DEFAULT_TARGETS,
                  free: Sequence[str] = DEFAULT_FREE, ranges: Mapping[str, tuple[float, float]] | None = None,
                  runs: int = 200, seed: int = 0, workers: int | None = 1, base: Params | None = None,
                  source_dir: PathLike | None = None, bootstrap: int = 300) -> Problem:
    """A calibration problem for ``region`` over ``start..end`` from the data."""
    from secorder.data.from_data import scenario_from_data, validate

    if len(free) > 12:
        raise InputError(f"declare at most 12 free parameters, got {len(free)}", field="free")
    if len(set(free)) != len(free) or not free:
        raise InputError("free parameters must be distinct and at least one", field="free")
    bounds = declared_bounds(free, ranges)
    unknown = [t for t in targets if t not in MOMENTS]
    if unknown:
        raise InputError(f"unknown target {unknown[0]!r}; known targets: {', '.join(MOMENTS)}", field="targets")
    data = data_moments(region, start, end, source_dir=source_dir, bootstrap=bootstrap, seed=seed).select(targets)
    sd = source_dir if source_dir is not None else os.environ.get("SECORDER_DATA_DIR")
    scenario = validate(scenario_from_data(start, region=region, source_dir=sd, name=f"{region}-{start}"))
    return Problem(scenario, end - start + 1, data, tuple(free), bounds, base or Params(), runs, seed, workers)


def _to_values(problem: Problem, u: np.ndarray) -> dict[str, float]:
    return {k: lo + float(np.clip(x, 0.0, 1.0)) * (hi - lo)
            for k, (lo, hi), x in zip(problem.free, problem.bounds, u, strict=True)}


def _to_unit(problem: Problem, values: Mapping[str, float]) -> np.ndarray:
    return np.array([(values[k] - lo) / (hi - lo) for k, (lo, hi) in zip(problem.free, problem.bounds, strict=True)])


def calibrate(problem: Problem, *, starts: int = 2, max_evaluations: int = 120,
              progress: bool | Callable[[int], None] = False) -> Calibration:
    """Fit ``problem`` (see the module docstring for the method); ``max_evaluations`` bounds the search."""
    from scipy.optimize import minimize
    from scipy.stats import qmc

    from secorder.progress import ProgressBar

    if starts < 1 or max_evaluations < 2:
        raise InputError("need at least one start and two evaluations", field="max_evaluations")
    p = len(problem.free)
    cache: dict[tuple[float, ...], tuple[dict[str, float], float]] = {}
    history: list[tuple[dict[str, float], float]] = []
    with ProgressBar(progress, max_evaluations + 2 * p, "calibrating", "simulations") as advance:

        def evaluate(u: np.ndarray) -> tuple[dict[str, float], float]:
            key = tuple(np.round(np.clip(u, 0, 1), 6))
            if key not in cache:
                values = _to_values(problem, np.array(key))
                sim = problem.simulate(values)
                cache[key] = (sim, problem.distance(sim))
                history.append((values, cache[key][1]))
                advance(1)
            return cache[key]

        x0 = np.clip(_to_unit(problem, {k: getattr(problem.base, k) for k in problem.free}), 0, 1)
        points = [x0]
        if starts > 1:
            points += list(qmc.LatinHypercube(d=p, seed=problem.seed).random(starts - 1))
        per_start = max(2, max_evaluations // starts)
        for x in points:
            simplex = np.vstack([x] + [np.where(np.arange(p) == j, x + (0.08 if x[j] < 0.9 else -0.08), x)
                                       for j in range(p)])
            minimize(lambda u: evaluate(u)[1], x, method="Nelder-Mead", bounds=[(0.0, 1.0)] * p,
                     options={"maxfev": per_start, "initial_simplex": simplex, "xatol": 1e-3, "fatol": 0.01})
        best_key = min(cache, key=lambda k: cache[k][1])
        best = np.array(best_key)
        sim, dist = cache[best_key]
        jac = _jacobian(problem, best, evaluate)
    se, sample = _uncertainty(problem, best, jac)
    return Calibration(problem, _to_values(problem, best), se, sample, sim, dist, len(history), history)


def _jacobian(problem: Problem, u: np.ndarray, evaluate: Callable[[np.ndarray], tuple[dict[str, float], float]]
              ) -> np.ndarray:
    """(targets, params) central differences of the simulated moments, per unit of each parameter."""
    names = list(problem.data.values)
    jac = np.zeros((len(names), len(problem.free)))
    for j, (lo, hi) in enumerate(problem.bounds):
        h = 0.05
        up, dn = u.copy(), u.copy()
        up[j], dn[j] = min(u[j] + h, 1.0), max(u[j] - h, 0.0)
        s_up, s_dn = evaluate(up)[0], evaluate(dn)[0]
        step = (up[j] - dn[j]) * (hi - lo)
        for i, k in enumerate(names):
            diff = s_up.get(k, np.nan) - s_dn.get(k, np.nan)
            jac[i, j] = diff / step if np.isfinite(diff) and step > 0 else 0.0
    return jac


def _uncertainty(problem: Problem, u: np.ndarray, jac: np.ndarray, draws: int = 200
                 ) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Sandwich standard errors and a clipped normal sample around the estimate."""
    se_data = np.array([problem.data.se[k] for k in problem.data.values])
    w = np.diag(1.0 / se_data**2)
    info = jac.T @ w @ jac
    cov = (1.0 + 1.0 / problem.runs) * np.linalg.pinv(info)
    width = np.array([hi - lo for lo, hi in problem.bounds])
    sd = np.sqrt(np.clip(np.diag(cov), 0, None))
    weak = (np.diag(info) <= 1e-12) | ~np.isfinite(sd)
    sd = np.where(weak | (sd > width), width, sd)
    est = np.array(list(_to_values(problem, u).values()))
    rng = np.random.default_rng(problem.seed)
    try:
        cov_use = cov if not weak.any() else np.diag(sd**2)
        draw = rng.multivariate_normal(est, cov_use, size=draws, check_valid="ignore")
    except np.linalg.LinAlgError:
        draw = est + rng.standard_normal((draws, est.size)) * sd
    lo = np.array([b[0] for b in problem.bounds])
    hi = np.array([b[1] for b in problem.bounds])
    draw = np.clip(draw, lo, hi)
    names = problem.free
    return ({k: float(s) for k, s in zip(names, sd, strict=True)},
            {k: [round(float(v), 6) for v in draw[:, j]] for j, k in enumerate(names)})


def simulated_targets(scenario: Any, params: Params, years: int, runs: int, seed: int,
                      names: Sequence[str], batches: int = 10) -> DataMoments:
    """Moments of model-made histories as if they were data, with batch-means standard errors.

    Used to check that :func:`calibrate` recovers known parameters. The standard error is that
    of one history of the runs' length: the spread over ``batches`` batches of runs, times
    ``sqrt(runs / batches)`` (the data are one history, the batch is ``runs / batches``).
    """
    res = simulate(scenario, years=years, runs=runs, seed=seed, params=params, record="full")
    full = simulated_moments(res)
    per = runs // batches
    parts = []
    for b in range(batches):
        sub = dataclasses.replace(res, runs=per, system={k: v[b * per:(b + 1) * per] for k, v in (res.system or {}).items()},
                                  states={k: v[b * per:(b + 1) * per] for k, v in (res.states or {}).items()},
                                  event_arrays=_events_slice(res.event_arrays, b * per, (b + 1) * per))
        parts.append(simulated_moments(sub))
    se = {k: float(np.nanstd([p_[k] for p_ in parts], ddof=1) * math.sqrt(per)) for k in names}
    sc = res.scenario
    return DataMoments("simulated", int(sc.year), int(sc.year) + years - 1, tuple(range(len(sc.states))),
                       {k: full[k] for k in names}, {k: max(se[k], 1e-6) for k in names})


def _events_slice(ev: Mapping[str, np.ndarray] | None, lo: int, hi: int) -> dict[str, np.ndarray]:
    if not ev:
        return {}
    keep = (np.asarray(ev["run"]) >= lo) & (np.asarray(ev["run"]) < hi)
    out = {k: np.asarray(v)[keep] for k, v in ev.items()}
    out["run"] = out["run"] - lo
    return out


# ---------------------------------------------------------------------------------- output
def write_calibration(cal: Calibration, out: PathLike, *, force: bool = False, plots: bool = True) -> Path:
    """Write ``params.yaml``, ``fit.csv``, ``history.csv`` and diagnostic plots into folder ``out``.

    The folder appears complete or not at all (:func:`secorder._atomic.atomic_folder`).
    """
    import csv

    import yaml

    from secorder._atomic import atomic_folder

    with atomic_folder(out, force=force) as work:
        (work / "params.yaml").write_text(
            yaml.safe_dump(cal.params_file(), sort_keys=False, width=100), encoding="utf-8")
        rows = cal.fit_table()
        with open(work / "fit.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        with open(work / "history.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["evaluation", *cal.problem.free, "distance"])
            for i, (v, d) in enumerate(cal.history):
                w.writerow([i, *(v[k] for k in cal.problem.free), d])
        if plots:
            plot_fit(cal, work / "fit.png")
            plot_trace(cal, work / "trace.png")
    return Path(out)


def plot_fit(cal: Calibration, path: PathLike) -> None:
    """Each target's data value with a 95% interval beside the simulated value (ratio to the data)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = cal.fit_table()
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(rows) + 1.2))
    y = np.arange(len(rows))
    base = np.array([abs(r["data"]) if r["data"] else 1.0 for r in rows])
    ax.errorbar([r["data"] / b for r, b in zip(rows, base, strict=True)], y,
                xerr=[1.96 * r["se"] / b for r, b in zip(rows, base, strict=True)], fmt="o", label="data (95%)")
    ax.plot([r["simulated"] / b for r, b in zip(rows, base, strict=True)], y, "x", ms=9, label="simulated")
    ax.set_yticks(y, [r["target"] for r in rows])
    ax.axvline(1.0, color="grey", lw=0.5)
    ax.set_xlabel("value / data value")
    ax.set_title(f"Calibration fit: {cal.problem.data.region} {cal.problem.data.start}-{cal.problem.data.end}")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_trace(cal: Calibration, path: PathLike) -> None:
    """The distance ``J`` of every evaluation, and the best so far."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = np.array([h[1] for h in cal.history])
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.semilogy(d, ".", ms=3, label="evaluation")
    ax.semilogy(np.minimum.accumulate(d), "-", label="best so far")
    ax.set_xlabel("evaluation")
    ax.set_ylabel("J (weighted squared distance)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_ranges(items: Sequence[str]) -> dict[str, tuple[float, float]]:
    """``NAME=LO:HI`` strings -> ranges (checked later against the registry)."""
    out = {}
    for item in items:
        name, _, rng = item.partition("=")
        lo, _, hi = rng.partition(":")
        try:
            out[name.strip()] = (float(lo), float(hi))
        except ValueError:
            raise InputError(f"{item!r} is not NAME=LO:HI", field="range") from None
    return out
