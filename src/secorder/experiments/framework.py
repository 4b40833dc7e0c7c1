"""The claim framework: arms as data, verdict rules, running and judging. The claims are in the catalogue.

A :class:`Claim` (one entry of :mod:`secorder.experiments.claims`) declares its arms as data
(:class:`Arm`: a built-in architecture plus operations, levers and parameters, with
placeholders such as ``$leader`` filled in per scenario by :data:`PLACEHOLDERS`), the
scenarios, and its :class:`ClaimTest` s. Each test names an outcome, a treatment and a control arm,
the kind of test, the expected direction and a **smallest effect of substantive interest**
(SESOI) with its justification. Nothing here knows what a verdict "should" be: the numbers
come from the runs, on common random numbers.

The verdict rule (one-sided tests at ``ALPHA`` = 0.05 on the per-run paired contrast, Student t;
``e`` is the contrast signed so that the claim predicts ``e > 0``, ``d`` the SESOI):

``superiority``
    **supported** if ``e > 0`` is significant and the estimate is at least ``d``;
    **contradicted** if the opposite (``e < 0`` significant, estimate at most ``-d``) or if the
    effect is shown negligible (equivalence to 0 within ``+-d`` by two one-sided tests);
``equivalence`` ("no different")
    **supported** if equivalence within ``+-d`` is shown by two one-sided tests;
    **contradicted** if a difference is significant and the estimate is at least ``d`` in size;
``interaction`` ("reinforce each other")
    a superiority test on the per-run interaction contrast: the joint arm's effect minus the
    sum of its components' effects (``y_joint - sum(y_k) + (K - 1) * y_control``).

Otherwise a test is **inconclusive**. The p-values of a claim's tests (across its scenarios)
are Holm-corrected, the support family and the contradiction family each on its own, so
support and contradiction are reached the same way. The claim's verdict aggregates its tests'
by its declared ``aggregate`` rule, each symmetric: ``all`` (supported if every test is,
contradicted if every test is) or ``majority`` (supported if more than half are, contradicted
if more than half are); otherwise inconclusive.

Sensitivity reruns (each ``uncertain`` parameter at both ends of its range) use the same
number of runs as the baseline, so a change of verdict is the parameter's doing, not lost power.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from secorder.architectures import Architecture, capability_shares, leader, load_architecture
from secorder.params import Params
from secorder.scenario import Scenario, load_scenario
from secorder.spec import ParamsFile, RunSpec, read_params_file

ALPHA = 0.05  # one-sided level of every test (the two-sided 90% interval shown beside it)
VERDICTS = ("supported", "contradicted", "inconclusive")
KINDS = ("superiority", "equivalence", "interaction")


# ------------------------------------------------------------------------------ arms as data
def main_rival(sc: Scenario) -> str:
    """The state with the largest stake against the leading state (ties: the more capable)."""
    lead = leader(sc)
    share = dict(zip(sc.codes, capability_shares(sc), strict=True))
    best, score = None, -1.0
    for d in sc.dyads:
        if lead in d.states:
            other = d.states[0] if d.states[1] == lead else d.states[1]
            stakes = d.stakes if isinstance(d.stakes, dict) else {c: d.stakes or 0.0 for c in d.states}
            s = stakes.get(other, 0.0) + (d.animosity or 0.0) + share[other]
            if s > score:
                best, score = other, s
    return best or sorted(sc.codes, key=lambda c: -share[c])[1]


def leader_ally(sc: Scenario) -> str:
    """The leader's first bilateral ally in the scenario (the leader itself if it has none)."""
    lead = leader(sc)
    for i in sc.institutions:
        if i.type == "bilateral_alliance" and lead in i.members:
            return next(m for m in i.members if m != lead)
    return lead


def joinable(sc: Scenario) -> list[str]:
    """The institutions a state can be tied into: forums, economic and mutual-recognition bodies."""
    return [i.id for i in sc.institutions if i.type in ("cooperative_forum", "economic", "mutual_recognition")]


def regional_association(sc: Scenario) -> str:
    """The scenario's regional association (mutual-recognition or regime-defining), whose rule is varied."""
    for i in sc.institutions:
        if i.type in ("mutual_recognition", "regime_defining"):
            return i.id
    raise ValueError(f"scenario {sc.name} has no association to vary the regime rule of")


