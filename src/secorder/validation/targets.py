"""Target moments: what happened in a region over a window, and the same from simulated runs.

A *moment* is one number that sums up a history: a dispute rate, a share, a conditional
probability. :func:`data_moments` computes them from the peace-science data for the dyads of a
region's states (the states that are system members in the window's first year, the same set a
scenario built from data for that year simulates) and gives each a bootstrap standard error
(resampling dyads, or states for state-level moments, so that a dyad's years stay together).
:func:`simulated_moments` computes the same moments from a full-record simulation, with the
definitions side by side in :data:`MOMENTS`.

Counting, in the data and in the model alike: a dispute *onset* in a dyad-year is the start of at
least one militarised dispute between the two (COW MID 5.0 participant records: every side-A x
side-B pair); a *fatal* dispute is one with any fatality, a *war* one at hostility level 5 (in
the model, crises that end as ``dispute`` or ``war``); a dyad is *politically relevant* when it
is contiguous (land or up to 400 miles of water) or includes a major power.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from secorder.errors import InputError

PathLike = str | os.PathLike[str]

HONOURING_PUBLISHED = (0.745, 0.04)
"""Allies' honouring rate and an uncertainty (Leeds, Long & Mitchell 2000: allies fulfilled their
commitments in about 75% of the alliance-war cases, 1816-1944). The data layer has no coded
invocations to recompute it from ATOP and MIDs; the value is the published one and the standard
error (0.04) is a binomial error for about 110 cases, an assumption labelled as such."""

TOP_DYADS = 4
"""Concentration: the share of all onsets carried by this many most dispute-prone dyads."""


@dataclass(frozen=True)
class Moment:
    """A target moment: its name, what it measures, and its unit."""

    name: str
    label: str
    unit: str
    definition: str


MOMENTS: dict[str, Moment] = {m.name: m for m in (
    Moment("prd_rate", "Dispute onsets, politically relevant dyads", "per 1,000 dyad-years",
           "Dyad-years with a new MID among contiguous or major-power dyads, per 1,000 such dyad-years"),
    Moment("all_rate", "Dispute onsets, all dyads", "per 1,000 dyad-years",
           "Dyad-years with a new MID among all dyads of the region's states, per 1,000 dyad-years"),
    Moment("major_rate", "Dispute onsets, major-major dyads", "per 1,000 dyad-years",
           "Dyad-years with a new MID among pairs of two major powers, per 1,000 such dyad-years"),
    Moment("fatal_share", "Fatal share of disputes", "share",
           "Share of dyadic dispute onsets with fatalities (fatal MIDs and wars)"),
    Moment("war_share", "War share of disputes", "share",
           "Share of dyadic dispute onsets that reach war (hostility level 5)"),
    Moment("persist_dispute", "P(onset | dispute last year)", "probability",
           "Among politically relevant dyads with a dispute going on last year, the share with a new onset"),
    Moment("persist_peace", "P(onset | no dispute last year)", "probability",
           "Among politically relevant dyads without a dispute last year, the share with a new onset"),
    Moment("top_share", f"Share of onsets in the top {TOP_DYADS} dyads", "share",
           f"Onsets of the {TOP_DYADS} dyads with most onsets over the window, as a share of all onsets"),
    Moment("removal_rate", "Irregular leader removals", "per country-year",
           "Archigos leader exits coded 'Irregular' per country-year (model: successful regime challenges)"),
    Moment("honouring_rate", "Allies' honouring rate", "share",
           "Published figure (Leeds, Long & Mitchell 2000); model: allies that join / allies that join or abandon"),
    Moment("milex_growth", "Military spending growth", "per year",
           "Mean over states of the yearly log growth of military spending (NMC, current USD; model: bn USD)"),
    Moment("lead_share", "Largest spender's share", "share",
           "Military spending of the largest spender as a share of the region's total, in the window's last year"),
)}
"""Every moment :func:`data_moments` and :func:`simulated_moments` compute."""

DYAD_MOMENTS = ("prd_rate", "all_rate", "major_rate", "fatal_share", "war_share",
                "persist_dispute", "persist_peace", "top_share")


@dataclass(frozen=True)
class DataMoments:
    """Moments of a region's history over a window, with bootstrap standard errors."""

    region: str
    start: int
    end: int
    states: tuple[int, ...]
    values: Mapping[str, float]
    se: Mapping[str, float]
    notes: Mapping[str, str] = field(default_factory=dict)

    def select(self, names: Sequence[str]) -> DataMoments:
        """The same moments restricted to ``names`` (each must be one the data give)."""
        missing = [n for n in names if n not in self.values]
        if missing:
            known = ", ".join(self.values)
            raise InputError(f"the data cannot give target {missing[0]!r} for {self.region} "
                             f"{self.start}-{self.end}; available: {known}", field="targets")
        return DataMoments(self.region, self.start, self.end, self.states,
                           {n: self.values[n] for n in names}, {n: self.se[n] for n in names},
                           {n: self.notes[n] for n in names if n in self.notes})

    def to_dict(self) -> dict[str, Any]:
        """Plain record: region, window, states and every moment with its value and error."""
        return {"region": self.region, "window": [self.start, self.end], "states": list(self.states),
                "moments": {n: {"value": float(self.values[n]), "se": float(self.se[n]),
                                **({"note": self.notes[n]} if n in self.notes else {})}
                            for n in self.values}}


