"""Comparing architectures on common random numbers.

``compare`` runs every architecture on the same scenario, seed and run indices, so run ``r``
of every architecture sees the same shocks and draws. Differences between architectures are
then *paired*: for each outcome, the per-run difference against a baseline, its mean and a
confidence interval (Student t over runs). With identical architectures every paired
difference is exactly zero.

A comparison is nothing more than the concatenation of each architecture's tidy outcomes table
(every row carries scenario, architecture, parameter hash, seed and run) plus paired statistics
on the runs they have in common (:func:`paired_statistics`), so it can equally be computed from
results folders saved separately.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from secorder._atomic import atomic_folder
from secorder._version import __version__
from secorder.architectures import Architecture, Lever, load_architecture
from secorder.checkpoint import CHECKPOINT_EVERY, CheckpointSet
from secorder.engine import simulate, simulate_spec
from secorder.errors import InputError
from secorder.metrics import OUTCOMES, get_outcome
from secorder.params import Params
from secorder.results import RUN_KEY, Results, concat_tables
from secorder.scenario import Scenario, load_scenario
from secorder.spec import ParamsFile, RunSpec, read_params_file, resolve_seed

KEY_OUTCOMES = (
    "disputes_per_decade", "fatal_disputes_per_decade", "wars_per_decade", "battle_deaths",
    "arms_burden_pct", "arms_race_episodes", "mean_trust_final", "regime_challenges_per_decade",
    "order_index_final", "ally_cost_bn", "leader_ally_cost_bn",
)
WORKLOAD = ("ended_forum_per_decade", "ended_concert_per_decade", "ended_deterrence_per_decade",
            "ended_settlement_per_decade", "ended_dispute_per_decade", "ended_war_per_decade")


def paired_interval(diff: np.ndarray, level: float = 0.90) -> tuple[float, float, float]:
    """Mean of paired differences and its two-sided ``level`` confidence interval."""
    n = diff.size
    if n == 0:  # no runs in common: nothing to pair
        return float("nan"), float("nan"), float("nan")
    mean = float(diff.mean())
    if n < 2:
        return mean, mean, mean
    se = float(diff.std(ddof=1) / np.sqrt(n))
    if se == 0.0:
        return mean, mean, mean
    t = stats.t.ppf(0.5 + level / 2, n - 1)
    return mean, mean - t * se, mean + t * se


def paired_statistics(
    outcomes: pd.DataFrame, baseline: str, names: Sequence[str] | None = None, level: float = 0.90
) -> pd.DataFrame:
    """Per outcome and architecture: mean, central interval and paired difference.

    The mean and central ``level`` interval across its runs, and the mean paired difference
    against ``baseline`` with its ``level`` confidence interval.

    ``outcomes`` is a tidy outcomes table of several architectures (the concatenation of their
    ``Results.to_pandas("outcomes")``). Differences are paired on the runs an architecture has in
    common with the baseline (equal scenario, seed and run: the same random draws).
    """
    missing = [c for c in (*RUN_KEY, "architecture", "outcome", "value") if c not in outcomes]
    if missing:
        raise ValueError(f"outcomes table lacks the columns {missing}")
    archs = (list(outcomes["architecture"].cat.categories)
             if isinstance(outcomes["architecture"].dtype, pd.CategoricalDtype)
             else list(dict.fromkeys(outcomes["architecture"])))
    archs = [a for a in archs if (outcomes["architecture"] == a).any()]
    if baseline not in archs:
        raise ValueError(f"baseline {baseline!r} is not among the architectures {archs}")
    keys = [*RUN_KEY, "outcome", "architecture"]
    frame = outcomes[keys + ["value"]].astype({"architecture": str, "outcome": str})
    if frame.duplicated(keys).any():
        raise ValueError("outcomes table has more than one value per scenario, seed, run, outcome and architecture")
    # one column per architecture, rows in (scenario, seed, run) order: each run paired with itself
    wide = frame.set_index(keys)["value"].unstack("architecture")
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for o in list(names or [n for n in OUTCOMES if n in set(frame["outcome"])]):
        per_run = wide.xs(o, level="outcome")
        base = np.ascontiguousarray(per_run[baseline].to_numpy())
        for a in archs:
            col = np.ascontiguousarray(per_run[a].to_numpy())
            own = ~np.isnan(col)
            common = own & ~np.isnan(base)
            v = np.ascontiguousarray(col[own])
            d, d_lo, d_hi = paired_interval(col[common] - base[common], level)
            rows.append({
                "outcome": o, "label": get_outcome(o).label, "architecture": a,
                "mean": float(v.mean()), "q_low": float(np.quantile(v, lo_q)),
                "q_high": float(np.quantile(v, hi_q)), "diff": d, "diff_low": d_lo, "diff_high": d_hi,
            })
    return pd.DataFrame(rows)


@dataclass
class Comparison:
    """Results of several architectures on the same futures."""

    scenario: Scenario
    baseline: str
    runs: int
    years: int
    seed: int
    results: dict[str, Results]
    level: float = 0.90
    _table: pd.DataFrame | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (f"Comparison(scenario={self.scenario.name!r}, architectures={self.architectures!r}, "
                f"baseline={self.baseline!r}, runs={self.runs}, years={self.years}, seed={self.seed!r})")

    @property
    def architectures(self) -> list[str]:
        """The architectures compared, in order."""
        return list(self.results)

    def paired(self, outcome: str, architecture: str) -> np.ndarray:
        """Per-run differences of an outcome: architecture minus baseline."""
        return self.results[architecture].outcomes[outcome] - self.results[self.baseline].outcomes[outcome]

    def table(self, outcomes: Sequence[str] | None = None) -> pd.DataFrame:
        """Per outcome and architecture: mean, central interval and paired difference.

        The mean and central interval across runs, and the paired difference against the
        baseline with its confidence interval (:func:`paired_statistics` over :meth:`to_pandas`).
        """
        if self._table is None:
            self._table = paired_statistics(self.to_pandas(), self.baseline, level=self.level)
        if outcomes is None:
            return self._table.copy()
        unknown = [o for o in outcomes if o not in set(self._table["outcome"])]
        if unknown:
            raise KeyError(f"unknown outcomes {unknown}; choose from: {', '.join(OUTCOMES)}")
        order = {o: i for i, o in enumerate(outcomes)}
        picked = self._table[self._table["outcome"].isin(order)]
        return picked.sort_values("outcome", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)

    def to_pandas(self) -> pd.DataFrame:
        """Tidy per-run outcomes of every architecture, concatenated.

        Columns as in ``Results.to_pandas("outcomes")``; ``architecture`` ordered as compared.
        """
        return concat_tables([res.to_pandas("outcomes") for res in self.results.values()])

    def time_paths(self) -> pd.DataFrame:
        """Tidy yearly means across runs of every architecture, concatenated (as ``system_mean``)."""
        return concat_tables([res.to_pandas("system_mean") for res in self.results.values()])

    def manifest(self) -> dict:
        """What the comparison's ``manifest.json`` records (version, scenario, baseline, runs, ...)."""
        base = self.results[self.baseline]
        return {
            "package": "secorder", "version": __version__, "scenario": self.scenario.name,
            "architectures": self.architectures, "baseline": self.baseline, "seed": self.seed,
            "runs": self.runs, "years": self.years, "parameter_hash": base.params.hash(),
            "confidence_level": self.level,
            **_spec_summary(self.results),
        }

    def save(
        self, out: str | Path, force: bool = False, *, figures: Callable[[Path], Sequence[Path]] | None = None,
        attributions: Sequence[Any] = (),
    ) -> Path:
        """comparison.csv, outcomes.parquet, time_paths.parquet and manifest.json, atomically.

        An existing ``out`` is replaced only if it is secorder output (or ``force=True``).
        ``figures``, if given, draws into the temporary folder and returns the files it wrote;
        ``secorder.report.save_comparison`` uses it to add the standard plots. Each of
        ``attributions`` (:class:`~secorder.experiments.attribution.Attribution`) is written as
        ``attribution-ARCH.csv`` and ``dyads-ARCH.csv``.
        """
        with atomic_folder(out, force=force) as tmp:
            self.table().to_csv(tmp / "comparison.csv", index=False)
            self.to_pandas().to_parquet(tmp / "outcomes.parquet", index=False)
            self.time_paths().to_parquet(tmp / "time_paths.parquet", index=False)
            manifest = self.manifest()
            for att in attributions:
                att.mechanisms.to_csv(tmp / f"attribution-{att.architecture}.csv", index=False)
                att.dyads.to_csv(tmp / f"dyads-{att.architecture}.csv", index=False)
                manifest.setdefault("attribution", {})[att.architecture] = {
                    "outcome": att.outcome, "difference": att.difference, "low": att.low, "high": att.high}
            if figures is not None:
                manifest["plots"] = [Path(p).name for p in figures(tmp)]
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        return Path(out)


