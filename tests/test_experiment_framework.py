"""The claim framework: declarative catalogue, verdict rules, Holm, aggregation, sensitivity, report."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from secorder.experiments import framework
from secorder.experiments.claims import CLAIMS
from secorder.experiments.framework import (
    Arm,
    ArmRunner,
    Claim,
    ClaimTest,
    aggregate_all,
    aggregate_majority,
    contrast,
    evidence,
    holm,
    judge,
    run_claim,
)
from secorder.scenario import load_scenario

WHY = "a test effect"


def tiny(**kw) -> Claim:
    spec = {
        "id": "X1", "title": "Tiny", "text": "?", "scenarios": ("northeast-asia-2003",),
        "arms": {"status-quo": Arm(), "bop": Arm("balance-of-power")},
        "tests": (ClaimTest("fewer disputes", "disputes_per_decade", "bop", "status-quo", 0.1, WHY, direction=-1),
                  ClaimTest("same trust", "mean_trust_final", "bop", "status-quo", 10.0, WHY, kind="equivalence")),
        "uncertain": ("war_cost",),
    }
    return Claim(**{**spec, **kw})


# ----------------------------------------------------------------------------- the catalogue
def test_the_catalogue_has_one_declarative_entry_per_claim():
    assert set(CLAIMS) == {"M2", "M3", "M4", "O3", "O4", "O7", "O8", "O9", "O11", "C3", "C1", "F2", "R2", "R3"}
    for c in CLAIMS.values():
        assert all(isinstance(a, Arm) for a in c.arms.values())  # data, not functions
        assert all(t.sesoi > 0 and t.why for t in c.tests)
        assert c.uncertain
    with pytest.raises(ValueError, match="registered twice"):
        CLAIMS.register(CLAIMS["O11"])


def test_placeholders_are_filled_per_scenario():
    sc = load_scenario("asia-pacific-2000")
    arch = CLAIMS["O11"].arms["missile-defence"].build(sc, "md")
    lever = arch.levers[-1]
    assert lever.lever == "missile_defense" and lever.from_year == sc.year + 5
    assert "$leader" not in json.dumps(arch.model_dump(mode="json"))
    tying = CLAIMS["O8"].arms["tying-down"].build(sc, "t").levers[-1]
    assert tying.institutions and all(isinstance(i, str) for i in tying.institutions)


@pytest.mark.parametrize(
    ("kw", "message"),
    [({"aggregate": "vibes"}, "unknown aggregate"), ({"uncertain": ("no_such",)}, "unknown parameter"),
     ({"tests": (ClaimTest("t", "disputes_per_decade", "bop", "nowhere", 0.1, WHY),)}, "undeclared arm"),
     ({"tests": (ClaimTest("t", "disputes_per_decade", "bop", "status-quo", 0.0, WHY),)}, "positive SESOI"),
     ({"tests": (ClaimTest("t", "disputes_per_decade", "bop", "status-quo", 0.1, ""),)}, "justification"),
     ({"tests": (ClaimTest("t", "disputes_per_decade", "bop", "status-quo", 0.1, WHY, kind="interaction"),)},
      "component"),
     ({"witnesses": {"supported": {"war_cost": 5.0}}}, "outside the documented ranges"), ({"tests": ()}, "at least one")],
)
def test_bad_entries_are_refused(kw, message):
    with pytest.raises(ValueError, match=message):
        tiny(**kw)


# ----------------------------------------------------------------------------- verdict rules
SUP = ClaimTest("s", "o", "a", "b", 1.0, WHY)
EQ = ClaimTest("e", "o", "a", "b", 1.0, WHY, kind="equivalence")


def around(mean: float, n: int = 400, sd: float = 1.0) -> np.ndarray:
    z = np.random.default_rng(0).standard_normal(n)
    return mean + sd * (z - z.mean()) / z.std(ddof=1)


@pytest.mark.parametrize(
    ("test", "mean", "sd", "expected"),
    [(SUP, 3.0, 1.0, "supported"), (SUP, 0.3, 0.1, "contradicted"),  # significant but negligible
     (SUP, -3.0, 1.0, "contradicted"), (SUP, 1.0, 30.0, "inconclusive"), (SUP, 0.6, 10.0, "inconclusive"),
     (EQ, 0.0, 1.0, "supported"), (EQ, 3.0, 1.0, "contradicted"), (EQ, 0.0, 30.0, "inconclusive")],
)
def test_one_test_verdicts(test, mean, sd, expected):
    assert judge([evidence(test, around(mean, sd=sd))]) == [expected]


def test_a_tiny_significant_effect_is_not_support():
    """The issue's case: binding raised trust by 0.0006, which 1,000 runs made 'significant'."""
    trust = ClaimTest("t", "mean_trust_final", "a", "b", 0.02, WHY)
    e = evidence(trust, around(0.0006, n=1000, sd=0.002))
    assert e.low > 0 and judge([e]) == ["contradicted"]


