"""Rolling-origin backtest: calibrate before each origin, forecast after it, score against history.

At each origin year ``O`` (default every 5 years 1970-2005) for a region:

1. **Calibrate on the past only.** A cheap calibration (:data:`BACKTEST_FREE` to
   :data:`BACKTEST_TARGETS`, few runs and evaluations, see :class:`Settings`) fits the model to
   the region's moments over ``O - train_years .. O - 1``, simulating from a scenario built
   from data for ``O - train_years``.
2. **Forecast.** A scenario built from data for ``O`` (its states: the region's members in
   ``O``) is simulated ``horizon`` years with the calibrated parameters.
3. **Score** against what happened in ``O .. O + horizon - 1``: dyad-window and dyad-year onset
   probabilities (Brier, log loss, ROC AUC, PR AUC, reliability), aggregate rates per 1,000
   politically relevant, all and major-major dyad-years (disputes, fatal disputes, wars) with
   the model's 90% interval over runs and an exact Poisson 90% interval for the observed count,
   persistence, and the states' shares of the region's military spending.
4. **Baselines** (:mod:`secorder.validation.baselines`) fitted on years before ``O`` only and
   scored the same way.

Nothing from ``O`` onwards enters a calibration or a baseline (``tests/test_validation.py``
checks that changing the dispute data from the origin on leaves both unchanged). The scenario
for ``O`` uses the data *of* ``O`` (capabilities, alliances in force) as the state of the world
at the start of the forecast; peace-years and dispute history stop at ``O - 1``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from secorder.errors import InputError
from secorder.validation import baselines, scores
from secorder.validation.targets import _pair_flags, data_span, dispute_outcomes, dyad_history

PathLike = str | os.PathLike[str]

BACKTEST_FREE = ("onset_intercept", "limited_force_rate", "onset_peace_t")
"""Free parameters of the per-origin calibration (a cheap setting: three, not the full set)."""
BACKTEST_TARGETS = ("prd_rate", "all_rate", "fatal_share", "persist_dispute", "persist_peace")
"""Targets of the per-origin calibration."""
DEFAULT_ORIGINS = tuple(range(1970, 2006, 5))
MODELS = ("model", "logit", "persistence", "base_rate")


@dataclass(frozen=True)
class Settings:
    """Backtest settings: horizon, training windows, and the cost of each calibration and forecast."""

    horizon: int = 10
    train_years: int = 15
    logit_years: int = 30
    runs: int = 200
    calib_runs: int = 60
    calib_evaluations: int = 30
    free: tuple[str, ...] = BACKTEST_FREE
    targets: tuple[str, ...] = BACKTEST_TARGETS
    seed: int = 0
    workers: int | None = 1
    calibrate: bool = True

    def describe(self) -> str:
        """One line stating the settings (for reports)."""
        cal = (f"calibration of {', '.join(self.free)} to {', '.join(self.targets)} over the "
               f"{self.train_years} years before each origin ({self.calib_runs} runs per evaluation, "
               f"at most {self.calib_evaluations} evaluations, one Nelder-Mead start)"
               if self.calibrate else "no calibration (registry defaults)")
        return (f"horizon {self.horizon} years; {cal}; forecasts of {self.runs} runs; logit and "
                f"persistence baselines fitted on the {self.logit_years} years before each origin; seed {self.seed}")


@dataclass
class OriginResult:
    """Everything scored at one origin."""

    region: str
    origin: int
    states: list[str]
    calibrated: dict[str, float]
    calibration_distance: float
    dyad_window: dict[str, dict[str, float]]
    dyad_year: dict[str, dict[str, float]]
    reliability: dict[str, list[dict[str, float]]]
    rates: list[dict[str, Any]]
    persistence: dict[str, float]
    milex_share: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain record of the origin's results."""
        return {k: getattr(self, k) for k in ("region", "origin", "states", "calibrated",
                                               "calibration_distance", "dyad_window", "dyad_year",
                                               "reliability", "rates", "persistence", "milex_share")}


