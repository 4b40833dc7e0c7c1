"""Feasibility of regional orders: the F2 conditions over a run, and whether arrangements would form.

:func:`feasibility` asks, for each of the seven mechanisms that could complement a cooperative
forum (M3), whether the states would build it (or keep it) within a horizon, beside its effect
once in place.

:func:`condition_paths` simulates a scenario and returns the yearly paths of the F2
conditions (computed from the run by :mod:`secorder.mechanisms.conditions`) with bands
across runs: which condition binds, and how it moves.

>>> p = condition_paths("northeast-asia-2003", years=3, runs=8, seed=0)
>>> list(p.table.columns)
['year', 'condition', 'mean', 'median', 'low', 'high']
>>> set(p.table["condition"]) == set(CONDITIONS)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from secorder.world import CONDITIONS

__all__ = [
    "CONDITIONS", "SEVEN", "Candidate", "ConditionPaths", "Feasibility", "candidate_institutions", "condition_paths",
    "feasibility", "linchpin_id",
]

CONDITION_LABELS = {
    "arrangements": "(a) existing arrangements",
    "interdependence": "(b) interdependence",
    "threat": "(c) common threat",
    "support": "(d) support of the key actors",
    "leadership": "(d1) leadership: a major power sponsors",
    "willingness": "(d2) willingness to accept rules",
}


@dataclass(frozen=True)
class ConditionPaths:
    """Yearly paths of the F2 conditions across runs: mean, median and a band per condition."""

    label: str
    charter: str  # whose conditions: the first potential regime, or the whole region
    table: pd.DataFrame  # year, condition, mean, median, low, high
    level: float  # the band's coverage, e.g. 0.8 for the 10th-90th percentiles

    def final(self) -> pd.DataFrame:
        """The last year's row of each condition, indexed by condition."""
        last = self.table[self.table["year"] == self.table["year"].max()]
        return last.set_index("condition").loc[list(CONDITIONS)]

    def plot(self, path: str | Path | None = None):
        """Median path and band of each condition, one panel each; saved if ``path``."""
        from secorder.report.plots import _pyplot, save_figure

        plt = _pyplot()
        fig, axes = plt.subplots(2, 3, figsize=(12, 6), sharex=True, sharey=True)
        for ax, c in zip(axes.ravel(), CONDITIONS, strict=True):
            d = self.table[self.table["condition"] == c]
            ax.fill_between(d["year"], d["low"], d["high"], color="#4a7ab7", alpha=0.25,
                            label=f"{self.level:.0%} of runs")
            ax.plot(d["year"], d["median"], color="#1f3f73", label="median")
            ax.plot(d["year"], d["mean"], color="#1f3f73", ls="--", lw=0.8, label="mean")
            ax.set_title(CONDITION_LABELS[c], fontsize=10)
            ax.set_ylim(0, 1)
        axes[0, 0].legend(fontsize=8, loc="upper left")
        fig.suptitle(f"F2 conditions of {self.charter}: {self.label}", fontsize=10)
        return save_figure(fig, None if path is None else Path(path))


def _charter_name(scenario) -> str:
    potential = [i for i in scenario.institutions if i.status == "potential"]
    return potential[0].name if potential else "the whole region"


def paths_of(res, level: float = 0.8) -> ConditionPaths:
    """:class:`ConditionPaths` of a finished simulation that kept its per-run series."""
    if res.system is None:
        raise ValueError("the results kept no per-run series; simulate with record='full'")
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    years = res.year_index
    rows = []
    for c in CONDITIONS:
        v = np.asarray(res.system[f"condition_{c}"], dtype=float)  # (R,T)
        rows.append(pd.DataFrame({
            "year": years, "condition": c, "mean": v.mean(axis=0), "median": np.median(v, axis=0),
            "low": np.quantile(v, lo_q, axis=0), "high": np.quantile(v, hi_q, axis=0),
        }))
    label = f"{res.scenario.name} ({res.architecture}), {res.runs:,} runs x {res.years} years, seed {res.seed}"
    return ConditionPaths(label, _charter_name(res.scenario), pd.concat(rows, ignore_index=True), level)


def condition_paths(
    scenario: Any = "northeast-asia-2003",
    *,
    years: int = 30,
    runs: int = 200,
    seed: int = 0,
    params: Mapping[str, float] | None = None,
    architecture: Any = "status-quo",
    level: float = 0.8,
    overrides_field: str = "params",
) -> ConditionPaths:
    """Simulate ``scenario`` and return the F2 conditions' yearly paths with ``level`` bands."""
    from secorder.engine import simulate
    from secorder.errors import InputError
    from secorder.spec import RunSpec

    if not 0 < level < 1:
        raise InputError(f"must be between 0 and 1 (exclusive), got {level!r}", field="level")

    spec = RunSpec.build(scenario, years=years, runs=runs, seed=seed, params=params, architecture=architecture,
                         record="full", overrides_field=overrides_field)
    return paths_of(simulate(spec), level)


# ---------------------------------------------------------------------------------------------
# Feasibility of the seven complementing mechanisms (M3)

