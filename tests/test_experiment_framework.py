"""The experiment framework on small runs: design, verdict rules, sensitivity, parameter files."""

from __future__ import annotations

import pytest

from secorder.architectures import load_architecture
from secorder.experiments import framework
from secorder.experiments.claims import EXPERIMENTS
from secorder.experiments.framework import ClaimTest, Experiment, run_experiment


def two_arms(sc):
    return {"status-quo": load_architecture("status-quo"), "bop": load_architecture("balance-of-power")}


def tiny(**kw) -> Experiment:
    spec = {
        "name": "tiny", "title": "Tiny", "claims": ("X1",), "question": "?", "scenarios": ("northeast-asia-2003",),
        "arms": two_arms,
        "tests": (ClaimTest("X1", "fewer disputes", "disputes_per_decade", "bop", "status-quo", -1),
                  ClaimTest("X1", "same trust", "mean_trust_final", "bop", "status-quo", 0, margin=10.0)),
        "sensitivity": ("war_cost",),
    }
    return Experiment(**{**spec, **kw})


def test_catalogue_entries_are_declarative_and_valid():
    assert len(EXPERIMENTS) == 7
    for e in EXPERIMENTS.values():
        assert e.verdict_rule in framework.VERDICT_RULES and e.claim_rule in framework.CLAIM_RULES
        assert e.tests or e.extra
        assert {t.claim for t in e.tests} <= set(e.claims)
    with pytest.raises(ValueError, match="registered twice"):
        EXPERIMENTS.register(EXPERIMENTS["missile-defence"])


@pytest.mark.parametrize(
    ("kw", "message"),
    [({"verdict_rule": "vibes"}, "unknown verdict_rule"), ({"claim_rule": "majority"}, "unknown claim_rule"),
     ({"sensitivity": ("no_such",)}, "unknown parameter"), ({"claims": ("Y",)}, "does not list"),
     ({"sensitivity_share": 0.0}, "sensitivity_share")],
)
def test_bad_entries_are_refused(kw, message):
    with pytest.raises(ValueError, match=message):
        tiny(**kw)


def test_run_judges_by_the_declared_rules(monkeypatch):
    res = run_experiment(tiny(), runs=12, years=5, seed=1, sensitivity=True)
    assert [v.rule for v in res.verdicts] == ["paired-ci", "paired-ci"]
    assert res.verdicts[1].verdict == "supported"  # trust moves by far less than the margin of 10
    assert set(res.claim_verdicts()) == {"X1"}
    assert [(s["parameter"], s["value"]) for s in res.sensitivity] == [("war_cost", 0.02), ("war_cost", 0.8)]
    # a declared rule replaces the judgement without touching the numbers
    monkeypatch.setitem(framework.VERDICT_RULES, "always-inconclusive", lambda test, low, high: "inconclusive")
    monkeypatch.setitem(framework.CLAIM_RULES, "any-supported",
                        lambda vs: "supported" if "supported" in vs else "inconclusive")
    other = run_experiment(tiny(verdict_rule="always-inconclusive", claim_rule="any-supported"), runs=12, years=5,
                           seed=1, sensitivity=False)
    assert [v.diff for v in other.verdicts] == [v.diff for v in res.verdicts]
    assert {v.verdict for v in other.verdicts} == {"inconclusive"} and other.claim_verdicts() == {"X1": "inconclusive"}


def test_sensitivity_reruns_keep_each_arms_parameters(monkeypatch):
    """The bug a Params object caused: sensitivity reruns lost balance-of-power's parameters."""
    seen = []
    real = framework.compare

    def spy(*args, **kwargs):
        cmp = real(*args, **kwargs)
        seen.append({name: res.params for name, res in cmp.results.items()})
        return cmp

    monkeypatch.setattr(framework, "compare", spy)
    run_experiment(tiny(), runs=10, years=3, seed=0, sensitivity=True)
    assert len(seen) == 3  # the baseline and two reruns
    for params in seen[1:]:
        assert params["bop"].bandwagon_weight == 0.0 and params["status-quo"].bandwagon_weight != 0.0
    assert {seen[1]["bop"].war_cost, seen[2]["bop"].war_cost} == {0.02, 0.8}


def test_parameter_file_applies_to_every_arm_and_sensitivity_varies_over_it(tmp_path, monkeypatch):
    p = tmp_path / "p.yaml"
    p.write_text("values: {war_cost: 0.3, arms_reaction: 0.2}\n")
    seen = []
    real = framework.compare

    def spy(*args, **kwargs):
        cmp = real(*args, **kwargs)
        seen.append(cmp)
        return cmp

    monkeypatch.setattr(framework, "compare", spy)
    run_experiment(tiny(), runs=10, years=3, seed=0, sensitivity=True, params_file=p)
    base, low, high = seen
    assert all(r.params.war_cost == 0.3 and r.params.arms_reaction == 0.2 for r in base.results.values())
    assert base.manifest()["params_file"]["path"] == str(p)
    assert all(r.params.war_cost == 0.02 and r.params.arms_reaction == 0.2 for r in low.results.values())
    assert all(r.params.war_cost == 0.8 for r in high.results.values())