# ------------------------------------------------------------------------------------ data side
def _source_dir(source_dir: PathLike | None) -> PathLike | None:
    return source_dir if source_dir is not None else os.environ.get("SECORDER_DATA_DIR")


def data_span(source_dir: PathLike | None = None) -> tuple[int, int]:
    """First and last year of the dispute data (COW MID participant records)."""
    from secorder.data import panels

    dd, _ = panels._dispute_years("cow", None, _source_dir(source_dir))
    return int(dd["year"].min()), int(dd["year"].max())


def check_window(start: int, end: int, source_dir: PathLike | None = None, field: str = "window") -> None:
    """Raise :class:`InputError` unless ``start..end`` lies inside the dispute data."""
    lo, hi = data_span(source_dir)
    if start > end:
        raise InputError(f"starts after it ends ({start} > {end})", field=field)
    if start - 1 < lo or end > hi:
        raise InputError(f"{start}-{end} is outside the dispute data ({lo + 1}-{hi}; the year before "
                         f"the window is needed for persistence)", field=field)


def members_in(region: str, year: int, source_dir: PathLike | None = None) -> list[int]:
    """COW codes of the region's states that are system members in ``year`` (sorted)."""
    from secorder.data.from_data import select_states

    return sorted(select_states(year, None, region, _source_dir(source_dir)))


def dyad_panel(region: str, start: int, end: int, states: Sequence[int],
               source_dir: PathLike | None = None) -> pl.DataFrame:
    """Non-directed dyad-years of ``states`` in ``start - 1 .. end``: MIDs, contiguity, majors."""
    from secorder.data import panels

    sd = _source_dir(source_dir)
    p = panels.dyad_years(directed=False, years=(start - 1, end), subset=list(states), source_dir=sd)
    p = panels.add_mids(p, source_dir=sd)
    p = panels.add_contiguity(p, source_dir=sd)
    p = panels.add_major_powers(p, source_dir=sd)
    df = p.to_polars().sort("ccode1", "ccode2", "year")
    return df.with_columns(
        prd=((pl.col("conttype").fill_null(0) > 0) | (pl.col("major1") == 1) | (pl.col("major2") == 1)),
        majmaj=((pl.col("major1") == 1) & (pl.col("major2") == 1)),
        ongoing_last=pl.col("mid_ongoing").shift(1).over("ccode1", "ccode2").fill_null(0),
        has_last=(pl.col("year").shift(1).over("ccode1", "ccode2") == pl.col("year") - 1),
    )


def dispute_outcomes(start: int, end: int, states: Sequence[int],
                     source_dir: PathLike | None = None) -> pl.DataFrame:
    """One row per dyadic dispute onset in the window: pair, year, fatal, war."""
    from secorder.data import panels

    dd, _ = panels._dispute_years("cow", None, _source_dir(source_dir))
    keep = sorted(states)
    return (  # years after ``end`` are dropped first: a later escalation must not leak in
        dd.filter(pl.col("ccode1").is_in(keep) & pl.col("ccode2").is_in(keep) & (pl.col("year") <= end))
        .with_columns(a=pl.min_horizontal("ccode1", "ccode2"), b=pl.max_horizontal("ccode1", "ccode2"))
        .group_by("dispnum", "a", "b")
        .agg(pl.col("year").min(), pl.col("fatal").max().fill_null(0), pl.col("war").max().fill_null(0))
        .filter(pl.col("year").is_between(start, end))
        .rename({"a": "ccode1", "b": "ccode2"})
    )