# A placeholder in an arm's operations or levers is filled in for each scenario; "$start+5" is
# the scenario's first year plus five. Lists are spliced: ["$leader", "$rival"] -> ["USA", "CHN"].
PLACEHOLDERS: dict[str, Callable[[Scenario], Any]] = {
    "$leader": leader,
    "$rival": main_rival,
    "$leader_ally": leader_ally,
    "$joinable": joinable,
    "$association": regional_association,
}


def fill(value: Any, sc: Scenario) -> Any:
    """``value`` with every placeholder replaced by what it names in scenario ``sc``."""
    if isinstance(value, str) and value.startswith("$start+"):
        return sc.year + int(value.removeprefix("$start+"))
    if isinstance(value, str) and value in PLACEHOLDERS:
        return PLACEHOLDERS[value](sc)
    if isinstance(value, Mapping):
        return {k: fill(v, sc) for k, v in value.items()}
    if isinstance(value, list | tuple):
        out: list = []
        for v in value:
            filled = fill(v, sc)
            if isinstance(v, str) and isinstance(filled, list):
                out += filled
            else:
                out.append(filled)
        return sorted(set(out), key=out.index) if all(isinstance(x, str) for x in out) else out
    return value


@dataclass(frozen=True)
class Arm:
    """One arm, as data: a built-in architecture plus extra operations, levers and parameters.

    Operations and levers are written as in an architecture's YAML and may hold placeholders
    (:data:`PLACEHOLDERS`). ``Arm()`` is the status quo.
    """

    architecture: str = "status-quo"
    operations: tuple[Mapping[str, Any], ...] = ()
    levers: tuple[Mapping[str, Any], ...] = ()
    parameters: Mapping[str, float] = field(default_factory=dict)

    def key(self) -> str:
        """A stable text key (arms with the same key run the same simulation)."""
        return json.dumps([self.architecture, list(self.operations), list(self.levers), dict(self.parameters)],
                          sort_keys=True, default=str)

    def build(self, sc: Scenario, name: str) -> Architecture:
        """The arm as an :class:`~secorder.architectures.Architecture` for scenario ``sc``."""
        base = load_architecture(self.architecture)
        data = base.model_dump(mode="json", exclude_none=True)
        data["name"] = name
        data["operations"] = [*data.get("operations", []), *fill(list(self.operations), sc)]
        data["levers"] = [*data.get("levers", []), *fill(list(self.levers), sc)]
        data["parameters"] = {**data.get("parameters", {}), **dict(self.parameters)}
        return Architecture.model_validate(data)

    def describe(self) -> str:
        """One line: the base architecture and what the arm adds to it."""
        parts = [self.architecture]
        parts += [f"{k}: {v}" for op in self.operations for k, v in op.items()]
        parts += [f"lever {lv['lever']}" + "".join(f", {k}={v}" for k, v in lv.items() if k != "lever")
                  for lv in self.levers]
        parts += [f"{k}={v:g}" for k, v in self.parameters.items()]
        return "; ".join(str(p) for p in parts)


# ------------------------------------------------------------------------------ tests and claims
@dataclass(frozen=True)
class ClaimTest:
    """Outcome under ``treatment`` vs ``control``; ``direction`` +1 higher, -1 lower (ignored by equivalence)."""

    statement: str
    outcome: str
    treatment: str
    control: str
    sesoi: float
    why: str  # the justification of the smallest effect of substantive interest
    kind: str = "superiority"
    direction: int = +1
    components: tuple[str, ...] = ()  # interaction: the single arms whose effects the joint arm is set against
    control_outcome: str | None = None  # read on the control arm instead of ``outcome`` (one yardstick, two orders)

    def arms(self) -> tuple[str, ...]:
        """Every arm the test reads."""
        return (self.treatment, self.control, *self.components)

    def outcome_for(self, arm: str) -> str:
        """The outcome the test reads on ``arm``."""
        return self.control_outcome if arm == self.control and self.control_outcome else self.outcome