def check_origins(origins: Sequence[int], settings: Settings, source_dir: PathLike | None) -> None:
    """Each origin needs its training years and its horizon inside the dispute data."""
    lo, hi = data_span(source_dir)
    need_before = max(settings.train_years, settings.logit_years) + 1
    for o in origins:
        if o - need_before < lo:
            raise InputError(f"origin {o} needs data from {o - need_before} for its training years; "
                             f"the dispute data start in {lo}", field="origins")
        if o + settings.horizon - 1 > hi:
            raise InputError(f"origin {o} with a {settings.horizon}-year horizon runs to "
                             f"{o + settings.horizon - 1}, past the dispute data's end ({hi})", field="origins")


def _poisson_interval(k: float, level: float = 0.9) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count ``k``."""
    from scipy.stats import chi2

    a = (1 - level) / 2
    lo = 0.0 if k == 0 else chi2.ppf(a, 2 * k) / 2
    return float(lo), float(chi2.ppf(1 - a, 2 * k + 2) / 2)


def _observed(panel: pl.DataFrame, pairs: list[tuple[int, int]], origin: int, horizon: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(P, H) observed onsets and existence masks; (P, H) prd and major-major flags as observed."""
    idx = {p: i for i, p in enumerate(pairs)}
    y = np.zeros((len(pairs), horizon))
    exists = np.zeros((len(pairs), horizon), dtype=bool)
    prd = np.zeros((len(pairs), horizon), dtype=bool)
    mm = np.zeros((len(pairs), horizon), dtype=bool)
    rows = panel.filter(pl.col("year").is_between(origin, origin + horizon - 1)).select(
        "ccode1", "ccode2", "year", "onset", "contiguous", "major1", "major2").iter_rows()
    for a, b, yr, on, cont, m1, m2 in rows:
        i = idx.get((a, b))
        if i is None:
            continue
        k = yr - origin
        y[i, k], exists[i, k] = on, True
        prd[i, k] = bool(cont) or bool(m1) or bool(m2)
        mm[i, k] = bool(m1) and bool(m2)
    return y, exists, prd, mm


def run_origin(region: str, origin: int, settings: Settings = Settings(), *, source_dir: PathLike | None = None,
               progress: bool | Callable[[int], None] = False) -> OriginResult:
    """Calibrate before ``origin``, forecast ``settings.horizon`` years, score model and baselines."""
    from secorder.data.codes import cow_code
    from secorder.data.from_data import scenario_from_data, validate
    from secorder.engine import simulate
    from secorder.params import Params
    from secorder.validation.calibrate import build_problem, calibrate

    sd = source_dir if source_dir is not None else os.environ.get("SECORDER_DATA_DIR")
    h = settings.horizon
    values: dict[str, float] = {}
    distance = float("nan")
    if settings.calibrate:
        problem = build_problem(region, origin - settings.train_years, origin - 1, targets=settings.targets,
                                free=settings.free, runs=settings.calib_runs, seed=settings.seed,
                                workers=settings.workers, source_dir=sd)
        cal = calibrate(problem, starts=1, max_evaluations=settings.calib_evaluations, progress=progress)
        values, distance = cal.values, cal.distance
    scenario = validate(scenario_from_data(origin, region=region, source_dir=sd, name=f"{region}-{origin}"))
    res = simulate(scenario, years=h, runs=settings.runs, seed=settings.seed + 1,
                   params=Params().replace(**values), record="full", workers=settings.workers)
    hist = dyad_history(res)
    codes = [cow_code(s.code) for s in scenario.states]
    pairs = [(min(codes[i], codes[j]), max(codes[i], codes[j])) for i, j in hist.pairs]
    model_year = hist.onset.mean(axis=0).T  # (P, H)
    model_window = hist.onset.any(axis=1).mean(axis=0)  # (P,)

    panel = baselines.covariate_panel(origin - settings.logit_years, origin + h - 1, region=region, source_dir=sd)
    fitted = baselines.fit(panel, origin, origin - settings.logit_years)
    base = baselines.forecast(fitted, panel, origin, h, pairs)
    y, exists, prd_obs, mm_obs = _observed(panel, pairs, origin, h)
    alive = exists.any(axis=1)
    y_window = (y * exists).max(axis=1)[alive]
    forecasts_year = {"model": model_year, **base}
    dyad_window, dyad_year, reliability = {}, {}, {}
    for name, p in forecasts_year.items():
        pw = model_window if name == "model" else baselines.window_probability(p)
        dyad_window[name] = scores.all_scores(y_window, pw[alive])
        dyad_year[name] = scores.all_scores(y[exists], p[exists])
        reliability[name] = scores.reliability(y_window, pw[alive])
    rates = _rates(res, hist, y, exists, prd_obs, mm_obs, pairs, origin, h, sd)
    persistence = _persistence(res, hist, panel, pairs, origin, h)
    return OriginResult(region, origin, [s.code for s in scenario.states], values, distance,
                        dyad_window, dyad_year, reliability, rates, persistence,
                        _milex_shares(res, origin, h, codes, sd))


