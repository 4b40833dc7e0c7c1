"""Baseline forecasts of dyadic dispute onset, fitted only on years before the origin.

Three baselines, scored exactly like the model:

* ``logit``: a logistic regression of dispute onset on the standard covariates of the
  dyad-year literature (Bremer 1992; Oneal & Russett 1999; Carter & Signorino 2010):
  contiguity, ln capability ratio, major-power involvement, ln capital distance, joint
  democracy, trade dependence, shared IGO memberships and a cubic in peace-years. Fitted with
  scikit-learn (a very weak L2 penalty, C = 1e4 on standardised covariates, only to keep the
  fit finite under separation in small regions). Forecasts hold every covariate at its value
  in the year before the origin and let peace-years grow as if no dispute happened.
* ``persistence``: the pre-origin onset rate of dyads with a MID in the previous 10 years and
  of those without, applied by each dyad's record in the 10 years before the origin.
* ``base_rate``: the pre-origin onset rate per dyad-year, the same for every dyad.

A dyad-year probability ``p`` becomes a window probability ``1 - prod(1 - p_k)``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

PathLike = str | os.PathLike[str]

COVARIATES = ("contiguous", "ln_cap_ratio", "major", "ln_distance", "joint_democracy",
              "trade_dependence", "igo_shared", "peace_t", "peace_t2", "peace_t3")
RECENT_YEARS = 10
"""The persistence baseline's memory: a MID in the previous this-many years."""


def covariate_panel(start: int, end: int, states: Sequence[int] | None = None, region: str | None = None,
                    source_dir: PathLike | None = None) -> pl.DataFrame:
    """Non-directed dyad-years ``start - RECENT_YEARS .. end`` with onsets and the logit's covariates."""
    from secorder.data import panels

    sd = source_dir if source_dir is not None else os.environ.get("SECORDER_DATA_DIR")
    lo = start - RECENT_YEARS
    p = panels.dyad_years(directed=False, years=(lo, end), subset=list(states) if states else None,
                          region=None if states else region, source_dir=sd)
    for step in ("mids", "contiguity", "major_powers", "distance", "capabilities", "democracy",
                 "trade", "igos", "gdp"):
        p = getattr(panels, f"add_{step}")(p, source_dir=sd)
    df = p.to_polars().sort("ccode1", "ccode2", "year")
    cmax = pl.max_horizontal("cinc1", "cinc2")
    cmin = pl.min_horizontal("cinc1", "cinc2")
    gdp_min = pl.min_horizontal("gdp_ppp1", "gdp_ppp2")
    df = df.with_columns(
        onset=pl.col("mid_onset").fill_null(0).cast(pl.Float64),
        ongoing=pl.col("mid_ongoing").fill_null(0).cast(pl.Float64),
        contiguous=(pl.col("conttype").fill_null(0) > 0).cast(pl.Float64),
        ln_cap_ratio=(cmax / pl.max_horizontal(cmin, pl.lit(1e-6))).log().fill_null(0.0).fill_nan(0.0),
        major=((pl.col("major1") == 1) | (pl.col("major2") == 1)).fill_null(False).cast(pl.Float64),
        ln_distance=(pl.col("capdist").fill_null(pl.col("capdist").median()) + 1.0).log(),
        joint_democracy=((pl.col("polity21") >= 6) & (pl.col("polity22") >= 6)).fill_null(False).cast(pl.Float64),
        trade_dependence=(pl.col("trade").fill_null(0.0) / pl.max_horizontal(gdp_min, pl.lit(1.0)))
        .fill_null(0.0).fill_nan(0.0),
        igo_shared=pl.col("igo_shared").fill_null(0).cast(pl.Float64),
        peace_now=pl.col("mid_peace_years").fill_null(0).cast(pl.Float64),
    )
    # peace-years as of the year before (0 in an onset year would make the fit separate)
    df = df.with_columns(peace_t=pl.col("peace_now").shift(1).over("ccode1", "ccode2")
                         .fill_null(pl.col("peace_now")))
    df = df.with_columns(peace_t2=pl.col("peace_t") ** 2 / 100.0, peace_t3=pl.col("peace_t") ** 3 / 1000.0)
    recent = (pl.col("ongoing").rolling_sum(window_size=RECENT_YEARS, min_samples=1).shift(1)
              .over("ccode1", "ccode2").fill_null(0) > 0)
    return df.with_columns(recent=recent.cast(pl.Float64))


