"""The experiment framework: design, run, verdict. The claims themselves are in the catalogue.

An :class:`Experiment` (one entry of :mod:`secorder.experiments.claims`) declares a few *arms*
(architectures, possibly with levers, built for a scenario), the scenarios, the tests of the
form "outcome X is higher (or lower, or no different) under arm A than under arm B", the
parameters whose ends of range the verdicts are re-checked at, and the rules that judge it.
:func:`run_experiment` runs every arm on common random numbers, judges each test by the entry's
``verdict_rule`` and each claim by its ``claim_rule``. Nothing here knows what a verdict
"should" be: the numbers come from the runs.

Rules (named, so an entry declares which it uses and new rules are added beside these):

- ``verdict_rule="paired-ci"`` (the default) judges a test by the paired confidence interval:
  **supported** if it lies entirely on the side the claim predicts (for "no difference": inside
  the equivalence margin), **not supported** if entirely on the other side (for "no
  difference": entirely outside the margin), **inconclusive** otherwise;
- ``claim_rule="all-supported"`` (the default): a claim is supported if all its tests are, not
  supported if any is, else inconclusive.

Sensitivity: each test is rerun with each of the entry's ``sensitivity`` parameters at the low
and high ends of its documented range, with ``sensitivity_share`` of the runs (at least 10),
and the report says whether any verdict changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from secorder.architectures import Architecture
from secorder.experiments.compare import Comparison, compare, paired_interval
from secorder.params import Params
from secorder.scenario import Scenario, load_scenario
from secorder.spec import ParamsFile, RunSpec, read_params_file

Arms = Callable[[Scenario], dict[str, Architecture]]
Extra = Callable[[dict[str, Comparison], Params], tuple[list[str], dict[str, str]]]
VERDICTS = ("supported", "not supported", "inconclusive")


@dataclass(frozen=True)
class ClaimTest:
    """Outcome under ``treatment`` vs ``control``: ``direction`` +1 higher, -1 lower, 0 no different."""

    claim: str
    statement: str
    outcome: str
    treatment: str
    control: str
    direction: int
    margin: float = 0.0  # equivalence margin for direction 0


# ------------------------------------------------------------------------------ verdict rules
def paired_ci_verdict(test: ClaimTest, low: float, high: float) -> str:
    """Today's rule: where the paired confidence interval lies (see the module docstring)."""
    if test.direction == 0:
        if -test.margin <= low and high <= test.margin:
            return "supported"
        if low > test.margin or high < -test.margin:
            return "not supported"
        return "inconclusive"
    lo, hi = (low, high) if test.direction > 0 else (-high, -low)
    if lo > 0:
        return "supported"
    if hi < 0:
        return "not supported"
    return "inconclusive"


def all_supported(verdicts: Sequence[str]) -> str:
    """Supported if every test is, not supported if any is not, else inconclusive."""
    if all(v == "supported" for v in verdicts):
        return "supported"
    if any(v == "not supported" for v in verdicts):
        return "not supported"
    return "inconclusive"


VERDICT_RULES: dict[str, Callable[[ClaimTest, float, float], str]] = {"paired-ci": paired_ci_verdict}
CLAIM_RULES: dict[str, Callable[[Sequence[str]], str]] = {"all-supported": all_supported}


@dataclass(frozen=True)
class Verdict:
    """One test's result on one scenario: the paired difference, its interval and the verdict."""

    test: ClaimTest
    scenario: str
    diff: float
    low: float
    high: float
    treatment_mean: float
    control_mean: float
    rule: str = "paired-ci"

    @property
    def verdict(self) -> str:
        """Supported, not supported or inconclusive, by the test's rule on the interval."""
        return VERDICT_RULES[self.rule](self.test, self.low, self.high)


# ------------------------------------------------------------------------------ design
@dataclass(frozen=True)
class Experiment:
    """One catalogue entry: arms, scenarios, tests, sensitivity settings and the rules that judge it."""

    name: str
    title: str
    claims: tuple[str, ...]
    question: str
    scenarios: tuple[str, ...]
    arms: Arms
    tests: tuple[ClaimTest, ...]
    sensitivity: tuple[str, ...]
    notes: str = ""
    # extra tables (Markdown lines) and verdicts on claims judged from them rather than from tests
    extra: Extra | None = None
    verdict_rule: str = "paired-ci"
    claim_rule: str = "all-supported"
    sensitivity_share: float = 0.25  # share of the runs each sensitivity rerun uses (at least 10)

    def __post_init__(self) -> None:
        if self.verdict_rule not in VERDICT_RULES:
            raise ValueError(f"{self.name}: unknown verdict_rule {self.verdict_rule!r}; known: {list(VERDICT_RULES)}")
        if self.claim_rule not in CLAIM_RULES:
            raise ValueError(f"{self.name}: unknown claim_rule {self.claim_rule!r}; known: {list(CLAIM_RULES)}")
        unknown = [p for p in self.sensitivity if p not in Params.metadata()]
        if unknown:
            raise ValueError(f"{self.name}: sensitivity names unknown parameter(s) {unknown}")
        strays = {t.claim for t in self.tests} - set(self.claims)
        if strays:
            raise ValueError(f"{self.name}: tests of claims {sorted(strays)} the entry does not list")
        if not 0 < self.sensitivity_share <= 1:
            raise ValueError(f"{self.name}: sensitivity_share must be in (0, 1]")

    def sensitivity_runs(self, runs: int) -> int:
        """Runs per arm in the sensitivity reruns (a share of ``runs``, at least 10)."""
        return max(int(runs * self.sensitivity_share), 10)


