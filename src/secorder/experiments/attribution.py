"""Why an arm differs: each mechanism switched off in turn, on the same random numbers.

For an outcome, the difference ``D`` between an architecture and the baseline is the mean
paired difference over runs. Switching mechanism ``m`` off in both (``simulate(disable=[m])``;
every other mechanism keeps its own named random streams) gives ``D_m``; the part of the
difference that mechanism carries is ``D - D_m``, with its paired 90% interval (the four runs of
run ``r`` share their random numbers), and its share is ``(D - D_m) / D``. Shares need not add
up to one: mechanisms interact, and a mechanism can carry more than the whole difference while
another works against it.

For outcomes counted from crises (crises, disputes, fatal disputes, wars) the difference is
also split by dyad, from the crisis event log: which pairs of states carry it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from secorder.errors import InputError
from secorder.experiments.compare import paired_interval
from secorder.metrics import OUTCOMES
from secorder.spec import RunSpec

# the crisis outcomes (event log) each per-decade count is made of
EVENT_OUTCOMES = {
    "crises_per_decade": ("forum", "concert", "deterrence", "settlement", "dispute", "war"),
    "disputes_per_decade": ("deterrence", "settlement", "dispute", "war"),
    "fatal_disputes_per_decade": ("dispute", "war"),
    "wars_per_decade": ("war",),
}
SKIPPED = ("bookkeeping",)  # the year counter and spells: plumbing, not a channel


@dataclass
class Attribution:
    """The difference of one architecture against the baseline, by mechanism and by dyad."""

    outcome: str
    architecture: str
    baseline: str
    difference: float
    low: float
    high: float
    mechanisms: pd.DataFrame  # mechanism, difference_without, carried, carried_low, carried_high, share
    dyads: pd.DataFrame  # dyad, architecture, baseline, difference, share (empty for non-crisis outcomes)

    def summary(self) -> str:
        """A few lines: the difference and the mechanisms that carry most of it."""
        lines = [f"{self.outcome}: {self.architecture} - {self.baseline} = {self.difference:+.3g} "
                 f"(90% CI {self.low:+.3g} to {self.high:+.3g})"]
        top = self.mechanisms.reindex(self.mechanisms["carried"].abs().sort_values(ascending=False).index).head(5)
        for _, row in top.iterrows():
            lines.append(f"  {row['mechanism']:<14} carries {row['carried']:+.3g} ({row['share']:+.0%})")
        return "\n".join(lines)


def dyad_differences(events_a: pd.DataFrame, events_b: pd.DataFrame, kinds: Sequence[str], runs: int,
                     years: int) -> pd.DataFrame:
    """Per unordered dyad: events of ``kinds`` per decade per run in each arm, their difference and share of it."""
    def per_dyad(ev: pd.DataFrame) -> pd.Series:
        ev = ev[ev["outcome"].astype(str).isin(kinds)]
        pair = [" - ".join(sorted((a, b))) for a, b in zip(ev["challenger"].astype(str), ev["target"].astype(str),
                                                             strict=True)]
        return pd.Series(1.0, index=pair).groupby(level=0).sum() * 10.0 / (runs * years)

    a, b = per_dyad(events_a), per_dyad(events_b)
    table = pd.DataFrame({"architecture": a, "baseline": b}).fillna(0.0)
    table["difference"] = table["architecture"] - table["baseline"]
    total = table["difference"].sum()
    table["share"] = table["difference"] / total if total != 0 else np.nan
    table = table.reindex(table["difference"].abs().sort_values(ascending=False).index)
    return table.rename_axis("dyad").reset_index()


def attribute(
    scenario, architecture, baseline="status-quo", outcome: str = "fatal_disputes_per_decade", *,
    runs: int = 200, years: int = 30, seed: int = 0, params=None, params_file=None, levers=(),
    mechanisms: Sequence[str] | None = None, workers: int | None = None, progress: bool = False,
) -> Attribution:
    """Attribute the difference in ``outcome`` between ``architecture`` and ``baseline`` to the mechanisms.

    ``mechanisms`` defaults to every registered mechanism except the bookkeeping. Each is
    switched off in both arms in turn; see the module docstring for what is reported.
    """
    from secorder.engine import simulate_spec
    from secorder.mechanisms import REGISTRY

    if outcome not in OUTCOMES:
        raise InputError([("outcome", f"unknown outcome {outcome!r}; known: {', '.join(OUTCOMES)}")])
    known = [m.name for m in REGISTRY]
    chosen = list(mechanisms) if mechanisms is not None else [m for m in known if m not in SKIPPED]
    bad = [m for m in chosen if m not in known]
    if bad:
        raise InputError([("mechanisms", f"unknown mechanism(s) {bad}; known: {', '.join(known)}")])
    kinds = EVENT_OUTCOMES.get(outcome)

    def run(arch, disabled=(), record="summary"):
        spec = RunSpec.build(scenario, years=years, runs=runs, seed=seed, params=params, params_file=params_file,
                             architecture=arch, levers=levers, record=record, workers=workers, disabled=disabled)
        return simulate_spec(spec, progress=progress)

    record = "full" if kinds else "summary"
    full_a, full_b = run(architecture, record=record), run(baseline, record=record)
    diff = full_a.outcomes[outcome] - full_b.outcomes[outcome]
    d, lo, hi = paired_interval(diff)
    rows = []
    for m in chosen:
        off = run(architecture, (m,)).outcomes[outcome] - run(baseline, (m,)).outcomes[outcome]
        carried = diff - off
        c, c_lo, c_hi = paired_interval(carried)
        rows.append({"mechanism": m, "difference_without": float(np.nanmean(off)), "carried": c,
                     "carried_low": c_lo, "carried_high": c_hi, "share": c / d if d != 0 else np.nan})
    dyads = (dyad_differences(full_a.events, full_b.events, kinds, runs, years) if kinds
             else pd.DataFrame(columns=["dyad", "architecture", "baseline", "difference", "share"]))
    return Attribution(outcome, full_a.architecture, full_b.architecture, d, lo, hi, pd.DataFrame(rows), dyads)


def dispute_concentration(scenario, runs: int = 200, years: int = 30, seed: int = 0, architecture="status-quo",
                          top: int = 3) -> tuple[float, list[tuple[str, float]]]:
    """How concentrated militarised disputes are: the ``top`` dyads' shares of all of them (and their sum).

    A caveat for every claim judged on regional dispute counts: when a few dyads carry most
    disputes, a claim about "the region" is mostly a claim about them.
    """
    from secorder.engine import simulate

    res = simulate(scenario, runs=runs, years=years, seed=seed, architecture=architecture, record="full")
    table = dyad_differences(res.events, res.events.iloc[:0], EVENT_OUTCOMES["disputes_per_decade"], runs, years)
    total = table["architecture"].sum()
    rows = [(r.dyad, r.architecture / total) for r in table.head(top).itertuples()] if total else []
    return sum(s for _, s in rows), rows


__all__ = ["EVENT_OUTCOMES", "Attribution", "attribute", "dispute_concentration", "dyad_differences"]