def _removals(start: int, end: int, states: Sequence[int], source_dir: PathLike | None) -> tuple[np.ndarray, np.ndarray]:
    """Per state: (irregular removals, country-years) over the window, from Archigos 4.1."""
    from secorder.data.codes import gw_to_cow_expr

    sd = _source_dir(source_dir)
    if sd is None:
        raise InputError("no data folder: pass source_dir or set $SECORDER_DATA_DIR", field="source_dir")
    path = Path(sd) / "archigos_4.1" / "archigos_peacesciencer.csv"
    if not path.exists():
        raise InputError(f"{path} not found: the removal rate needs Archigos 4.1", field="targets")
    df = pl.read_csv(path, columns=["gwcode", "enddate", "exit"], infer_schema_length=0)
    df = df.with_columns(year=pl.col("enddate").str.slice(0, 4).cast(pl.Int64, strict=False),
                         gwcode=pl.col("gwcode").cast(pl.Int64, strict=False))
    df = df.with_columns(gw_to_cow_expr("gwcode", "year")).filter(
        (pl.col("exit") == "Irregular") & pl.col("year").is_between(start, end))
    counts = dict(df.group_by("ccode").len().iter_rows())
    removed = np.array([counts.get(c, 0) for c in states], dtype=float)
    return removed, np.full(len(states), float(end - start + 1))


def _milex(start: int, end: int, states: Sequence[int], source_dir: PathLike | None) -> np.ndarray:
    """(T, N) military spending (NMC, thousands of current USD); NaN where missing."""
    from secorder.data import loaders

    nmc = loaders.read("nmc-7.0", None, _source_dir(source_dir)).frame
    nmc = nmc.filter(pl.col("year").is_between(start, end) & pl.col("ccode").is_in(list(states)))
    out = np.full((end - start + 1, len(states)), np.nan)
    col = {c: i for i, c in enumerate(states)}
    for c, y, m in nmc.select("ccode", "year", "milex").iter_rows():
        if m is not None and m >= 0:
            out[y - start, col[c]] = float(m)
    return out


def milex_moments(milex: np.ndarray) -> tuple[float, float]:
    """(mean yearly log growth over states, largest spender's share in the last year) of a (T, N) path."""
    m = np.where(milex > 0, milex, np.nan)
    growth = np.diff(np.log(m), axis=0)
    g = float(np.nanmean(growth)) if np.isfinite(growth).any() else float("nan")
    last = np.nan_to_num(m[-1])
    share = float(last.max() / last.sum()) if last.sum() > 0 else float("nan")
    return g, share


def _dyad_counts(panel: pl.DataFrame, disputes: pl.DataFrame, start: int) -> tuple[np.ndarray, list[str]]:
    """(D, k) per-dyad sums from which every dyad moment is a ratio of column sums."""
    p = panel.filter(pl.col("year") >= start).with_columns(
        on=pl.col("mid_onset").fill_null(0).cast(pl.Float64))
    per = p.group_by("ccode1", "ccode2").agg(
        years=pl.len().cast(pl.Float64),
        onsets=pl.col("on").sum(),
        prd_years=pl.col("prd").cast(pl.Float64).sum(),
        prd_onsets=(pl.col("on") * pl.col("prd")).sum(),
        mm_years=pl.col("majmaj").cast(pl.Float64).sum(),
        mm_onsets=(pl.col("on") * pl.col("majmaj")).sum(),
        after_d=(pl.col("prd") & pl.col("has_last") & (pl.col("ongoing_last") == 1)).cast(pl.Float64).sum(),
        on_after_d=(pl.col("on") * (pl.col("prd") & pl.col("has_last") & (pl.col("ongoing_last") == 1))).sum(),
        after_p=(pl.col("prd") & pl.col("has_last") & (pl.col("ongoing_last") == 0)).cast(pl.Float64).sum(),
        on_after_p=(pl.col("on") * (pl.col("prd") & pl.col("has_last") & (pl.col("ongoing_last") == 0))).sum(),
    )
    disp = disputes.group_by("ccode1", "ccode2").agg(
        n_disp=pl.len().cast(pl.Float64), n_fatal=pl.col("fatal").sum().cast(pl.Float64),
        n_war=pl.col("war").sum().cast(pl.Float64))
    per = per.join(disp, on=["ccode1", "ccode2"], how="left").fill_null(0.0).sort("ccode1", "ccode2")
    cols = [c for c in per.columns if c not in ("ccode1", "ccode2")]
    return per.select(cols).to_numpy().astype(float), cols


