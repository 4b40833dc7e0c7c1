"""Run secorder from EMA Workbench workflows: a scenario and architecture wrapped as an EMA ``Model``.

::

    from ema_workbench import perform_experiments
    from secorder.explore.ema import ema_model

    model = ema_model("asia-pacific-2000", uncertainties=["onset_intercept", "war_cost"],
                      architectures=["status-quo", "cooperative-forum"], runs=50, years=10)
    experiments, outcomes = perform_experiments(model, scenarios=20, policies=2)

**Uncertainties** are parameters of the registry (:class:`~secorder.params.Params`) as
``RealParameter`` over their registry ranges, or narrower ranges you give. **Levers** are
the architecture (a ``CategoricalParameter`` over the architectures you name) and, if you
give named lever sets, a ``CategoricalParameter`` over them. **Outcomes** are the outcome
registry's per-run outcomes (:data:`secorder.metrics.OUTCOMES`), each reported as its
mean over the ``runs`` Monte Carlo runs of one experiment. Every experiment uses the same
``seed``, so policies are compared on common random numbers.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from secorder.errors import InputError


def _ema():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import ema_workbench
    return ema_workbench


class SecorderFunction:
    """The callable EMA evaluates: keyword values of uncertainties and levers -> outcome means.

    A class rather than a closure so EMA's multiprocessing evaluator can pickle it.
    """

    def __init__(self, scenario: Any, lever_sets: Mapping[str, Sequence[Any]], outcomes: Sequence[str],
                 runs: int, years: int, seed: int, default_architecture: str, fixed: Mapping[str, float]):
        self.scenario, self.lever_sets, self.outcomes = scenario, dict(lever_sets), list(outcomes)
        self.runs, self.years, self.seed = runs, years, seed
        self.default_architecture, self.fixed = default_architecture, dict(fixed)

    def __call__(self, **kwargs: Any) -> dict[str, float]:
        """Simulate one experiment (the workbench's uncertainties and levers as keywords); its outcomes."""
        from secorder.engine import simulate

        architecture = kwargs.pop("architecture", self.default_architecture)
        levers = self.lever_sets.get(kwargs.pop("levers", None), [])
        res = simulate(self.scenario, years=self.years, runs=self.runs, seed=self.seed,
                       params={**self.fixed, **{k: float(v) for k, v in kwargs.items()}} or None,
                       record="summary", workers=1, architecture=architecture, levers=levers)
        return {name: float(res.outcomes[name].mean()) for name in self.outcomes}


def ema_model(
    scenario: str = "asia-pacific-2000",
    architecture: str = "status-quo",
    *,
    uncertainties: Sequence[str] | Mapping[str, tuple[float, float]] | None = None,
    architectures: Sequence[str] | None = None,
    lever_sets: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    outcomes: Sequence[str] | None = None,
    fixed: Mapping[str, float] | None = None,
    runs: int = 100,
    years: int = 30,
    seed: int = 0,
    name: str | None = None,
):
    """An ``ema_workbench.Model`` that simulates ``scenario`` under an architecture.

    Parameters
    ----------
    scenario:
        A built-in name or a YAML path.
    architecture:
        The architecture when ``architectures`` is not given.
    uncertainties:
        Parameter names (each over its registry range) or ``{name: (low, high)}`` within the
        registry's range. Default: every parameter of the onset and escalation mechanisms.
    architectures:
        Architectures among which EMA chooses as a categorical lever.
    lever_sets:
        ``{set name: [lever mappings]}``: a categorical lever over named sets of policy levers.
    outcomes:
        Outcome names (default: every outcome of the registry).
    fixed:
        Parameter overrides applied in every experiment.
    runs, years, seed:
        Monte Carlo runs per experiment, horizon, and the seed shared by all experiments.

    Raises
    ------
    secorder.errors.InputError
        For an unknown parameter, outcome, architecture or lever, or a range outside the registry's.
    """
    ema = _ema()
    from secorder.architectures import Lever, load_architecture
    from secorder.explore.runner import outcome_names
    from secorder.params import Params
    from secorder.scenario import load_scenario

    meta = Params.metadata()
    sc = load_scenario(scenario)
    if uncertainties is None:
        uncertainties = [n for n, m in meta.items() if m["mechanism"] in ("onset", "escalation")
                         and m["range"][0] < m["range"][1]]
    ranges = dict(uncertainties) if isinstance(uncertainties, Mapping) else {n: meta.get(n, {}).get("range") for n in uncertainties}
    problems = []
    for n, rng in ranges.items():
        if n not in meta:
            problems.append((f"uncertainties.{n}", "unknown parameter (see `secorder parameters`)"))
            continue
        lo_reg, hi_reg = meta[n]["range"]
        lo, hi = rng
        if not (lo_reg <= lo < hi <= hi_reg):
            problems.append((f"uncertainties.{n}", f"[{lo}, {hi}] must be an interval within the registry's range "
                                                   f"[{lo_reg}, {hi_reg}]"))
    outcomes = list(outcomes) if outcomes is not None else outcome_names()
    problems += [(f"outcomes.{o}", "unknown outcome") for o in outcomes if o not in outcome_names()]
    arch_names = [load_architecture(a).name for a in (architectures or [architecture])]
    sets: dict[str, list[Any]] = {}
    for set_name, items in (lever_sets or {}).items():
        try:
            sets[set_name] = [Lever.model_validate(dict(item)) for item in items]
        except Exception as err:  # pydantic's message names the field
            problems.append((f"lever_sets.{set_name}", str(err).splitlines()[0]))
    if fixed:
        try:
            Params().replace(_field="fixed", **fixed)
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    model_name = name or re.sub(r"[^A-Za-z0-9]", "", f"secorder{sc.name}")
    model = ema.Model(model_name, function=SecorderFunction(sc, sets, outcomes, runs, years, seed,
                                                            arch_names[0], fixed or {}))
    model.uncertainties = [ema.RealParameter(n, float(lo), float(hi)) for n, (lo, hi) in ranges.items()]
    levers = []
    if architectures:
        levers.append(ema.CategoricalParameter("architecture", arch_names))
    if sets:
        levers.append(ema.CategoricalParameter("levers", list(sets)))
    model.levers = levers
    model.outcomes = [ema.ScalarOutcome(o) for o in outcomes]
    return model