@dataclass(frozen=True)
class Fitted:
    """The three baselines fitted on pre-origin years."""

    logit: object
    mean: np.ndarray
    scale: np.ndarray
    base_rate: float
    rate_recent: float
    rate_quiet: float
    train_years: tuple[int, int]


def fit(panel: pl.DataFrame, origin: int, train_start: int) -> Fitted:
    """Fit the baselines on the rows of ``panel`` in ``train_start .. origin - 1`` only."""
    from sklearn.linear_model import LogisticRegression

    train = panel.filter(pl.col("year").is_between(train_start, origin - 1))
    x = train.select(COVARIATES).to_numpy().astype(float)
    y = train["onset"].to_numpy()
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    if y.min() == y.max():  # no onset (or only onsets): a constant model
        model = None
    else:
        model = LogisticRegression(C=1e4, max_iter=2000).fit((x - mean) / scale, y)
    rec = train["recent"].to_numpy() > 0
    rate = float(y.mean()) if y.size else 0.0
    return Fitted(model, mean, scale, rate,
                  float(y[rec].mean()) if rec.any() else rate,
                  float(y[~rec].mean()) if (~rec).any() else rate, (train_start, origin - 1))


def forecast(fitted: Fitted, panel: pl.DataFrame, origin: int, horizon: int,
             pairs: Sequence[tuple[int, int]]) -> dict[str, np.ndarray]:
    """(P, H) dyad-year onset probabilities of each baseline for ``pairs`` (ccode1 < ccode2).

    Uses only the rows of ``panel`` before the origin (the covariates of year ``origin - 1``).
    """
    last = panel.filter(pl.col("year") == origin - 1)
    hist = panel.filter(pl.col("year").is_between(origin - RECENT_YEARS, origin - 1))
    recent = {(a, b) for a, b, o in hist.select("ccode1", "ccode2", "ongoing").iter_rows() if o > 0}
    rows = {(r[0], r[1]): r[2:] for r in last.select("ccode1", "ccode2", *COVARIATES, "peace_now").iter_rows()}
    p_count, k = len(pairs), np.arange(horizon, dtype=float)
    logit = np.full((p_count, horizon), fitted.base_rate)
    pers = np.zeros((p_count, horizon))
    for i, pair in enumerate(pairs):
        pers[i] = fitted.rate_recent if pair in recent else fitted.rate_quiet
        if fitted.logit is None:
            continue
        base = rows.get(pair)
        if base is None:  # the pair was not a dyad the year before (a new state): its first year
            base = np.zeros(len(COVARIATES) + 1)
        x = np.tile(np.asarray(base[:-1], dtype=float), (horizon, 1))
        t = base[-1] + k  # peace-years at the origin, growing on without a dispute
        x[:, 7], x[:, 8], x[:, 9] = t, t**2 / 100.0, t**3 / 1000.0
        logit[i] = fitted.logit.predict_proba((x - fitted.mean) / fitted.scale)[:, 1]
    base_rate = np.full((p_count, horizon), fitted.base_rate)
    return {"logit": logit, "persistence": pers, "base_rate": base_rate}


def window_probability(p: np.ndarray) -> np.ndarray:
    """(P,) probability of at least one onset over the window from (P, H) yearly probabilities."""
    return 1.0 - np.prod(1.0 - np.asarray(p, dtype=float), axis=1)