def _ratio(num: np.ndarray, den: np.ndarray, scale: float = 1.0) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, scale * num / np.where(den > 0, den, 1.0), np.nan)


def dyad_moments_from_counts(counts: np.ndarray, cols: Sequence[str]) -> dict[str, np.ndarray]:
    """Dyad moments from per-dyad counts weighted by ``counts`` rows; works on (B, D, k) stacks."""
    c = {name: counts[..., i] for i, name in enumerate(cols)}
    s = {k: v.sum(axis=-1) for k, v in c.items()}
    top = -np.sort(-c["onsets"], axis=-1)[..., :TOP_DYADS].sum(axis=-1)
    return {
        "prd_rate": _ratio(s["prd_onsets"], s["prd_years"], 1000.0),
        "all_rate": _ratio(s["onsets"], s["years"], 1000.0),
        "major_rate": _ratio(s["mm_onsets"], s["mm_years"], 1000.0),
        "fatal_share": _ratio(s["n_fatal"], s["n_disp"]),
        "war_share": _ratio(s["n_war"], s["n_disp"]),
        "persist_dispute": _ratio(s["on_after_d"], s["after_d"]),
        "persist_peace": _ratio(s["on_after_p"], s["after_p"]),
        "top_share": _ratio(top, s["onsets"]),
    }


def count_floors(counts: np.ndarray, cols: Sequence[str]) -> dict[str, float]:
    """Smallest credible standard error of each ratio moment given its counts.

    A bootstrap of a ratio with no (or very few) events in the numerator gives a standard
    error of (almost) zero, which would make that target dominate a weighted fit. The floor is
    the binomial (or Poisson) error with half an event added (Jeffreys), so a war share of 0
    out of 50 disputes is known to about +-0.014, not exactly.
    """
    s = {name: counts[:, i].sum() for i, name in enumerate(cols)}

    def share(x: float, n: float) -> float:
        p = (x + 0.5) / (n + 1.0)
        return float(np.sqrt(p * (1 - p) / max(n, 1.0)))

    def rate(x: float, n: float) -> float:
        return float(1000.0 * np.sqrt(x + 0.5) / max(n, 1.0))

    return {
        "prd_rate": rate(s["prd_onsets"], s["prd_years"]), "all_rate": rate(s["onsets"], s["years"]),
        "major_rate": rate(s["mm_onsets"], s["mm_years"]),
        "fatal_share": share(s["n_fatal"], s["n_disp"]), "war_share": share(s["n_war"], s["n_disp"]),
        "persist_dispute": share(s["on_after_d"], s["after_d"]),
        "persist_peace": share(s["on_after_p"], s["after_p"]),
        "top_share": share(0.5 * s["onsets"], s["onsets"]),
    }


def _bootstrap(counts: np.ndarray, cols: Sequence[str], draws: int, seed: int) -> dict[str, float]:
    """Standard errors of the dyad moments, resampling dyads with replacement."""
    rng = np.random.default_rng(seed)
    d = counts.shape[0]
    idx = rng.integers(0, d, size=(draws, d))
    boot = dyad_moments_from_counts(counts[idx], cols)
    return {k: float(np.nanstd(v, ddof=1)) if np.isfinite(v).sum() > 1 else float("nan")
            for k, v in boot.items()}