def test_contrast_signs_and_interaction():
    out = {"a": np.array([3.0, 4.0]), "b": np.array([1.0, 1.0]), "c": np.array([2.0, 2.0]), "j": np.array([6.0, 9.0])}
    assert contrast(ClaimTest("t", "o", "a", "b", 1, WHY, direction=-1), out).tolist() == [-2.0, -3.0]
    inter = ClaimTest("t", "o", "j", "b", 1, WHY, kind="interaction", components=("a", "c"))
    # joint effect (5, 8) minus the separate effects (2 + 1, 3 + 1)
    assert contrast(inter, out).tolist() == [2.0, 4.0]


def test_holm_matches_the_step_down_definition():
    assert holm([0.01, 0.04, 0.03]).tolist() == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5]).tolist() == [0.5]


def test_holm_correction_can_withhold_a_verdict():
    # p about 0.03 alone is support at 0.05; among three such tests it is not
    e = evidence(SUP, around(1.2, n=100, sd=6.3))
    p = e.p_support
    assert 0.017 < p < 0.05
    assert judge([e]) == ["supported"] and judge([e, e, e]) == ["inconclusive"] * 3


MIRROR = {"supported": "contradicted", "contradicted": "supported", "inconclusive": "inconclusive"}


@given(st.lists(st.sampled_from(["supported", "contradicted", "inconclusive"]), min_size=1, max_size=8))
def test_aggregation_is_symmetric(verdicts):
    for rule in (aggregate_all, aggregate_majority):
        assert rule([MIRROR[v] for v in verdicts]) == MIRROR[rule(verdicts)]


def test_the_verdict_rule_is_symmetric_in_support_and_contradiction():
    # an equivalence claim on x is the mirror of a superiority claim at the same SESOI only in part,
    # but a superiority claim on x and on -x mirror exactly when x is far from zero
    x = around(3.0)
    down = ClaimTest("s", "o", "a", "b", 1.0, WHY, direction=-1)
    assert judge([evidence(SUP, contrast(SUP, {"a": x, "b": 0 * x}))]) == ["supported"]
    assert judge([evidence(down, contrast(down, {"a": x, "b": 0 * x}))]) == ["contradicted"]


# ----------------------------------------------------------------------------- running
def test_run_judges_and_sensitivity_uses_the_baseline_runs(monkeypatch):
    sizes = []
    real = ArmRunner.outcomes

    def spy(self, *args, **kwargs):
        sizes.append(self.runs)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ArmRunner, "outcomes", spy)
    res = run_claim(tiny(), runs=12, years=5, seed=1, sensitivity=True)
    assert res.tests[1].verdict == "supported"  # trust moves by far less than the margin of 10
    assert res.verdict in framework.VERDICTS
    assert [(s["parameter"], s["value"]) for s in res.sensitivity] == [("war_cost", 0.02), ("war_cost", 0.8)]
    assert set(sizes) == {12}  # every rerun with as many runs as the baseline


def test_arms_keep_their_parameters_under_the_callers(monkeypatch):
    seen = []
    real = framework.RunSpec.build

    def spy(*args, **kwargs):
        spec = real(*args, **kwargs)
        seen.append(spec.params)
        return spec

    monkeypatch.setattr(framework.RunSpec, "build", spy)
    run_claim(tiny(), runs=4, years=2, seed=0, params={"war_cost": 0.3})
    assert sorted(p.bandwagon_weight for p in seen)[0] == 0.0  # balance-of-power keeps its own value
    assert all(p.war_cost == 0.3 for p in seen)


def test_the_report_states_verdicts_sesoi_and_caveats(tmp_path):
    from secorder.report.experiments import write_report

    res = run_claim(tiny(), runs=6, years=3, seed=0)
    out = write_report([res], tmp_path / "rep", caveats=["a caveat"])
    text = (out / "README.md").read_text()
    assert "## X1: Tiny" in text and "SESOI" in text and "a caveat" in text and (out / "verdicts.png").exists()
    assert json.loads((out / "verdicts.json").read_text())["X1"]["verdict"] == res.verdict