def _spec_summary(results: dict[str, Results]) -> dict:
    """What every architecture's run specification shares, and each one's parameter hash."""
    specs = {a: r.spec for a, r in results.items() if r.spec is not None}
    if not specs:
        return {}
    first = next(iter(specs.values()))
    return {
        "levers": [lv.model_dump(mode="json", exclude_none=True) for lv in first.levers],
        "overrides": dict(first.overrides),
        "params_file": first.params_file.to_dict() if first.params_file else None,
        "parameter_hashes": {a: s.params.hash() for a, s in specs.items()},
    }


def compare(
    scenario: Scenario | str,
    architectures: Sequence[str | Architecture],
    runs: int = 1000,
    years: int = 30,
    seed: int = 0,
    baseline: str | None = None,
    levers: Sequence[Lever | dict] = (),
    params: Params | dict[str, float] | None = None,
    level: float = 0.90,
    progress: bool = False,
    workers: int | None = None,
    record: str = "summary",
    params_file: str | Path | ParamsFile | None = None,
    overrides_field: str = "params",
    checkpoint: str | Path | Callable[[list[RunSpec]], CheckpointSet] | None = None,
    resume: bool = False,
    checkpoint_every: int = CHECKPOINT_EVERY,
) -> Comparison:
    """Run each architecture on the same futures and pair the outcomes against a baseline.

    ``levers`` are switched on in every architecture; ``params`` and ``params_file`` apply to
    every architecture, after its own parameters (see :mod:`secorder.spec`). The baseline
    defaults to the first architecture. By default each architecture keeps only per-run
    outcomes and yearly means (``record="summary"``), so memory stays small for many
    architectures; ``record="auto"`` or ``"full"`` also keeps the per-run series, so figures
    can show paired yearly differences with confidence bands.

    ``checkpoint``: a folder where each architecture's finished chunks are written every
    ``checkpoint_every`` chunks (one sub-folder each), removed when the comparison is complete;
    with ``resume=True`` an interrupted comparison continues from it, with the same results
    (:mod:`secorder.checkpoint`). A function of the run specs that returns a
    :class:`~secorder.checkpoint.CheckpointSet` may be given instead (the command line does).
    """
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer) or runs < 2:
        raise InputError([("runs", f"must be a whole number >= 2 (paired intervals need two runs), got {runs!r}")])
    if isinstance(architectures, str):
        architectures = [a.strip() for a in architectures.split(",") if a.strip()]
    sc = load_scenario(scenario)
    archs = [load_architecture(a) for a in architectures]
    names = [a.name for a in archs]
    if len(set(names)) != len(names):
        raise InputError([("architectures", f"each architecture must appear once, got {names}")])
    if not archs:
        raise InputError([("architectures", "name at least one architecture")])
    base = baseline or names[0]
    if base not in names:
        raise InputError([("baseline", f"{base!r} is not among the compared architectures {names}")])
    if not 0 < level < 1:
        raise InputError([("level", f"must be in (0, 1), got {level}")])
    if isinstance(runs, int) and not isinstance(runs, bool) and runs < 2:
        raise InputError([("runs", f"a comparison needs at least 2 runs per architecture, got {runs}")])
    if params_file is not None and not isinstance(params_file, ParamsFile):
        params_file = read_params_file(params_file)  # read and checked once for every architecture
    seed = resolve_seed(seed)  # once, so every architecture sees the same futures even for seed=None
    specs = [RunSpec.build(sc, years=years, runs=runs, seed=seed, params=params, params_file=params_file,
                           record=record, architecture=a, levers=levers, workers=workers,
                           overrides_field=overrides_field) for a in archs]
    if checkpoint is None:
        if resume:
            raise InputError([("resume", "needs the checkpoint folder of the interrupted comparison (checkpoint=...)")])
        results = {spec.architecture_name: simulate(spec, progress=progress) for spec in specs}
    else:
        ckset = checkpoint(specs) if callable(checkpoint) else CheckpointSet(checkpoint, specs, every=checkpoint_every,
                                                                             resume=resume)
        results = {spec.architecture_name: simulate_spec(spec, progress=progress, checkpoint=ck)
                   for spec, ck in zip(specs, ckset.open(), strict=True)}
        ckset.finish()
    return Comparison(sc, base, runs, years, seed, results, level)