def data_moments(region: str, start: int, end: int, *, source_dir: PathLike | None = None,
                 bootstrap: int = 300, seed: int = 0) -> DataMoments:
    """Every moment of :data:`MOMENTS` for ``region`` over ``start..end`` from the data.

    The dyads are the pairs of the region's states that are members in ``start`` (the states a
    scenario built from data for ``start`` simulates). Nothing after ``end`` is read into any
    moment. Moments the data cannot give for the region and window (no major-major pair, no
    dispute, no dyad with a dispute last year) are left out rather than set to zero.
    """
    from secorder.data.regions import region_codes

    region_codes(region)  # unknown region -> InputError naming the field
    check_window(start, end, source_dir)
    states = members_in(region, start, source_dir)
    if len(states) < 2:
        raise InputError(f"{region} has fewer than two states in {start}", field="region")
    panel = dyad_panel(region, start, end, states, source_dir)
    disputes = dispute_outcomes(start, end, states, source_dir)
    counts, cols = _dyad_counts(panel, disputes, start)
    point = {k: float(v) for k, v in dyad_moments_from_counts(counts, cols).items()}
    se = _bootstrap(counts, cols, bootstrap, seed)
    values: dict[str, float] = {}
    errors: dict[str, float] = {}
    notes: dict[str, str] = {}
    for k in DYAD_MOMENTS:
        if np.isfinite(point[k]):
            values[k], errors[k] = point[k], se[k]
    removed, years = _removals(start, end, states, source_dir)
    rate = removed.sum() / years.sum()
    rng = np.random.default_rng(seed + 1)
    idx = rng.integers(0, len(states), size=(bootstrap, len(states)))
    values["removal_rate"] = float(rate)
    errors["removal_rate"] = float(np.std(removed[idx].sum(1) / years[idx].sum(1), ddof=1))
    values["honouring_rate"], errors["honouring_rate"] = HONOURING_PUBLISHED
    notes["honouring_rate"] = "published figure (Leeds, Long & Mitchell 2000), not computed from the data"
    milex = _milex(start, end, states, source_dir)
    g, share = milex_moments(milex)
    if np.isfinite(g):
        bs = [milex_moments(milex[:, i]) for i in idx[: min(bootstrap, 200)]]
        values["milex_growth"], errors["milex_growth"] = g, float(np.nanstd([b[0] for b in bs], ddof=1))
        values["lead_share"], errors["lead_share"] = share, float(np.nanstd([b[1] for b in bs], ddof=1))
        notes["milex_growth"] = "NMC spending in current USD (includes inflation); the model's is in constant terms"
    floor = {k: 1e-3 * max(abs(v), 1e-3) for k, v in values.items()}
    floor.update({k: v for k, v in count_floors(counts, cols).items() if k in values})
    errors = {k: max(errors[k], floor[k]) if np.isfinite(errors[k]) else floor[k] for k in values}
    return DataMoments(region, start, end, tuple(states), values, errors, notes)


# ------------------------------------------------------------------------------- simulation side
@dataclass(frozen=True)
class DyadHistory:
    """Per-run dyad-year outcomes of a simulation: (R, T, P) onset, fatal and war flags.

    Pairs are the upper triangle of the scenario's states in row-major order (``pairs``).
    """

    onset: np.ndarray
    fatal: np.ndarray
    war: np.ndarray
    pairs: np.ndarray  # (P, 2) state indices
    start_year: int


def dyad_history(results: Any) -> DyadHistory:
    """Dyad-year onsets of a full-record :class:`~secorder.results.Results` (from its event log)."""
    from secorder.world import OUTCOME

    n = len(results.scenario.states)
    iu, ju = np.triu_indices(n, k=1)
    pair_index = np.full((n, n), -1, dtype=np.int64)
    pair_index[iu, ju] = np.arange(iu.size)
    pair_index[ju, iu] = np.arange(iu.size)
    shape = (results.runs, results.years, iu.size)
    onset, fatal, war = (np.zeros(shape, dtype=bool) for _ in range(3))
    ev = results.event_arrays
    if results.record != "full" or ev is None:
        raise InputError("simulated moments need a full record (record='full')", field="record")
    if ev and len(ev.get("run", ())):
        start = int(results.scenario.year)
        out = np.asarray(ev["outcome"])
        keep = out >= OUTCOME["deterrence"]
        r = np.asarray(ev["run"])[keep]
        t = np.asarray(ev["year"])[keep] - start
        p = pair_index[np.asarray(ev["challenger"])[keep], np.asarray(ev["target"])[keep]]
        o = out[keep]
        onset[r, t, p] = True
        fatal[r, t, p] |= o >= OUTCOME["dispute"]
        war[r, t, p] |= o == OUTCOME["war"]
    return DyadHistory(onset, fatal, war, np.stack([iu, ju], axis=1), int(results.scenario.year))