@dataclass(frozen=True)
class Candidate:
    """One of the seven mechanisms of the multi-layered structure (M3) and how it is judged."""

    name: str
    title: str
    arm: str  # the built-in architecture that puts it in place (its effect)
    kind: str  # "build": its arm's new institutions must form; "keep": the linchpin must last;
    #            "self-help": no binding arrangement may remain


SEVEN: tuple[Candidate, ...] = (
    Candidate("hegemony", "Hegemony (hub and spokes)", "hegemony", "build"),
    Candidate("collective-security", "Collective security", "collective-security", "build"),
    Candidate("collective-defense", "NATO-type collective defence", "collective-defense", "build"),
    Candidate("concert", "Concert of great powers", "concert", "build"),
    Candidate("self-help", "Self-help", "self-help", "self-help"),
    Candidate("alt-bilateral", "Another bilateral alliance in place of the linchpin", "alt-bilateral", "build"),
    Candidate("linchpin", "The linchpin alliance itself (e.g. US-Japan)", "status-quo", "keep"),
)
EFFECT_OUTCOMES = ("fatal_disputes_per_decade", "wars_per_decade", "order_index_final")
# binding arrangements: what self-help lacks (forums, regimes and economic bodies defend no one)
BINDING_TYPES = ("bilateral_alliance", "collective_defense", "collective_security", "concert")


def _key(inst) -> tuple[str, frozenset[str]]:
    return inst.type, frozenset(inst.members)


def candidate_institutions(scenario, arm: str) -> list:
    """The institutions ``arm`` would add to ``scenario`` (same type and members as none there), as potential."""
    from secorder.architectures import apply_architecture

    shaped = apply_architecture(scenario, arm).scenario
    have = {_key(i) for i in scenario.institutions}
    ids = {i.id for i in scenario.institutions}
    out = []
    for inst in shaped.institutions:
        if _key(inst) in have:
            continue
        new_id = inst.id if inst.id not in ids else f"{inst.id}-new"
        out.append(inst.model_copy(update={"status": "potential", "id": new_id}))
    return out


def linchpin_id(scenario) -> str | None:
    """The leading state's bilateral alliance with its most capable partner (the arm ``alt-bilateral`` replaces)."""
    from secorder.architectures.selectors import capability_shares, leader

    lead = leader(scenario)
    mine = [i for i in scenario.institutions if i.type == "bilateral_alliance" and lead in i.members
            and i.status == "active"]
    if not mine:
        return None
    share = dict(zip(scenario.codes, capability_shares(scenario), strict=True))
    return max(mine, key=lambda i: max(share[m] for m in i.members if m != lead)).id


def _with_institutions(scenario, extra: list):
    from secorder.scenario.schema import Scenario

    data = scenario.model_dump()
    data["institutions"] = [*data["institutions"], *(i.model_dump() for i in extra)]
    return Scenario.model_validate(data)


def _in_place(res, ids: list[str]) -> np.ndarray:
    """(R,T) whether every institution in ``ids`` has at least two members in each year."""
    index = [res.scenario.institutions.index(next(i for i in res.scenario.institutions if i.id == k)) for k in ids]
    members = np.asarray(res.institutions["members"])[:, :, index]  # (R,T,len)
    return (members >= 2).all(axis=2)


def _no_binding(res) -> np.ndarray:
    """(R,T) years in which no binding arrangement (alliance, concert, collective body) has two members."""
    index = [k for k, i in enumerate(res.scenario.institutions) if i.type in BINDING_TYPES]
    if not index:
        return np.ones((res.runs, res.years), dtype=bool)
    return ~(np.asarray(res.institutions["members"])[:, :, index] >= 2).any(axis=2)


@dataclass(frozen=True)
class Feasibility:
    """Whether each of the seven mechanisms would form and last, beside its effect once in place."""

    label: str
    table: pd.DataFrame  # one row per mechanism
    horizon: int
    runs: int

    def plot(self, path: str | Path | None = None):
        """Bars of P(forms), P(in place at the horizon), beside the effect on fatal disputes; saved if ``path``."""
        from secorder.report.plots import _pyplot, save_figure

        plt = _pyplot()
        t = self.table.iloc[::-1]
        fig, (ax, bx) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [1.2, 1]}, sharey=True)
        y = np.arange(len(t))
        ax.barh(y + 0.2, t["p_forms"], height=0.4, color="#4a7ab7", label=f"forms (or exists) within {self.horizon} y")
        ax.barh(y - 0.2, t["p_in_place_at_horizon"], height=0.4, color="#1f3f73", label="in place at the horizon")
        ax.set_yticks(y, t["title"], fontsize=8)
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of runs")
        ax.legend(fontsize=8, loc="best")
        ax.set_title("Would it come about?")
        d = t["effect_fatal_disputes_per_decade"]
        err = np.vstack([d - t["effect_fatal_disputes_per_decade_low"], t["effect_fatal_disputes_per_decade_high"] - d])
        bx.barh(y, d, xerr=err, color=np.where(d <= 0, "#5a9a5a", "#b74a4a"))
        bx.axvline(0, color="black", lw=0.8)
        bx.set_xlabel("fatal disputes per decade, vs the status quo")
        bx.set_title("Its effect once in place")
        fig.suptitle(self.label, fontsize=9)
        return save_figure(fig, None if path is None else Path(path))


