"""Transitions between order types: how often, how soon and by which paths a region's order changes.

Each run-year's order is read by :func:`secorder.orders.classify` (``order_*`` series). From
those labels, per run:

- the **transition matrix**: across runs and years, how often an order of kind A is followed
  the next year by kind B (counts, and shares of each row);
- the **time to the first transition**: the first year whose order differs from the start's;
- the **paths**: each run's sequence of orders with repeats collapsed (``balance_of_power ->
  security_community``), counted across runs.

``min_spell`` smooths flicker at a threshold: a spell of an order shorter than ``min_spell``
years is not counted as a change (those years keep the order before them). With the default
of 1 every change counts.

The transitions are what the mechanisms produce; nothing here or in the classification
schedules a change of order. (Concerts do not yet form endogenously, so a transition into a
concert appears only where a concert exists and gains cohesion.)

>>> import numpy as np
>>> codes = np.array([[0, 0, 5, 5], [0, 0, 0, 0]])
>>> t = order_transitions(codes, start_year=2000)
>>> t.paths["path"].tolist()
['balance_of_power', 'balance_of_power -> security_community']
>>> t.first["first_transition_year"].tolist()
[2002.0, nan]
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from secorder.errors import InputError
from secorder.orders import ORDER_KINDS

ARROW = " -> "


def order_codes(results) -> tuple[np.ndarray, int]:
    """(R,T) order code per run-year and the first simulated year, from a full-record run.

    ``results`` is a :class:`~secorder.results.Results` or a results folder written by
    ``secorder run`` (``record full``: its ``system.parquet``).
    """
    if isinstance(results, str | Path):
        return _codes_from_folder(Path(results))
    system = getattr(results, "system", None)
    if getattr(results, "record", "full") != "full" or not system:
        raise InputError([("record", "order transitions need every run's yearly orders: simulate with "
                                     "record='full' (--record full)")])
    shares = np.stack([np.asarray(system[f"order_{k}"]) for k in ORDER_KINDS], axis=-1)  # (R,T,kinds)
    return shares.argmax(axis=-1).astype(np.int8), int(results.scenario.year)


def _codes_from_folder(folder: Path) -> tuple[np.ndarray, int]:
    table = folder / "system.parquet"
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError([(str(folder), "is not a secorder results folder (no readable manifest.json)")]) from None
    if not table.is_file():
        raise InputError([(str(folder), "holds no per-run series (system.parquet); it was written with "
                                        "--record summary; run again with --record full")])
    names = [f"order_{k}" for k in ORDER_KINDS]
    df = pd.read_parquet(table, columns=["run", "year", "variable", "value"],
                         filters=[("variable", "in", names)])
    if df.empty:
        raise InputError([(str(folder), "its system.parquet has no order series")])
    wide = df.pivot_table(index=["run", "year"], columns="variable", values="value", observed=True)
    wide = wide.reindex(columns=names, fill_value=0.0)
    runs, years = wide.index.levels[0].size, wide.index.levels[1].size
    codes = wide.to_numpy().reshape(runs, years, len(names)).argmax(axis=-1).astype(np.int8)
    return codes, int(manifest.get("start_year", wide.index.levels[1].min()))


def smooth(codes: np.ndarray, min_spell: int) -> np.ndarray:
    """Codes with spells shorter than ``min_spell`` years replaced by the order before them.

    A run's first spell is kept whatever its length (there is nothing before it).
    """
    if min_spell <= 1:
        return codes
    out = codes.copy()
    for r in range(out.shape[0]):
        row = out[r]
        t = 0
        while t < row.size:
            end = t
            while end < row.size and row[end] == row[t]:
                end += 1
            if t > 0 and end - t < min_spell:
                row[t:end] = row[t - 1]
            t = end
    return out


@dataclass(frozen=True)
class Transitions:
    """Order transitions of a set of runs (see the module docstring)."""

    counts: pd.DataFrame  # from x to: year-to-year counts over runs and years
    first: pd.DataFrame  # per run: start order, first transition year and order, years to it
    paths: pd.DataFrame  # path, runs, share; most common first
    runs: int
    years: int
    start_year: int

    @property
    def matrix(self) -> pd.DataFrame:
        """Row shares of :attr:`counts`: the chance that an order of kind A is kind B a year later."""
        totals = self.counts.sum(axis=1)
        return self.counts.div(totals.where(totals > 0), axis=0)

    def summary(self) -> pd.DataFrame:
        """Per starting order: runs, share that change at least once, median years to the first change."""
        f = self.first
        rows = []
        for kind, group in f.groupby("start", observed=True, sort=False):
            changed = group["years_to_first"].notna()
            rows.append({"start": kind, "runs": len(group), "share_changed": float(changed.mean()),
                         "median_years_to_first": float(group.loc[changed, "years_to_first"].median())
                         if changed.any() else float("nan")})
        return pd.DataFrame(rows).set_index("start")

    def plot(self, path: str | Path | None = None):
        """A heat map of the transition matrix beside the most common paths; saved if ``path``."""
        from secorder.report.plots import _pyplot, save_figure

        plt = _pyplot()
        kinds = [k for k in ORDER_KINDS if self.counts.loc[k].sum() > 0 or self.counts[k].sum() > 0]
        m = self.matrix.loc[kinds, kinds].fillna(0.0)
        fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [1, 1.2]})
        im = ax.imshow(m.to_numpy(), cmap="Blues", vmin=0, vmax=1)
        labels = [k.replace("_", " ") for k in kinds]
        ax.set_xticks(range(len(kinds)), labels, rotation=35, ha="right")
        ax.set_yticks(range(len(kinds)), labels)
        for i in range(len(kinds)):
            for j in range(len(kinds)):
                ax.text(j, i, f"{m.iat[i, j]:.2f}", ha="center", va="center",
                        color="white" if m.iat[i, j] > 0.6 else "black", fontsize=8)
        ax.set_xlabel("order the next year")
        ax.set_ylabel("order this year")
        ax.set_title("Year-to-year transitions (share of each row)")
        fig.colorbar(im, ax=ax, fraction=0.046)
        top = self.paths.head(8).iloc[::-1]
        bx.barh([p.replace("_", " ").replace(ARROW, " → ") for p in top["path"]], top["share"], color="#4a7ab7")
        bx.set_xlabel("share of runs")
        bx.set_xlim(0, 1)
        bx.set_title("Most common paths")
        bx.tick_params(axis="y", labelsize=8)
        return save_figure(fig, None if path is None else Path(path))


def order_transitions(codes: np.ndarray, start_year: int, min_spell: int = 1) -> Transitions:
    """:class:`Transitions` of (R,T) order codes (see :func:`order_codes`)."""
    if isinstance(min_spell, bool) or not isinstance(min_spell, int | np.integer) or min_spell < 1:
        raise InputError([("min_spell", f"must be a whole number >= 1, got {min_spell!r}")])
    codes = smooth(np.asarray(codes), int(min_spell))
    runs, years = codes.shape
    k = len(ORDER_KINDS)
    pair = codes[:, :-1].astype(np.int64) * k + codes[:, 1:]
    counts = np.bincount(pair.ravel(), minlength=k * k).reshape(k, k)
    counts_df = pd.DataFrame(counts, index=pd.Index(ORDER_KINDS, name="from"), columns=pd.Index(ORDER_KINDS, name="to"))

    changed = codes != codes[:, :1]
    has = changed.any(axis=1)
    first_t = np.where(has, changed.argmax(axis=1), -1)
    rows = np.arange(runs)
    first = pd.DataFrame({
        "run": rows,
        "start": pd.Categorical(np.array(ORDER_KINDS)[codes[:, 0]], categories=ORDER_KINDS),
        "first_transition_year": np.where(has, start_year + first_t, np.nan),
        "years_to_first": np.where(has, first_t, np.nan),
        "first_transition_to": pd.Categorical(
            np.where(has, np.array(ORDER_KINDS)[codes[rows, np.maximum(first_t, 0)]], None), categories=ORDER_KINDS),
    })

    paths = Counter(ARROW.join(ORDER_KINDS[c] for c in _collapse(row)) for row in codes)
    paths_df = pd.DataFrame(
        [{"path": p, "runs": n, "share": n / runs} for p, n in sorted(paths.items(), key=lambda x: (-x[1], x[0]))])
    return Transitions(counts_df, first, paths_df, runs, years, start_year)


def _collapse(row: np.ndarray) -> list[int]:
    keep = np.concatenate([[True], row[1:] != row[:-1]])
    return [int(c) for c in row[keep]]


def transitions(results, min_spell: int = 1) -> Transitions:
    """Order transitions of a full-record run (a :class:`~secorder.results.Results` or a results folder)."""
    codes, start = order_codes(results)
    return order_transitions(codes, start, min_spell)


__all__ = ["Transitions", "order_codes", "order_transitions", "smooth", "transitions"]