def _pair_flags(scenario: Any, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P,) politically relevant and major-major flags from the scenario's start."""
    codes = [s.code for s in scenario.states]
    major = np.array([bool(s.major_power) for s in scenario.states])
    contig = np.zeros((len(codes), len(codes)), dtype=bool)
    index = {c: i for i, c in enumerate(codes)}
    for d in scenario.dyads:
        a, b = index.get(d.states[0]), index.get(d.states[1])
        if a is not None and b is not None and d.contiguity != "none":
            contig[a, b] = contig[b, a] = True
    i, j = pairs[:, 0], pairs[:, 1]
    return contig[i, j] | major[i] | major[j], major[i] & major[j]


def simulated_moments(results: Any, history: DyadHistory | None = None) -> dict[str, float]:
    """The moments of :data:`MOMENTS` from a full-record simulation (pooled over runs).

    Rates pool every run's dyad-years; the top-dyad share is the mean over runs of each run's
    share (the data are one history of the same length); persistence counts a pair as disputing
    last year when a dispute was going on (the model's ongoing disputes where it records them,
    else an onset).
    """
    h = history or dyad_history(results)
    prd, mm = _pair_flags(results.scenario, h.pairs)
    on = h.onset.astype(float)
    r, t, p = on.shape
    out: dict[str, float] = {}
    n_on = on.sum()
    out["prd_rate"] = float(1000 * on[:, :, prd].sum() / max(r * t * prd.sum(), 1))
    out["all_rate"] = float(1000 * n_on / max(r * t * p, 1))
    out["major_rate"] = float(1000 * on[:, :, mm].sum() / (r * t * mm.sum())) if mm.any() else float("nan")
    out["fatal_share"] = float(h.fatal.sum() / n_on) if n_on else float("nan")
    out["war_share"] = float(h.war.sum() / n_on) if n_on else float("nan")
    system = results.system or {}
    if "prd_after_dispute" in system and "prd_onsets_after_dispute" in system:
        ad = system["prd_after_dispute"][:, 1:].sum()
        ap = system["prd_after_peace"][:, 1:].sum()
        out["persist_dispute"] = float(system["prd_onsets_after_dispute"][:, 1:].sum() / ad) if ad else float("nan")
        out["persist_peace"] = float(system["prd_onsets_after_peace"][:, 1:].sum() / ap) if ap else float("nan")
    else:
        last, now = h.onset[:, :-1, prd], h.onset[:, 1:, prd]
        out["persist_dispute"] = float((now & last).sum() / last.sum()) if last.any() else float("nan")
        out["persist_peace"] = float((now & ~last).sum() / (~last).sum()) if (~last).any() else float("nan")
    per_pair = on.sum(axis=1)
    tot = per_pair.sum(axis=1)
    top = -np.sort(-per_pair, axis=1)[:, :TOP_DYADS].sum(axis=1)
    out["top_share"] = float(np.mean(top[tot > 0] / tot[tot > 0])) if (tot > 0).any() else float("nan")
    if "regime_removals" in system:
        out["removal_rate"] = float(system["regime_removals"].sum() / (r * t * len(results.scenario.states)))
    out["honouring_rate"] = _honouring(results)
    if results.states is not None and "milex" in results.states:
        m = np.asarray(results.states["milex"], dtype=float)  # (R, T, N)
        stats = [milex_moments(m[k]) for k in range(r)]
        out["milex_growth"] = float(np.nanmean([s[0] for s in stats]))
        out["lead_share"] = float(np.nanmean([s[1] for s in stats]))
    return out


def _popcount(words: np.ndarray) -> np.ndarray:
    """Number of set bits of each unsigned integer (a set of allies packed in bits)."""
    w = np.asarray(words)
    if w.dtype == bool:
        return w.astype(np.int64)
    b = w.astype(np.uint64)
    count = np.zeros(b.shape, dtype=np.int64)
    while b.any():
        count += (b & np.uint64(1)).astype(np.int64)
        b = b >> np.uint64(1)
    return count.sum(axis=tuple(range(1, count.ndim))) if count.ndim > 1 else count


def _honouring(results: Any) -> float:
    """Allies that joined a crisis as a share of allies that joined or abandoned (NaN if none)."""
    ev = results.event_arrays
    if not ev or "joined" not in ev or not len(ev["joined"]):
        return float("nan")
    joined = _popcount(np.asarray(ev["joined"])).sum()
    abandoned = _popcount(np.asarray(ev["abandoned"])).sum()
    total = joined + abandoned
    return float(joined / total) if total else float("nan")