@dataclass
class ExperimentResult:
    """An experiment's comparisons, verdicts and sensitivity reruns."""

    experiment: Experiment
    comparisons: dict[str, Comparison]
    verdicts: list[Verdict]
    sensitivity: list[dict]
    extra_lines: list[str] = field(default_factory=list)
    extra_verdicts: dict[str, str] = field(default_factory=dict)

    def claim_verdicts(self) -> dict[str, str]:
        """One verdict per claim, from its tests' verdicts by the experiment's claim rule."""
        judge = CLAIM_RULES[self.experiment.claim_rule]
        out = {}
        for claim in self.experiment.claims:
            vs = [v.verdict for v in self.verdicts if v.test.claim == claim]
            if claim in self.extra_verdicts:
                out[claim] = self.extra_verdicts[claim]
            elif not vs:
                out[claim] = "not tested here"
            else:
                out[claim] = judge(vs)
        return out


class Catalogue(dict[str, Experiment]):
    """The registered experiments by name; :meth:`register` adds one."""

    def register(self, e: Experiment) -> Experiment:
        """Add an experiment to the catalogue (names are unique)."""
        if e.name in self:
            raise ValueError(f"experiment {e.name!r} is registered twice")
        self[e.name] = e
        return e


# ------------------------------------------------------------------------------ running
def evaluate(tests: Sequence[ClaimTest], comparison: Comparison, scenario: str, rule: str = "paired-ci"
             ) -> list[Verdict]:
    """Judge each test on one scenario's comparison."""
    out = []
    for t in tests:
        a = comparison.results[t.treatment].outcomes[t.outcome]
        b = comparison.results[t.control].outcomes[t.outcome]
        d, lo, hi = paired_interval(a - b, comparison.level)
        out.append(Verdict(t, scenario, d, lo, hi, float(a.mean()), float(b.mean()), rule))
    return out


def run_experiment(
    exp: Experiment, runs: int = 1000, years: int = 30, seed: int = 0, sensitivity: bool = True,
    progress: bool = False, params: Mapping[str, float] | None = None,
    params_file: str | Path | ParamsFile | None = None, workers: int | None = None,
) -> ExperimentResult:
    """Run every arm on every scenario of the experiment, evaluate the tests, probe sensitivity.

    ``params`` and ``params_file`` apply to every arm (after the arm's own parameters). In a
    sensitivity rerun the varied parameter wins over both. ``workers`` is passed to every
    simulation (it never changes a result).
    """
    if params_file is not None and not isinstance(params_file, ParamsFile):
        params_file = read_params_file(params_file)
    base = {**(params or {}), **(params_file.values if params_file else {})}
    comparisons, verdicts, sens = {}, [], []
    for name in exp.scenarios:
        sc = load_scenario(name)
        arms = {key: a.model_copy(update={"name": key}) for key, a in exp.arms(sc).items()}
        cmp = compare(sc, list(arms.values()), runs=runs, years=years, seed=seed, params=params,
                      params_file=params_file, progress=progress, workers=workers)
        comparisons[name] = cmp
        verdicts += evaluate(exp.tests, cmp, name, exp.verdict_rule)
        if not sensitivity:
            continue
        used = sorted({t.treatment for t in exp.tests} | {t.control for t in exp.tests})
        for pname in exp.sensitivity:
            lo, hi = Params.metadata()[pname]["range"]
            for value in (lo, hi):
                # a mapping, so each arm keeps its own parameters beneath the varied one
                alt = compare(sc, [arms[a] for a in used], runs=exp.sensitivity_runs(runs), years=years, seed=seed,
                              params={**base, pname: value}, workers=workers)
                changed = []
                for v_alt, v in zip(evaluate(exp.tests, alt, name, exp.verdict_rule),
                                    [v for v in verdicts if v.scenario == name], strict=True):
                    if v_alt.verdict != v.verdict:
                        changed.append(f"{v.test.claim} {v.test.outcome}: {v.verdict} -> {v_alt.verdict}")
                sens.append({"scenario": name, "parameter": pname, "value": value, "changes": changed})
    resolved = RunSpec.build(exp.scenarios[0], runs=1, years=1, params=params, params_file=params_file).params
    lines, judged = exp.extra(comparisons, resolved) if exp.extra else ([], {})
    return ExperimentResult(exp, comparisons, verdicts, sens, lines, judged)


__all__ = [
    "CLAIM_RULES", "VERDICTS", "VERDICT_RULES", "Arms", "Catalogue", "ClaimTest", "Experiment",
    "ExperimentResult", "Verdict", "all_supported", "evaluate", "paired_ci_verdict", "run_experiment",
]
