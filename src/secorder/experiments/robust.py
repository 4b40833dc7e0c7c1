"""Robust verdicts: each claim's test repeated across what we do not know about the parameters.

A design of parameter draws is taken over the documented ranges of the parameter registry
(:mod:`secorder.explore.design`: a Latin hypercube over the union of the claims' ``uncertain``
parameters, shared by every claim so that their common arms are simulated once per draw;
Saltelli's Sobol scheme per claim; or the rows of a parameter-sample file such as draws from
a calibrated posterior). At every draw each claim's experiment is run and judged by the same
rules as the baseline (:mod:`secorder.experiments.framework`). Per claim the report gives the
share of draws that support it, contradict it, or are inconclusive, and the parameters that
decide it: Sobol indices of the verdict score (+1 supported, 0 inconclusive, -1 contradicted)
for a Sobol design; otherwise the rank correlation of each parameter with the score and the box
a PRIM search finds around the draws that contradict the claim (or support it, if it is
mostly contradicted).

The machinery (:func:`robust_verdicts`, :func:`deciders`) takes any judge, a function of the
parameter values, so it is tested on a toy model whose answer is known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from secorder.errors import InputError
from secorder.experiments.framework import VERDICTS, ArmRunner, Claim, evaluate_claim
from secorder.explore.design import Design, sample
from secorder.params import Params

SCORE = {"supported": 1.0, "inconclusive": 0.0, "contradicted": -1.0}
SAMPLERS = ("lhs", "sobol")


@dataclass
class Robustness:
    """One claim across the draws: each draw's verdict, the shares, and what decides it."""

    claim: str
    design: Design
    verdicts: list[str]
    deciders: pd.DataFrame  # parameter, measure columns (S1/ST, or rank correlation), sorted by importance
    box: pd.DataFrame = field(default_factory=pd.DataFrame)  # PRIM box: input, low, high
    box_condition: str = ""
    box_density: float = float("nan")
    box_coverage: float = float("nan")
    reversed: list[bool] = field(default_factory=list)  # per draw: a test contradicted by an effect of the opposite sign

    @property
    def can_reverse(self) -> bool:
        """Whether any draw contradicts the claim by a reversed effect, not merely a negligible one."""
        return any(self.reversed) if self.reversed else "contradicted" in self.verdicts

    @property
    def shares(self) -> dict[str, float]:
        """Share of draws with each verdict."""
        n = max(len(self.verdicts), 1)
        return {v: sum(x == v for x in self.verdicts) / n for v in VERDICTS}

    def flips(self) -> str:
        """One line: which parameters, in which part of their range, turn the verdict."""
        if self.box_condition and not self.box.empty:
            limits = ", ".join(f"`{r.input}` in [{r.low:.3g}, {r.high:.3g}]" for r in self.box.itertuples())
            return (f"{self.box_condition} in {self.box_density:.0%} of the draws with {limits} "
                    f"(covering {self.box_coverage:.0%} of such draws)")
        if len(set(self.verdicts)) <= 1:
            return f"no draw gave another verdict ({len(self.verdicts)} draws)"
        top = self.deciders.head(2)
        if top.empty:
            return "no parameter decides it"
        return "most influential: " + ", ".join(f"`{p}`" for p in top["parameter"])


def robust_verdicts(judge: Callable[[dict[str, float]], Any], design: Design, workers: int = 1
                    ) -> list[Any]:
    """``judge`` at every point of ``design``, in order (over ``workers`` processes when > 1)."""
    points = [design.values(p) for p in range(design.n_points)]
    if workers <= 1:
        return [judge(v) for v in points]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(judge, points))