@dataclass(frozen=True)
class Claim:
    """One catalogue entry: the claim, its arms (as data), scenarios, tests and uncertain parameters.

    ``witnesses`` maps a verdict to a parameter setting inside the documented ranges under
    which the claim's experiment gives that verdict (checked by the tests): a claim with no
    ``contradicted`` witness, for which no draw of the robust analysis contradicts it either,
    is "true by construction" (:func:`construction_status`).
    """

    id: str
    title: str
    text: str
    scenarios: tuple[str, ...]
    arms: Mapping[str, Arm]
    tests: tuple[ClaimTest, ...]
    uncertain: tuple[str, ...]
    aggregate: str = "all"
    notes: str = ""
    caveats: str = ""
    witnesses: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        meta = Params.metadata()
        if self.aggregate not in AGGREGATE_RULES:
            raise ValueError(f"{self.id}: unknown aggregate rule {self.aggregate!r}; known: {list(AGGREGATE_RULES)}")
        unknown = [p for p in self.uncertain if p not in meta]
        if unknown:
            raise ValueError(f"{self.id}: uncertain names unknown parameter(s) {unknown}")
        if not self.tests:
            raise ValueError(f"{self.id}: a claim needs at least one test")
        for t in self.tests:
            missing = [a for a in t.arms() if a not in self.arms]
            if missing:
                raise ValueError(f"{self.id}: test {t.statement!r} uses undeclared arm(s) {missing}")
            if t.kind not in KINDS:
                raise ValueError(f"{self.id}: unknown test kind {t.kind!r}; known: {list(KINDS)}")
            if not t.sesoi > 0 or not t.why:
                raise ValueError(f"{self.id}: test {t.statement!r} needs a positive SESOI and its justification")
            if t.kind == "interaction" and not t.components:
                raise ValueError(f"{self.id}: an interaction test names its component arms")
        for verdict, setting in self.witnesses.items():
            if verdict not in VERDICTS:
                raise ValueError(f"{self.id}: witness for unknown verdict {verdict!r}")
            bad = [k for k, v in setting.items() if k not in meta or not meta[k]["range"][0] <= v <= meta[k]["range"][1]]
            if bad:
                raise ValueError(f"{self.id}: witness {verdict!r} sets {bad} outside the documented ranges")

    def used_arms(self) -> list[str]:
        """The arms the tests read, in declaration order."""
        used = {a for t in self.tests for a in t.arms()}
        return [a for a in self.arms if a in used]


class Catalogue(dict[str, Claim]):
    """The registered claims by id; :meth:`register` adds one."""

    def register(self, c: Claim) -> Claim:
        """Add a claim to the catalogue (ids are unique)."""
        if c.id in self:
            raise ValueError(f"claim {c.id!r} is registered twice")
        self[c.id] = c
        return c


# ------------------------------------------------------------------------------ statistics
def contrast(test: ClaimTest, outcomes: Mapping[str, np.ndarray]) -> np.ndarray:
    """Per-run contrast of a test, signed so the claim predicts it positive (equivalence: unsigned)."""
    y = {a: np.asarray(outcomes[a], dtype=float) for a in test.arms()}
    if test.kind == "interaction":
        raw = y[test.treatment] - sum(y[c] for c in test.components) + (len(test.components) - 1) * y[test.control]
    else:
        raw = y[test.treatment] - y[test.control]
    return raw if test.kind == "equivalence" else test.direction * raw