def feasibility(
    scenario: Any = "northeast-asia-2003",
    *,
    horizon: int = 30,
    runs: int = 200,
    seed: int = 0,
    params: Mapping[str, float] | None = None,
    mechanisms: tuple[str, ...] | None = None,
    level: float = 0.90,
    overrides_field: str = "params",
) -> Feasibility:
    """For each of the seven mechanisms of M3: would it form (and survive) within ``horizon`` years, and its effect.

    A mechanism that needs new institutions (its built-in arm's, :func:`candidate_institutions`)
    gets them as *potential* institutions on top of the scenario; the states decide each year
    whether to build, join or leave them (:mod:`secorder.mechanisms.institutions`). The linchpin
    alliance (the leader's alliance with its most capable partner) exists: it is *kept* if it
    still has both members at the horizon. Self-help is in place in a year in which no binding
    arrangement (alliance, concert, collective body) is left. Every simulation uses the same
    seed (common random numbers). The effect is the arm's paired difference against the status
    quo (:func:`secorder.experiments.compare.compare`); the linchpin's is the status quo against
    the scenario without it.
    """
    from secorder.engine import simulate
    from secorder.errors import InputError
    from secorder.experiments.compare import compare, paired_interval
    from secorder.scenario import load_scenario
    from secorder.spec import RunSpec

    problems = []
    for name, value, lo in (("horizon", horizon, 1), ("runs", runs, 2)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < lo:
            problems.append((name, f"must be a whole number >= {lo}, got {value!r}"))
    known = [c.name for c in SEVEN]
    chosen = [c for c in SEVEN if mechanisms is None or c.name in mechanisms]
    for m in mechanisms or ():
        if m not in known:
            problems.append(("mechanisms", f"unknown mechanism {m!r}; known: {', '.join(known)}"))
    if problems:
        raise InputError(problems)
    sc = load_scenario(scenario)

    def run(s, architecture="status-quo"):
        spec = RunSpec.build(s, years=horizon, runs=runs, seed=seed, params=params, architecture=architecture,
                             record="full", overrides_field=overrides_field)
        return simulate(spec)

    base = run(sc)
    arms = [c.arm for c in chosen if c.kind != "keep"]
    comp = compare(sc, ["status-quo", *arms], runs=runs, years=horizon, seed=seed, params=params, level=level,
                   overrides_field=overrides_field) if arms else None
    rows = []
    for c in chosen:
        row: dict[str, Any] = {"mechanism": c.name, "title": c.title, "arm": c.arm, "institutions": ""}
        if c.kind == "build":
            extra = candidate_institutions(sc, c.arm)
            row["institutions"] = ", ".join(i.name for i in extra)
            if not extra:
                placed = np.ones((runs, horizon), dtype=bool)  # the scenario already has it
            else:
                placed = _in_place(run(_with_institutions(sc, extra)), [i.id for i in extra])
        elif c.kind == "keep":
            pin = linchpin_id(sc)
            row["institutions"] = pin or ""
            placed = _in_place(base, [pin]) if pin else np.zeros((runs, horizon), dtype=bool)
        else:
            placed = _no_binding(base)
        ever = placed.any(axis=1)
        first = np.where(ever, placed.argmax(axis=1), -1)
        row["exists_at_start"] = bool(c.kind == "keep" and row["institutions"])
        row["p_forms"] = float(ever.mean())
        row["p_in_place_at_horizon"] = float(placed[:, -1].mean())
        row["p_survives_if_formed"] = float(placed[ever, -1].mean()) if ever.any() else float("nan")
        row["median_years_to_form"] = float(np.median(first[ever]) + 1) if ever.any() else float("nan")
        for o in EFFECT_OUTCOMES:
            if c.kind == "keep":
                if row["institutions"]:
                    without = run(load_scenario(_without(sc, row["institutions"])))
                    diff = base.outcomes[o] - without.outcomes[o]
                else:
                    diff = np.full(runs, np.nan)
            else:
                diff = comp.paired(o, c.arm)
            d, lo, hi = paired_interval(diff, level) if np.isfinite(diff).all() else (np.nan, np.nan, np.nan)
            row[f"effect_{o}"], row[f"effect_{o}_low"], row[f"effect_{o}_high"] = d, lo, hi
        rows.append(row)
    label = (f"{sc.name}: feasibility within {horizon} years and effect once in place, {runs:,} runs, seed {seed} "
             f"(effects: {level:.0%} paired intervals)")
    return Feasibility(label, pd.DataFrame(rows), horizon, runs)


def _without(scenario, inst_id: str) -> dict:
    data = scenario.model_dump()
    data["institutions"] = [i for i in data["institutions"] if i["id"] != inst_id]
    return data