def deciders(design: Design, verdicts: Sequence[str], seed: int = 0) -> pd.DataFrame:
    """What decides the verdict: Sobol S1/ST of the score (Sobol design) or rank correlations (otherwise)."""
    y = np.array([SCORE[v] for v in verdicts])
    if design.method == "sobol":
        from secorder.explore.sensitivity import sobol_indices

        if np.ptp(y) == 0:
            return pd.DataFrame({"parameter": list(design.names), "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0})
        t = sobol_indices(design.problem(), y, second_order=design.second_order, seed=seed)
        return t.sort_values("ST", ascending=False, key=lambda s: s.fillna(0)).reset_index(drop=True)
    from scipy.stats import spearmanr

    rows = []
    for d, name in enumerate(design.names):
        x = design.points[:, d]
        rho = 0.0 if np.ptp(y) == 0 or np.ptp(x) == 0 else float(spearmanr(x, y).statistic)
        rows.append({"parameter": name, "rank_correlation": rho})
    t = pd.DataFrame(rows)
    return t.reindex(t["rank_correlation"].abs().sort_values(ascending=False).index).reset_index(drop=True)


def find_box(design: Design, verdicts: Sequence[str], target: str, density: float = 0.8):
    """A PRIM box around the draws with verdict ``target`` (None if there are too few of them)."""
    from secorder.explore.discover import prim_boxes

    y = np.array([v == target for v in verdicts])
    if y.sum() < 3 or y.all():
        return None
    x = pd.DataFrame(design.points, columns=list(design.names))
    try:
        found = prim_boxes(x, y, density=density, condition=target)
    except Exception:  # PRIM can fail on degenerate inputs; the correlations still stand
        return None
    import matplotlib.pyplot as plt

    plt.close(found.figure)
    return found


def summarise(claim: str, design: Design, verdicts: Sequence[str], seed: int = 0,
              reversed: Sequence[bool] = ()) -> Robustness:
    """Shares, deciders and the PRIM box of the minority verdict, for one claim."""
    verdicts = list(verdicts)
    r = Robustness(claim, design, verdicts, deciders(design, verdicts, seed), reversed=list(reversed))
    if design.method != "sobol":
        shares = r.shares
        target = "supported" if shares["contradicted"] > shares["supported"] else "contradicted"
        found = find_box(design, verdicts, target)
        if found is not None:
            r.box, r.box_condition = found.box, target
            r.box_density, r.box_coverage = found.density, found.coverage
    return r


# ------------------------------------------------------------------------------ the claims
def registry_bounds(names: Sequence[str]) -> list[tuple[float, float]]:
    """The documented range of each named parameter."""
    meta = Params.metadata()
    return [tuple(meta[n]["range"]) for n in names]


def read_sample(path: str | Path) -> Design:
    """A parameter-sample file (CSV or Parquet, one column per parameter, one row per draw) as a design."""
    p = Path(path)
    if not p.is_file():
        raise InputError([(str(p), "no such parameter-sample file")])
    frame = pd.read_parquet(p) if p.suffix == ".parquet" else pd.read_csv(p)
    meta = Params.metadata()
    names = [c for c in frame.columns if c in meta]
    extra = [c for c in frame.columns if c not in meta and c not in ("draw", "weight")]
    if extra or not names:
        raise InputError([(str(p), f"unknown parameter column(s) {extra}" if extra else "names no parameter")])
    for n in names:
        lo, hi = meta[n]["range"]
        col = frame[n].to_numpy(dtype=float)
        if not np.isfinite(col).all() or col.min() < lo or col.max() > hi:
            raise InputError([(f"{p}: {n}", f"values must be finite and inside the documented range [{lo}, {hi}]")])
    return Design("file", tuple(names), tuple(registry_bounds(names)), frame[names].to_numpy(dtype=float))


def catalogue_design(claims: Sequence[Claim], draws: int, seed: int = 0) -> Design:
    """A Latin hypercube of ``draws`` points over the union of the claims' uncertain parameters."""
    names = list(dict.fromkeys(p for c in claims for p in c.uncertain))
    return sample("lhs", names, registry_bounds(names), samples=draws, seed=seed)


def claim_design(claim: Claim, base_samples: int, seed: int = 0) -> Design:
    """Saltelli's Sobol design over one claim's uncertain parameters (``base_samples * (D + 2)`` points)."""
    return sample("sobol", claim.uncertain, registry_bounds(claim.uncertain), samples=base_samples, seed=seed)


@dataclass(frozen=True)
class _DrawJudge:
    """Picklable: every claim's verdict at one parameter draw (a fresh runner per draw)."""

    claims: tuple[Claim, ...]
    runs: int
    years: int
    seed: int
    base: Mapping[str, float]

    def __call__(self, values: dict[str, float]) -> dict[str, tuple[str, bool]]:
        runner = ArmRunner(self.runs, self.years, self.seed, workers=1)
        params = {**self.base, **values}
        out = {}
        for c in self.claims:
            tests, verdict, _ = evaluate_claim(c, runner, params)
            out[c.id] = (verdict, any(t.verdict == "contradicted" and t.evidence.route != "negligible" for t in tests))
        return out


def robust_catalogue(
    claims: Sequence[Claim], draws: int = 256, runs: int = 200, years: int = 30, seed: int = 0,
    sampler: str = "lhs", sample_file: str | Path | None = None, params: Mapping[str, float] | None = None,
    workers: int = 1,
) -> dict[str, Robustness]:
    """Every claim judged at every draw of a design; see the module docstring.

    ``sampler="lhs"`` (or a ``sample_file``) shares one design among the claims; ``"sobol"``
    draws one per claim with base size ``draws // (D + 2)`` rounded to a power of two, so about
    ``draws`` points each. Draws run over ``workers`` processes (the result does not depend on it).
    """
    if sampler not in SAMPLERS:
        raise InputError([("sampler", f"must be one of {', '.join(SAMPLERS)}, got {sampler!r}")])
    claims = tuple(claims)
    base = dict(params or {})
    if sample_file is not None or sampler == "lhs":
        design = read_sample(sample_file) if sample_file is not None else catalogue_design(claims, draws, seed)
        judged = robust_verdicts(_DrawJudge(claims, runs, years, seed, base), design, workers)
        return {c.id: summarise(c.id, design, [j[c.id][0] for j in judged], seed, [j[c.id][1] for j in judged])
                for c in claims}
    out = {}
    for c in claims:
        n = 2 ** max(int(np.log2(max(draws // (len(c.uncertain) + 2), 1))), 0)
        design = claim_design(c, n, seed)
        judged = robust_verdicts(_DrawJudge((c,), runs, years, seed, base), design, workers)
        out[c.id] = summarise(c.id, design, [j[c.id][0] for j in judged], seed, [j[c.id][1] for j in judged])
    return out


def search_witnesses(claim: Claim, runner: ArmRunner, design: Design | None = None,
                     base: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
    """Settings inside the documented ranges under which the claim gets each verdict, if any are found.

    Tried in order: the defaults, each uncertain parameter alone at either end of its range,
    then the points of ``design``; the first setting found for each verdict is kept (for
    "contradicted", one whose effect is reversed is preferred to one that is merely negligible).
    """
    meta = Params.metadata()
    candidates: list[dict[str, float]] = [{}]
    for p in claim.uncertain:
        candidates += [{p: float(x)} for x in meta[p]["range"]]
    if design is not None:
        candidates += [design.values(k) for k in range(design.n_points)]
    found: dict[str, dict[str, float]] = {}
    negligible: dict[str, float] | None = None
    for setting in candidates:
        tests, verdict, _ = evaluate_claim(claim, runner, {**(base or {}), **setting})
        reversed_ = any(t.verdict == "contradicted" and t.evidence.route != "negligible" for t in tests)
        if verdict == "contradicted" and not reversed_:
            negligible = negligible if negligible is not None else setting
            continue
        found.setdefault(verdict, setting)
        if "supported" in found and "contradicted" in found:
            break
    if "contradicted" not in found and negligible is not None:
        found["contradicted"] = negligible
    return found


def construction_status(verdict: str, robust: Robustness | None, witnessed: Sequence[str] = ()) -> str:
    """How a claim's verdict should be read.

    "true by construction" when the claim is supported but neither a witness nor any draw
    contradicts it by an effect of the opposite sign (a draw that merely switches the channel off
    does not count: the effect's sign is then fixed in advance); "false by construction" in the
    mirror case (nothing supports it); otherwise the verdict itself.
    """
    if robust is None and not witnessed:
        return verdict  # never looked for a setting that could turn it
    seen = set(witnessed) | (set(robust.verdicts) if robust is not None else set())
    if robust is not None and not robust.can_reverse:
        seen.discard("contradicted")
        seen |= {"contradicted"} & set(witnessed)
    if verdict == "supported" and "contradicted" not in seen:
        return "true by construction"
    if verdict == "contradicted" and "supported" not in seen:
        return "false by construction"
    return verdict


__all__ = [
    "SAMPLERS", "SCORE", "Robustness", "catalogue_design", "claim_design", "construction_status", "deciders",
    "find_box", "read_sample", "robust_catalogue", "robust_verdicts", "search_witnesses", "summarise",
]