def _rates(res: Any, hist: Any, y: np.ndarray, exists: np.ndarray, prd_obs: np.ndarray, mm_obs: np.ndarray,
           pairs: list[tuple[int, int]], origin: int, h: int, sd: PathLike | None) -> list[dict[str, Any]]:
    """Rates per 1,000 dyad-years (disputes, fatal, wars; prd, all, major-major), model vs observed."""
    prd_m, mm_m = _pair_flags(res.scenario, hist.pairs)
    disputes = dispute_outcomes(origin, origin + h - 1, sorted({c for p in pairs for c in p}), sd)
    idx = {p: i for i, p in enumerate(pairs)}
    fatal_obs = np.zeros_like(y)
    war_obs = np.zeros_like(y)
    for a, b, yr, f, w in disputes.select("ccode1", "ccode2", "year", "fatal", "war").iter_rows():
        i = idx.get((a, b))
        if i is not None:
            fatal_obs[i, yr - origin] = max(fatal_obs[i, yr - origin], f)
            war_obs[i, yr - origin] = max(war_obs[i, yr - origin], w)
    out = []
    for group, m_mask, o_mask in (("politically relevant", prd_m, prd_obs & exists), ("all", np.ones_like(prd_m), exists),
                                  ("major-major", mm_m, mm_obs & exists)):
        if not m_mask.any() or not o_mask.any():
            continue
        for kind, sim, obs in (("disputes", hist.onset, y), ("fatal", hist.fatal, fatal_obs), ("wars", hist.war, war_obs)):
            per_run = 1000.0 * sim[:, :, m_mask].sum(axis=(1, 2)) / (h * m_mask.sum())
            count = float(obs[o_mask].sum())
            dy = float(o_mask.sum())
            lo, hi = _poisson_interval(count)
            out.append({"dyads": group, "kind": kind, "observed": 1000.0 * count / dy,
                        "observed_lo": 1000.0 * lo / dy, "observed_hi": 1000.0 * hi / dy, "count": count,
                        "dyad_years": dy, "model": float(per_run.mean()),
                        "model_lo": float(np.quantile(per_run, 0.05)), "model_hi": float(np.quantile(per_run, 0.95))})
    return out


