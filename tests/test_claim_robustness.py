"""Robust verdicts on a toy model with a known answer; switching mechanisms off; attribution."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from secorder.engine import simulate
from secorder.errors import InputError
from secorder.experiments.attribution import attribute
from secorder.experiments.robust import construction_status, robust_verdicts, summarise
from secorder.explore.design import sample
from secorder.params import Params
from tests.cli_invoke import secorder as secorder_cli


def toy_judge(v: dict[str, float]) -> str:
    """Supported where a > 0.6, contradicted where a < 0.2; b and c play no part."""
    return "supported" if v["a"] > 0.6 else "contradicted" if v["a"] < 0.2 else "inconclusive"


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def test_robust_shares_and_deciders_on_a_toy_model_with_a_known_answer():
    d = sample("lhs", ["a", "b", "c"], [(0.0, 1.0)] * 3, samples=200, seed=3)
    r = summarise("toy", d, robust_verdicts(toy_judge, d))
    # a Latin hypercube puts exactly one point in each of 200 slices of a: the shares are exact
    assert r.shares == pytest.approx({"supported": 0.4, "contradicted": 0.2, "inconclusive": 0.4}, abs=0.01)
    assert r.deciders["parameter"].iloc[0] == "a" and abs(r.deciders["rank_correlation"].iloc[0]) > 0.8
    assert (r.deciders["rank_correlation"].iloc[1:].abs() < 0.2).all()
    # the minority verdict's box: a below about 0.2, nothing said about b or c
    assert r.box_condition == "contradicted" and list(r.box["input"]) == ["a"]
    assert r.box["high"].iloc[0] == pytest.approx(0.2, abs=0.05)


def test_sobol_indices_of_the_verdict_single_out_the_deciding_parameter():
    d = sample("sobol", ["a", "b", "c"], [(0.0, 1.0)] * 3, samples=128, seed=1)
    r = summarise("toy", d, robust_verdicts(toy_judge, d))
    st = dict(zip(r.deciders["parameter"], r.deciders["ST"], strict=True))
    assert st["a"] > 0.8 and st["b"] == pytest.approx(0, abs=1e-9) and st["c"] == pytest.approx(0, abs=1e-9)


def test_true_by_construction_is_detected_not_declared():
    d = sample("lhs", ["a"], [(0.0, 1.0)], samples=20, seed=0)
    always = summarise("toy", d, ["supported"] * 20)
    assert construction_status("supported", always) == "true by construction"
    assert construction_status("supported", always, ["contradicted"]) == "supported"  # a witness can fail it
    sometimes = summarise("toy", d, ["supported"] * 19 + ["contradicted"], reversed=[False] * 19 + [True])
    assert construction_status("supported", sometimes) == "supported"
    # contradicted only where the channel is off (negligible effect): the sign is still fixed in advance
    switched_off = summarise("toy", d, ["supported"] * 19 + ["contradicted"], reversed=[False] * 20)
    assert construction_status("supported", switched_off) == "true by construction"
    assert construction_status("contradicted", summarise("toy", d, ["contradicted"] * 20)) == "false by construction"
    assert construction_status("supported", None) == "supported"  # never looked: say nothing more


# ----------------------------------------------------------------------------- the engine
def test_params_object_with_an_architecture_is_the_same_as_none():
    a = simulate("northeast-asia-2003", runs=8, years=6, architecture="balance-of-power", params=Params(),
                 record="summary")
    b = simulate("northeast-asia-2003", runs=8, years=6, architecture="balance-of-power", params=None, record="summary")
    assert a.params == b.params and a.params.bandwagon_weight == 0.0
    for k in a.outcomes:
        np.testing.assert_array_equal(a.outcomes[k], b.outcomes[k])


def test_switching_a_mechanism_off_keeps_everyone_elses_random_numbers():
    on = simulate("asia-pacific-2000", runs=10, years=8, architecture="cooperative-forum", record="summary")
    off = simulate("asia-pacific-2000", runs=10, years=8, architecture="cooperative-forum", record="summary",
                   disable=["prevention"])
    assert off.outcomes["ended_forum_per_decade"].sum() == 0 and on.spec.disabled == ()
    assert off.spec.to_dict()["disabled"] == ["prevention"] and "disabled" not in on.spec.to_dict()
    # the concert mechanism does nothing without a concert: switching it off changes nothing at all
    idle = simulate("asia-pacific-2000", runs=10, years=8, architecture="cooperative-forum", record="summary",
                    disable=["concert"])
    for k in on.outcomes:
        np.testing.assert_array_equal(on.outcomes[k], idle.outcomes[k])
    with pytest.raises(InputError, match="unknown mechanism 'nope'"):
        simulate("asia-pacific-2000", runs=2, years=1, disable=["nope"])


def test_attribution_splits_a_difference_by_mechanism_and_dyad():
    att = attribute("asia-pacific-2000", "cooperative-forum", "multilayer", "fatal_disputes_per_decade", runs=16,
                    years=8, mechanisms=["concert", "onset", "deterrence"])
    rows = att.mechanisms.set_index("mechanism")
    assert rows.loc["concert", "carried"] == 0.0  # no concert in either arm
    assert rows.loc["onset", "carried"] == pytest.approx(att.difference)  # no onset: no crises, no difference
    assert att.dyads["difference"].sum() == pytest.approx(att.difference)
    assert "summary" not in att.summary() and att.summary().startswith("fatal_disputes_per_decade")


def test_compare_attribute_on_the_command_line(tmp_path):
    out = tmp_path / "cmp"
    r = secorder_cli("compare", "northeast-asia-2003", "-a", "status-quo,cooperative-forum", "--runs", "6", "--years",
                     "4", "--attribute", "disputes_per_decade", "--no-plots", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert (out / "attribution-cooperative-forum.csv").exists() and (out / "dyads-cooperative-forum.csv").exists()
    bad = secorder_cli("compare", "--attribute", "nope", "--runs", "4", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "--attribute" in bad.stderr and not (tmp_path / "x").exists()


def test_claims_travel_to_worker_processes():
    """Robust draws run in worker processes: every catalogue entry must pickle, and a two-worker run works."""
    import pickle

    from secorder.experiments.claims import CLAIMS
    from secorder.experiments.framework import Arm, ClaimTest
    from secorder.experiments.robust import robust_catalogue

    assert pickle.loads(pickle.dumps(list(CLAIMS.values()))) == list(CLAIMS.values())
    tiny = CLAIMS["C3"].__class__(
        id="T", title="t", text="t", scenarios=("northeast-asia-2003",), uncertain=("war_cost",),
        arms={"a": Arm(), "b": Arm("cooperative-forum")},
        tests=(ClaimTest("t", "disputes_per_decade", "b", "a", 0.1, "why", direction=-1),))
    one = robust_catalogue([tiny], draws=2, runs=3, years=2, workers=1)["T"]
    two = robust_catalogue([tiny], draws=2, runs=3, years=2, workers=2)["T"]
    assert one.verdicts == two.verdicts and len(one.verdicts) == 2
