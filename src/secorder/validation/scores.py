"""Scores for probability forecasts of binary events (dispute onsets).

Small numpy implementations, checked against :mod:`sklearn.metrics` in the tests, so that a
backtest reports the same numbers whatever is installed and handles the degenerate cases a
small region produces (no onset at all: the rank scores are undefined and reported as NaN).
"""

from __future__ import annotations

import numpy as np

EPS = float(np.finfo(float).eps)
"""Probabilities are clipped to [EPS, 1 - EPS] for the log loss, as scikit-learn does (a
forecast of exactly 0 for an event that happens would otherwise score infinity)."""


def _arrays(y, p) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float).ravel()
    p = np.asarray(p, dtype=float).ravel()
    if y.shape != p.shape:
        raise ValueError(f"outcomes and forecasts differ in length ({y.size} vs {p.size})")
    return y, p


def brier(y, p) -> float:
    """Mean squared difference between forecast probability and outcome (0 is perfect)."""
    y, p = _arrays(y, p)
    return float(np.mean((p - y) ** 2)) if y.size else float("nan")


def log_loss(y, p) -> float:
    """Mean negative log-likelihood of the outcomes under the forecasts (natural log)."""
    y, p = _arrays(y, p)
    q = np.clip(p, EPS, 1 - EPS)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))) if y.size else float("nan")


def roc_auc(y, p) -> float:
    """Area under the ROC curve: P(forecast of an event > of a non-event), ties counting half."""
    y, p = _arrays(y, p)
    pos, neg = y == 1, y == 0
    n1, n0 = pos.sum(), neg.sum()
    if n1 == 0 or n0 == 0:
        return float("nan")
    from scipy.stats import rankdata

    ranks = rankdata(p)
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def pr_auc(y, p) -> float:
    """Area under the precision-recall curve as average precision (the step-wise sum, as sklearn)."""
    y, p = _arrays(y, p)
    n1 = (y == 1).sum()
    if n1 == 0:
        return float("nan")
    order = np.argsort(-p, kind="mergesort")
    ys, ps = y[order], p[order]
    # one point per distinct threshold
    last = np.r_[np.flatnonzero(np.diff(ps)), ys.size - 1]
    tp = np.cumsum(ys)[last]
    fp = (last + 1) - tp
    precision = tp / (tp + fp)
    recall = tp / n1
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def reliability(y, p, bins: int = 10) -> list[dict[str, float]]:
    """Reliability curve: per forecast bin, the mean forecast, the observed frequency and the count.

    Bins are equal-width on [0, 1]; empty bins are left out.
    """
    y, p = _arrays(y, p)
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    out = []
    for b in range(bins):
        m = idx == b
        if m.any():
            out.append({"bin": b, "forecast": float(p[m].mean()), "observed": float(y[m].mean()),
                        "count": int(m.sum())})
    return out


def all_scores(y, p) -> dict[str, float]:
    """Brier, log loss, ROC AUC, PR AUC, the mean forecast and the observed frequency."""
    y, p = _arrays(y, p)
    return {"brier": brier(y, p), "log_loss": log_loss(y, p), "roc_auc": roc_auc(y, p),
            "pr_auc": pr_auc(y, p), "mean_forecast": float(p.mean()) if p.size else float("nan"),
            "observed": float(y.mean()) if y.size else float("nan"), "n": int(y.size)}