def p_greater(x: np.ndarray, threshold: float) -> float:
    """One-sided p-value of "the mean of ``x`` exceeds ``threshold``" (paired Student t)."""
    x = x[~np.isnan(x)]
    n = x.size
    if n == 0:
        return 1.0
    mean = float(x.mean())
    se = float(x.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0
    if se == 0.0:
        return 0.0 if mean > threshold else 1.0
    return float(stats.t.sf((mean - threshold) / se, n - 1))


def p_less(x: np.ndarray, threshold: float) -> float:
    """One-sided p-value of "the mean of ``x`` is below ``threshold``"."""
    return p_greater(-x, -threshold)


def holm(p: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (family-wise error control across a claim's tests)."""
    p = np.asarray(p, dtype=float)
    m = p.size
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for rank, k in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[k]))
        adjusted[k] = running
    return adjusted


@dataclass(frozen=True)
class Evidence:
    """A test's raw evidence: the estimate, its 90% interval, and the p-values of both routes."""

    estimate: float
    low: float
    high: float
    p_support: float
    p_contradict: float
    support_size: bool  # the estimate is large enough for support
    contradict_size: bool  # ... for contradiction
    route: str  # how contradiction would be reached: "opposite", "negligible" or "different"


def evidence(test: ClaimTest, x: np.ndarray) -> Evidence:
    """The p-values and size conditions of one test on its per-run contrast ``x`` (see the module docs)."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    d = test.sesoi
    est = float(x.mean()) if x.size else float("nan")
    se = float(x.std(ddof=1) / np.sqrt(x.size)) if x.size > 1 else 0.0
    q = stats.t.ppf(1 - ALPHA, max(x.size - 1, 1)) * se
    tost = max(p_greater(x, -d), p_less(x, d))  # equivalence within +-d
    if test.kind == "equivalence":
        opposite_side = p_greater(x, 0.0) if est > 0 else p_less(x, 0.0)
        return Evidence(est, est - q, est + q, tost, opposite_side, True, abs(est) >= d, "different")
    if est <= -d:
        return Evidence(est, est - q, est + q, p_greater(x, 0.0), p_less(x, 0.0), est >= d, True, "opposite")
    return Evidence(est, est - q, est + q, p_greater(x, 0.0), tost, est >= d, True, "negligible")


def judge(evs: Sequence[Evidence]) -> list[str]:
    """Each test's verdict, with Holm's correction applied to the support and the contradiction family alike."""
    if not evs:
        return []
    sup = holm([e.p_support for e in evs])
    con = holm([e.p_contradict for e in evs])
    out = []
    for e, ps, pc in zip(evs, sup, con, strict=True):
        s = ps < ALPHA and e.support_size
        c = pc < ALPHA and e.contradict_size
        out.append("supported" if s and not c else "contradicted" if c and not s else "inconclusive")
    return out


def aggregate_all(verdicts: Sequence[str]) -> str:
    """Supported if every test is, contradicted if every test is, else inconclusive."""
    if verdicts and all(v == "supported" for v in verdicts):
        return "supported"
    if verdicts and all(v == "contradicted" for v in verdicts):
        return "contradicted"
    return "inconclusive"


def aggregate_majority(verdicts: Sequence[str]) -> str:
    """Supported if more than half the tests are, contradicted if more than half are, else inconclusive."""
    n = len(verdicts)
    if sum(v == "supported" for v in verdicts) * 2 > n:
        return "supported"
    if sum(v == "contradicted" for v in verdicts) * 2 > n:
        return "contradicted"
    return "inconclusive"


AGGREGATE_RULES: dict[str, Callable[[Sequence[str]], str]] = {"all": aggregate_all, "majority": aggregate_majority}


# ------------------------------------------------------------------------------ running
@dataclass(frozen=True)
class TestResult:
    """One test on one scenario: the means, the evidence and the (Holm-corrected) verdict."""

    test: ClaimTest
    scenario: str
    treatment_mean: float
    control_mean: float
    evidence: Evidence
    verdict: str

    @property
    def diff(self) -> float:
        """The estimate (the contrast, signed so the claim predicts it positive)."""
        return self.evidence.estimate


@dataclass
class ClaimResult:
    """A claim's tests, its verdict, and optionally its sensitivity reruns."""

    claim: Claim
    runs: int
    years: int
    seed: int
    tests: list[TestResult]
    verdict: str
    means: dict[str, dict[str, dict[str, float]]]  # scenario -> arm -> outcome -> mean
    sensitivity: list[dict] = field(default_factory=list)
    parameters: dict[str, float] = field(default_factory=dict)  # what was set over the defaults


class ArmRunner:
    """Runs arms on common random numbers and remembers them, so claims that share an arm share its runs."""

    def __init__(self, runs: int, years: int, seed: int, workers: int | None = None,
                 params_file: ParamsFile | None = None, progress: bool = False):
        self.runs, self.years, self.seed, self.workers = runs, years, seed, workers
        self.params_file, self.progress = params_file, progress
        self._memo: dict[tuple, Any] = {}
        self.simulations = 0

    def outcomes(self, scenario: str, name: str, arm: Arm, params: Mapping[str, float] | None = None,
                 disabled: Sequence[str] = ()) -> Mapping[str, np.ndarray]:
        """Per-run outcomes of an arm on a scenario (the caller's ``params`` over the arm's own)."""
        key = (scenario, arm.key(), tuple(sorted((params or {}).items())), tuple(disabled))
        if key not in self._memo:
            from secorder.engine import simulate_spec

            sc = load_scenario(scenario)
            spec = RunSpec.build(sc, years=self.years, runs=self.runs, seed=self.seed, params=dict(params or {}),
                                 params_file=self.params_file, architecture=arm.build(sc, name), record="summary",
                                 workers=self.workers, disabled=disabled)
            self._memo[key] = simulate_spec(spec, progress=self.progress).outcomes
            self.simulations += 1
        return self._memo[key]


def evaluate_claim(claim: Claim, runner: ArmRunner, params: Mapping[str, float] | None = None
                   ) -> tuple[list[TestResult], str, dict]:
    """Run a claim's arms (through ``runner``) and judge its tests: results, claim verdict, means."""
    evs, meta, means = [], [], {}
    for sc in claim.scenarios:
        outs = {a: runner.outcomes(sc, a, claim.arms[a], params) for a in claim.used_arms()}
        means[sc] = {a: {o: float(np.nanmean(v)) for o, v in out.items()} for a, out in outs.items()}
        for t in claim.tests:
            evs.append(evidence(t, contrast(t, {a: outs[a][t.outcome_for(a)] for a in t.arms()})))
            meta.append((t, sc, means[sc][t.treatment][t.outcome], means[sc][t.control][t.outcome_for(t.control)]))
    verdicts = judge(evs)
    results = [TestResult(t, sc, tm, cm, e, v) for (t, sc, tm, cm), e, v in zip(meta, evs, verdicts, strict=True)]
    return results, AGGREGATE_RULES[claim.aggregate](verdicts), means


def run_claim(
    claim: Claim, runs: int = 200, years: int = 30, seed: int = 0, sensitivity: bool = False,
    params: Mapping[str, float] | None = None, params_file: str | Path | ParamsFile | None = None,
    workers: int | None = None, runner: ArmRunner | None = None, progress: bool = False,
) -> ClaimResult:
    """Run one claim's experiment and judge it; optionally rerun it at both ends of each uncertain parameter.

    ``params`` (and ``params_file``) apply to every arm after the arm's own parameters. The
    sensitivity reruns use the same number of runs as the baseline. A ``runner`` may be shared
    between claims so that common arms are simulated once.
    """
    if params_file is not None and not isinstance(params_file, ParamsFile):
        params_file = read_params_file(params_file)
    runner = runner or ArmRunner(runs, years, seed, workers, params_file, progress)
    tests, verdict, means = evaluate_claim(claim, runner, params)
    sens = []
    if sensitivity:
        for pname in claim.uncertain:
            lo, hi = Params.metadata()[pname]["range"]
            for value in (lo, hi):
                alt, alt_verdict, _ = evaluate_claim(claim, runner, {**(params or {}), pname: value})
                changed = [f"{a.test.outcome} ({a.scenario}): {b.verdict} -> {a.verdict}"
                           for a, b in zip(alt, tests, strict=True) if a.verdict != b.verdict]
                sens.append({"parameter": pname, "value": value, "verdict": alt_verdict, "changes": changed})
    return ClaimResult(claim, runner.runs, runner.years, runner.seed, tests, verdict, means, sens, dict(params or {}))


def run_catalogue(claims: Sequence[Claim], runs: int = 200, years: int = 30, seed: int = 0,
                  sensitivity: bool = False, params: Mapping[str, float] | None = None,
                  params_file: str | Path | ParamsFile | None = None, workers: int | None = None,
                  on_claim: Callable[[str], None] | None = None) -> list[ClaimResult]:
    """Every claim in ``claims`` on one shared :class:`ArmRunner` (common arms simulated once)."""
    if params_file is not None and not isinstance(params_file, ParamsFile):
        params_file = read_params_file(params_file)
    runner = ArmRunner(runs, years, seed, workers, params_file)
    out = []
    for c in claims:
        out.append(run_claim(c, sensitivity=sensitivity, params=params, runner=runner))
        if on_claim is not None:
            on_claim(c.id)
    return out


__all__ = [
    "AGGREGATE_RULES", "ALPHA", "KINDS", "PLACEHOLDERS", "VERDICTS", "Arm", "ArmRunner", "Catalogue", "Claim",
    "ClaimResult", "Evidence", "ClaimTest", "TestResult", "aggregate_all", "aggregate_majority", "contrast",
    "evaluate_claim", "evidence", "fill", "holm", "judge", "main_rival", "run_catalogue", "run_claim",
]