def _persistence(res: Any, hist: Any, panel: pl.DataFrame, pairs: list[tuple[int, int]], origin: int, h: int
                 ) -> dict[str, float]:
    """P(onset | dispute last year) over the horizon: observed and simulated (politically relevant dyads)."""
    from secorder.validation.targets import simulated_moments

    sim = simulated_moments(res, hist)
    rows = panel.filter(pl.col("year").is_between(origin, origin + h - 1)).sort("ccode1", "ccode2", "year")
    keep = set(pairs)
    last = rows.with_columns(prev=pl.col("ongoing").shift(1).over("ccode1", "ccode2"),
                             prevyear=pl.col("year").shift(1).over("ccode1", "ccode2"))
    last = last.filter((pl.col("prevyear") == pl.col("year") - 1)
                       & ((pl.col("contiguous") > 0) | (pl.col("major") > 0)))
    last = last.filter(pl.struct("ccode1", "ccode2").map_elements(
        lambda s: (s["ccode1"], s["ccode2"]) in keep, return_dtype=pl.Boolean))
    after = last.filter(pl.col("prev") > 0)
    quiet = last.filter(pl.col("prev") == 0)
    obs_d = float(after["onset"].mean()) if after.height else float("nan")
    obs_p = float(quiet["onset"].mean()) if quiet.height else float("nan")
    return {"observed_after_dispute": obs_d, "observed_after_peace": obs_p, "n_after_dispute": after.height,
            "model_after_dispute": sim["persist_dispute"], "model_after_peace": sim["persist_peace"]}


def _milex_shares(res: Any, origin: int, h: int, codes: list[int], sd: PathLike | None) -> dict[str, Any]:
    """Each state's share of the region's military spending by year: model median and observed (NMC)."""
    from secorder.validation.targets import _milex

    obs = _milex(origin, origin + h - 1, codes, sd)
    with np.errstate(invalid="ignore", divide="ignore"):
        obs_share = obs / np.nansum(obs, axis=1, keepdims=True)
        m = np.asarray(res.states["milex"], dtype=float)
        sim_share = np.median(m / m.sum(axis=2, keepdims=True), axis=0)
    return {"years": list(range(origin, origin + h)), "states": [s.code for s in res.scenario.states],
            "observed": np.where(np.isfinite(obs_share), obs_share, np.nan).round(4).tolist(),
            "model": sim_share.round(4).tolist()}


def backtest(region: str, origins: Sequence[int] = DEFAULT_ORIGINS, settings: Settings = Settings(), *,
             source_dir: PathLike | None = None, progress: bool = False) -> list[OriginResult]:
    """Run :func:`run_origin` at every origin (checked first, so bad input fails before any work)."""
    from secorder.data.regions import region_codes
    from secorder.progress import ProgressBar

    region_codes(region)
    if not origins:
        raise InputError("give at least one origin", field="origins")
    check_origins(origins, settings, source_dir)
    out = []
    with ProgressBar(progress, len(origins), f"backtest {region}", "origins") as advance:
        for o in origins:
            out.append(run_origin(region, o, settings, source_dir=source_dir))
            advance(1)
    return out


def criteria(r: OriginResult) -> dict[str, bool | float]:
    """The issue's targets at one origin: Brier <= logit's, AUC >= logit's - 0.01, rates and persistence within x1.5."""
    def within(a: float, b: float) -> bool:
        return bool(a > 0 and b > 0 and max(a / b, b / a) <= 1.5) or (a == 0 and b == 0)

    m, lg = r.dyad_window["model"], r.dyad_window["logit"]
    rate = {(x["dyads"], x["kind"]): x for x in r.rates}
    prd_d = rate.get(("politically relevant", "disputes"))
    prd_f = rate.get(("politically relevant", "fatal"))
    return {
        "brier_ok": bool(m["brier"] <= lg["brier"]),
        "auc_ok": bool(not math.isnan(m["roc_auc"]) and m["roc_auc"] >= lg["roc_auc"] - 0.01)
        if not math.isnan(lg["roc_auc"]) else True,
        "dispute_rate_ok": within(prd_d["model"], prd_d["observed"]) if prd_d else False,
        "fatal_rate_ok": within(prd_f["model"], prd_f["observed"]) if prd_f else False,
        "persistence_ok": within(r.persistence["model_after_dispute"], r.persistence["observed_after_dispute"])
        if np.isfinite(r.persistence["observed_after_dispute"]) else False,
    }
