"""Empirical validity: target moments, calibration, scores, baselines and the backtest."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from secorder.errors import InputError
from secorder.params import Params
from secorder.validation import baselines, scores
from tests.cli_invoke import secorder
from tests.conftest import shared_data_dir

DATA = shared_data_dir()
needs_data = pytest.mark.skipif(not (DATA / "cow_mid_5.0").is_dir(), reason="needs ../shared/data")


# ------------------------------------------------------------------------------------ scores
HAND_CASES = [
    ([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    ([1, 0, 1, 0, 1, 0, 0, 0], [0.9, 0.9, 0.5, 0.5, 0.5, 0.2, 0.1, 0.1]),  # ties across classes
    ([0, 1, 0, 0, 1], [0.3, 0.3, 0.3, 0.3, 0.3]),  # one forecast for all
    ([1, 1, 0], [0.999, 0.6, 0.001]),
]


@pytest.mark.parametrize(("y", "p"), HAND_CASES)
def test_scores_match_scikit_learn(y, p):
    from sklearn import metrics

    assert scores.brier(y, p) == pytest.approx(metrics.brier_score_loss(y, p))
    assert scores.log_loss(y, p) == pytest.approx(metrics.log_loss(y, p))
    assert scores.roc_auc(y, p) == pytest.approx(metrics.roc_auc_score(y, p))
    assert scores.pr_auc(y, p) == pytest.approx(metrics.average_precision_score(y, p))


def test_scores_by_hand_and_degenerate_cases():
    assert scores.brier([0, 1], [0.0, 1.0]) == 0.0
    assert scores.brier([1, 0], [0.0, 1.0]) == 1.0
    assert scores.roc_auc([0, 0, 1], [0.1, 0.2, 0.3]) == 1.0
    assert scores.roc_auc([0, 1], [0.5, 0.5]) == 0.5
    assert np.isnan(scores.roc_auc([0, 0], [0.1, 0.2]))  # no event: undefined, not 0.5
    assert np.isnan(scores.pr_auc([0, 0], [0.1, 0.2]))
    rel = scores.reliability([0, 1, 1, 0], [0.05, 0.95, 0.9, 0.15], bins=10)
    assert [(b["bin"], b["observed"], b["count"]) for b in rel] == [(0, 0.0, 1), (1, 0.0, 1), (9, 1.0, 2)]
    with pytest.raises(ValueError, match="differ in length"):
        scores.brier([0, 1], [0.5])


def test_window_probability():
    p = np.array([[0.1, 0.1], [0.0, 0.5]])
    assert np.allclose(baselines.window_probability(p), [0.19, 0.5])


# ------------------------------------------------------------------------------ model version
def test_parameter_file_for_another_model_version_is_refused(tmp_path):
    from secorder.spec import read_params_file
    from secorder.validation.version import model_version

    ok = tmp_path / "ok.yaml"
    ok.write_text(yaml.safe_dump({"values": {"onset_intercept": 0.2}, "meta": {"model_version": model_version()}}))
    assert read_params_file(ok).values["onset_intercept"] == 0.2
    old = tmp_path / "old.yaml"
    old.write_text(yaml.safe_dump({"values": {"onset_intercept": 0.2}, "meta": {"model_version": "0123456789abcdef"}}))
    with pytest.raises(InputError, match="model_version"):
        read_params_file(old)


# --------------------------------------------------------------------------------- targets
@needs_data
def test_data_moments_count_what_the_panel_says():
    from secorder.validation.targets import data_moments, dyad_panel

    dm = data_moments("northeast-asia", 1995, 2004, source_dir=DATA, bootstrap=50)
    panel = dyad_panel("northeast-asia", 1995, 2004, dm.states, DATA).filter(pl.col("year") >= 1995)
    onsets = panel["mid_onset"].fill_null(0).sum()
    assert dm.values["all_rate"] == pytest.approx(1000 * onsets / panel.height)
    assert len(dm.states) == 6 and panel.height == 15 * 10
    assert 0 < dm.values["persist_peace"] < dm.values["persist_dispute"] < 1
    assert all(dm.se[k] > 0 for k in dm.values)
    assert dm.notes["honouring_rate"].startswith("published")
    with pytest.raises(InputError, match="cannot give target 'nope'"):
        dm.select(["nope"])


@needs_data
def test_simulated_moments_follow_the_event_log():
    from secorder.data.from_data import scenario_from_data, validate
    from secorder.engine import simulate
    from secorder.validation.targets import dyad_history, simulated_moments

    sc = validate(scenario_from_data(2000, region="northeast-asia", source_dir=DATA))
    res = simulate(sc, years=5, runs=20, seed=3, record="full")
    h = dyad_history(res)
    ev = res.event_arrays
    militarised = (np.asarray(ev["outcome"]) >= 3)
    assert h.onset.sum() <= militarised.sum()  # both directions of a pair count once
    m = simulated_moments(res, h)
    assert m["all_rate"] == pytest.approx(1000 * h.onset.mean())
    assert 0 <= m["fatal_share"] <= 1 and m["war_share"] <= m["fatal_share"]


# ------------------------------------------------------------------------------ calibration
@pytest.mark.slow
def test_calibration_recovers_a_known_intercept():
    """Moments simulated at a known intercept (other seed) -> the fit finds it within 3 standard errors."""
    from secorder.scenario import load_scenario
    from secorder.validation.calibrate import Problem, calibrate, declared_bounds, simulated_targets

    sc = load_scenario("northeast-asia-2003")
    truth = Params().replace(onset_intercept=-0.8)
    data = simulated_targets(sc, truth, years=20, runs=200, seed=11, names=("all_rate", "prd_rate"))
    free = ("onset_intercept",)
    problem = Problem(sc, 20, data, free, declared_bounds(free, {"onset_intercept": (-3.0, 2.0)}),
                      base=Params().replace(onset_intercept=1.5), runs=100, seed=5, workers=1)
    cal = calibrate(problem, starts=1, max_evaluations=25)
    est, se = cal.values["onset_intercept"], cal.se["onset_intercept"]
    assert se < 0.6  # the rate pins the intercept down (the start is 2.3 away)
    assert abs(est - (-0.8)) <= min(3 * se, 1.0), (est, se)
    assert cal.distance < 9.0
    f = cal.params_file()
    assert f["meta"]["free"]["onset_intercept"]["range"] == [-3.0, 2.0]
    assert len(f["meta"]["sample"]["onset_intercept"]) == 200


@needs_data
def test_calibrate_fit_cli_writes_a_file_that_run_accepts(tmp_path):
    out = tmp_path / "cal"
    r = secorder("calibrate", "fit", "northeast-asia", "--window", "1996-2000", "--free", "onset_intercept",
                 "--targets", "prd_rate,all_rate", "--runs", "4", "--max-evaluations", "2", "--starts", "1",
                 "--source-dir", DATA, "--out", out, "-q")
    assert r.returncode == 0, r.stderr
    doc = yaml.safe_load((out / "params.yaml").read_text())
    assert set(doc["values"]) == {"onset_intercept"}
    meta = doc["meta"]
    assert meta["region"] == "northeast-asia" and meta["window"] == [1996, 2000]
    assert set(meta["targets"]) == {"prd_rate", "all_rate"} and meta["model_version"]
    assert (out / "fit.csv").is_file() and (out / "fit.png").is_file()
    r = secorder("run", "northeast-asia-2003", "--params", out / "params.yaml", "--runs", "2", "--years", "1",
                 "-q", "--no-plots", "--out", tmp_path / "run")
    assert r.returncode == 0, r.stderr


# ---------------------------------------------------------------------------------- leakage
def _data_with_mids_changed_from(year: int, dest: Path) -> Path:
    """A copy of the data folder (links) whose MID participant records differ from ``year`` on."""
    dest.mkdir()
    for entry in DATA.iterdir():
        if entry.name != "cow_mid_5.0":
            os.symlink(entry, dest / entry.name)
    mid = dest / "cow_mid_5.0"
    mid.mkdir()
    for f in (DATA / "cow_mid_5.0").iterdir():
        if f.name != "MIDB_5.0.csv":
            os.symlink(f, mid / f.name)
    midb = pl.read_csv(DATA / "cow_mid_5.0" / "MIDB_5.0.csv", infer_schema_length=0)
    late = midb["styear"].cast(pl.Int64) >= year
    # later disputes escalate to war, and a new dispute starts between China and Japan every year
    midb = midb.with_columns(pl.when(late).then(pl.lit("5")).otherwise(pl.col("hostlev")).alias("hostlev"),
                             pl.when(late).then(pl.lit("6")).otherwise(pl.col("fatality")).alias("fatality"))
    extra = []
    for y in range(year, year + 10):
        for code, abb, side in ((710, "CHN", "1"), (740, "JPN", "0")):
            row = dict.fromkeys(midb.columns, "-9")
            row.update(dispnum=str(90000 + y), stabb=abb, ccode=str(code), stday="1", stmon="1", styear=str(y),
                       endday="2", endmon="1", endyear=str(y), sidea=side, revstate="0", revtype1="0", revtype2="0",
                       fatality="6", fatalpre="-9", hiact="21", hostlev="5", orig="1")
            extra.append(row)
    midb = pl.concat([midb, pl.DataFrame(extra, schema={c: pl.String for c in midb.columns})])
    midb.write_csv(mid / "MIDB_5.0.csv")
    return dest


@pytest.mark.slow
@needs_data
def test_no_leakage_into_calibration_or_baselines(tmp_path):
    from secorder.validation.calibrate import build_problem, calibrate
    from secorder.validation.targets import data_moments

    origin = 1995
    changed = _data_with_mids_changed_from(origin, tmp_path / "data")
    a = data_moments("northeast-asia", 1985, origin - 1, source_dir=DATA, bootstrap=30)
    b = data_moments("northeast-asia", 1985, origin - 1, source_dir=changed, bootstrap=30)
    assert a.values == b.values and a.se == b.se
    later = data_moments("northeast-asia", origin, origin + 5, source_dir=changed, bootstrap=10)
    assert later.values["war_share"] == 1.0  # the change is visible after the origin

    fits = []
    for sd in (DATA, changed):
        panel = baselines.covariate_panel(origin - 20, origin + 9, region="northeast-asia", source_dir=sd)
        f = baselines.fit(panel, origin, origin - 20)
        fits.append((f.logit.coef_.copy(), f.base_rate, f.rate_recent,
                     baselines.forecast(f, panel, origin, 10, [(710, 740), (2, 710)])["logit"]))
    assert np.array_equal(fits[0][0], fits[1][0]) and fits[0][1:3] == fits[1][1:3]
    assert np.array_equal(fits[0][3], fits[1][3])

    cals = []
    for sd in (DATA, changed):
        problem = build_problem("northeast-asia", origin - 10, origin - 1, free=("onset_intercept",),
                                targets=("prd_rate", "fatal_share"), runs=4, source_dir=sd, bootstrap=20)
        cals.append(calibrate(problem, starts=1, max_evaluations=3))
    assert cals[0].values == cals[1].values and cals[0].distance == cals[1].distance


# --------------------------------------------------------------------------------- backtest
@pytest.mark.slow
@needs_data
def test_backtest_cli_writes_a_report(tmp_path):
    out = tmp_path / "bt"
    r = secorder("backtest", "northeast-asia", "--origins", "2000", "--horizon", "5", "--runs", "10",
                 "--calib-runs", "4", "--calib-evaluations", "2", "--source-dir", DATA, "--out", out, "-q")
    assert r.returncode == 0, r.stderr
    report = (out / "report.md").read_text()
    assert "## The issue's criteria" in report and "| 2000 |" in report
    rows = pl.read_csv(out / "scores.csv")
    assert set(rows["forecaster"]) == {"model", "logit", "persistence", "base_rate"}
    assert rows.filter(pl.col("unit") == "dyad-year")["n"].unique().to_list() == [75]  # 15 pairs x 5 years

