"""Results one way: the outcome registry, the tidy tables, and comparisons as concatenations."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import secorder
from secorder.cli import app
from secorder.experiments.compare import (
    KEY_OUTCOMES,
    WORKLOAD,
    compare,
    paired_interval,
    paired_statistics,
)
from secorder.metrics import (
    BETTER,
    OUTCOMES,
    Outcome,
    get_outcome,
    outcome_table,
    per_decade,
    register,
    run_outcomes,
)
from secorder.recording import SYSTEM_SERIES
from secorder.report import save_results
from secorder.results import ID_COLUMNS, PER_RUN_TABLES, RUN_KEY, TABLES, concat_tables
from tests.conftest import SMALL

RUNS, YEARS, SEED = 12, 5, 7


@pytest.fixture(scope="module")
def full():
    return secorder.simulate(SMALL, years=YEARS, runs=RUNS, seed=SEED, record="full", chunk_size=5, workers=1)


@pytest.fixture(scope="module")
def cmp():
    return compare(SMALL, ["status-quo", "self-help", "cooperative-forum"], runs=RUNS, years=YEARS, seed=SEED,
                   workers=1)


# ----------------------------------------------------------------------------- the registry
def test_every_outcome_has_metadata():
    assert len(OUTCOMES) >= 30
    for name, o in OUTCOMES.items():
        assert o.name == name and name.isidentifier()
        assert o.label and o.unit and o.definition.endswith(".")
        assert o.better in BETTER
        assert o.reads and set(o.reads) <= set(SYSTEM_SERIES), name
    assert [r["name"] for r in outcome_table()] == list(OUTCOMES)


def test_every_outcome_gives_finite_values_on_a_small_run(full):
    values = run_outcomes(full.system)
    assert list(values) == list(OUTCOMES)
    for name, v in values.items():
        assert v.shape == (RUNS,), name
        assert np.isfinite(v).all(), name
        assert np.array_equal(v, full.outcomes[name]), name  # streamed per chunk = computed at once


def test_outcomes_read_only_the_series_they_declare(full):
    """Poison every series an outcome does not declare; its values must not change."""
    for name, o in OUTCOMES.items():
        poisoned = {k: (v if k in o.reads else np.full_like(v, np.nan)) for k, v in full.system.items()}
        assert np.array_equal(o(poisoned), full.outcomes[name]), name


def test_register_checks_the_metadata():
    good = dict(name="tmp_outcome", label="x", unit="count", better="lower", definition="x.", reads=("wars",),
                compute=per_decade("wars"))
    with pytest.raises(ValueError, match="already registered"):
        register(Outcome(**{**good, "name": "wars_per_decade"}))
    with pytest.raises(ValueError, match="better must be"):
        register(Outcome(**{**good, "better": "up"}))
    with pytest.raises(ValueError, match="unknown or no recorded series"):
        register(Outcome(**{**good, "reads": ("no_such_series",)}))
    assert "tmp_outcome" not in OUTCOMES
    with pytest.raises(KeyError, match="unknown outcome 'nope'"):
        get_outcome("nope")


def test_compare_and_report_outcomes_come_from_the_registry():
    from secorder.report.compare_plots import DISTRIBUTIONS, LAYERS

    assert set(KEY_OUTCOMES) | set(WORKLOAD) <= set(OUTCOMES)
    assert set(DISTRIBUTIONS) <= set(OUTCOMES)
    assert {f"ended_{layer}_per_decade" for layer in LAYERS} <= set(OUTCOMES)


def test_summary_rows_follow_the_registry(full):
    s = full.summary()
    assert list(s.index) == list(OUTCOMES)
    assert list(s["label"]) == [o.label for o in OUTCOMES.values()]
    assert s.loc["wars_per_decade", "mean"] == pytest.approx(full.outcomes["wars_per_decade"].mean())


def test_outcomes_cli_lists_the_registry():
    r = CliRunner().invoke(app, ["outcomes", "--verbose"], terminal_width=400)
    assert r.exit_code == 0, r.output
    for o in OUTCOMES.values():
        assert o.name in r.output
    assert "better" in r.output and "reads" in r.output


# ----------------------------------------------------------------------------- tidy tables
@pytest.mark.parametrize("record", ["full", "summary"])
def test_every_table_carries_the_identity_columns(full, record):
    res = full if record == "full" else secorder.simulate(SMALL, years=YEARS, runs=RUNS, seed=SEED, record="summary")
    tables = TABLES if record == "full" else ("outcomes", "system_mean", "institutions_mean")
    for name in tables:
        df = res.to_pandas(name)
        assert len(df) > 0, name
        expected = [*ID_COLUMNS, "run"] if name in PER_RUN_TABLES else list(ID_COLUMNS)
        assert list(df.columns[: len(expected)]) == expected, name
        assert set(df["scenario"]) == {"mini"} and set(df["architecture"]) == {"status-quo"}, name
        assert set(df["parameter_hash"]) == {res.params.hash()} and set(df["seed"]) == {SEED}, name
        if "run" in df:
            assert df["run"].min() >= 0 and df["run"].max() < RUNS, name
    if record == "summary":
        with pytest.raises(ValueError, match="record='full'"):
            res.to_pandas("states")


def test_outcomes_table_values_and_unknown_table(full):
    df = full.to_pandas("outcomes")
    assert len(df) == RUNS * len(OUTCOMES)
    wide = df.pivot(index="run", columns="outcome", values="value")
    for name in OUTCOMES:
        assert np.array_equal(wide[name].to_numpy(), full.outcomes[name])
    with pytest.raises(ValueError, match="unknown table 'nope'"):
        full.to_pandas("nope")


def test_a_root_seed_sequence_is_recorded_as_its_integer_seed():
    """The run specification turns a root SeedSequence into the integer seed it stands for."""
    res = secorder.simulate(SMALL, years=2, runs=3, seed=np.random.SeedSequence(4), record="summary")
    df = res.to_pandas("outcomes")
    assert (df["seed"] == 4).all() and str(df["seed"].dtype) == "Int64"


def test_save_writes_tables_and_manifest_without_importing_report(full, tmp_path):
    out = full.save(tmp_path / "res")
    manifest = json.loads((out / "manifest.json").read_text())
    assert "plots" not in manifest and not list(out.glob("*.png"))
    for t in manifest["tables"]:
        assert (out / t).exists()
    states = pd.read_parquet(out / "states.parquet")
    assert list(states.columns[:5]) == [*ID_COLUMNS, "run"]
    pd.testing.assert_frame_equal(states, full.to_pandas("states"))
    with_plots = save_results(full, tmp_path / "res-plots")
    assert sorted(json.loads((with_plots / "manifest.json").read_text())["plots"]) == [
        "disputes.png", "military_spending.png", "trust.png"]


# ----------------------------------------------------------------------------- comparisons
def _previous_table(cmp) -> pd.DataFrame:
    """The comparison table as computed before it was built from tidy tables (per-arch arrays)."""
    lo_q, hi_q = (1 - cmp.level) / 2, 1 - (1 - cmp.level) / 2
    rows = []
    for o in OUTCOMES:
        for a, res in cmp.results.items():
            v = res.outcomes[o]
            d, d_lo, d_hi = paired_interval(res.outcomes[o] - cmp.results[cmp.baseline].outcomes[o], cmp.level)
            rows.append({"outcome": o, "label": OUTCOMES[o].label, "architecture": a, "mean": float(v.mean()),
                         "q_low": float(np.quantile(v, lo_q)), "q_high": float(np.quantile(v, hi_q)),
                         "diff": d, "diff_low": d_lo, "diff_high": d_hi})
    return pd.DataFrame(rows)


def test_comparison_is_concatenation_plus_paired_statistics(cmp):
    tidy = concat_tables([res.to_pandas("outcomes") for res in cmp.results.values()])
    pd.testing.assert_frame_equal(tidy, cmp.to_pandas())
    table = paired_statistics(tidy, "status-quo", level=cmp.level)
    pd.testing.assert_frame_equal(table, cmp.table())
    pd.testing.assert_frame_equal(table, _previous_table(cmp), check_exact=True)
    picked = cmp.table(["wars_per_decade", "crises_per_decade"])
    assert list(picked["outcome"]) == ["wars_per_decade"] * 3 + ["crises_per_decade"] * 3
    assert list(picked["architecture"]) == ["status-quo", "self-help", "cooperative-forum"] * 2


def test_paired_statistics_pair_on_common_runs_only(cmp):
    """Results saved separately with different run counts are paired on the runs they share."""
    base = cmp.results["status-quo"]
    fewer = secorder.simulate(SMALL, years=YEARS, runs=RUNS // 2, seed=SEED, architecture="self-help",
                              record="summary")
    tidy = pd.concat([base.to_pandas("outcomes"), fewer.to_pandas("outcomes")], ignore_index=True)
    assert set(RUN_KEY) <= set(tidy.columns)
    table = paired_statistics(tidy, "status-quo", names=["crises_per_decade"])
    row = table[table["architecture"] == "self-help"].iloc[0]
    diff = fewer.outcomes["crises_per_decade"] - base.outcomes["crises_per_decade"][: RUNS // 2]
    assert (row["diff"], row["diff_low"], row["diff_high"]) == paired_interval(diff, 0.90)
    assert row["mean"] == fewer.outcomes["crises_per_decade"].mean()
    other_seed = secorder.simulate(SMALL, years=YEARS, runs=4, seed=SEED + 1, architecture="self-help",
                                   record="summary").to_pandas("outcomes")
    lonely = paired_statistics(pd.concat([base.to_pandas("outcomes"), other_seed]), "status-quo",
                               names=["crises_per_decade"])
    assert np.isnan(lonely.iloc[1]["diff"])  # another seed: no common futures to pair


def test_paired_statistics_rejects_bad_tables(cmp):
    tidy = cmp.to_pandas()
    with pytest.raises(ValueError, match="baseline 'nope'"):
        paired_statistics(tidy, "nope")
    with pytest.raises(ValueError, match="lacks the columns"):
        paired_statistics(tidy.drop(columns=["seed"]), "status-quo")
    with pytest.raises(ValueError, match="more than one value"):
        paired_statistics(pd.concat([tidy, tidy]), "status-quo")


def test_comparison_time_paths_are_concatenated_means(cmp):
    paths = cmp.time_paths()
    assert list(paths.columns) == [*ID_COLUMNS, "year", "variable", "value"]
    assert list(paths["architecture"].cat.categories) == cmp.architectures
    sub = paths[(paths["architecture"] == "self-help") & (paths["variable"] == "crises")]
    assert np.array_equal(sub["value"].to_numpy(), cmp.results["self-help"].system_mean["crises"])


def test_seed_none_draws_a_recorded_seed_that_reproduces_the_results():
    res = secorder.simulate(SMALL, years=3, runs=4, seed=None, record="summary")
    assert isinstance(res.seed, int) and res.seed >= 0
    assert set(res.to_pandas("outcomes")["seed"]) == {res.seed}
    again = secorder.simulate(SMALL, years=3, runs=4, seed=res.seed, record="summary")
    for name in OUTCOMES:
        assert np.array_equal(res.outcomes[name], again.outcomes[name])


# ----------------------------------------------------------------------------- dispute spells
def test_recurrence_outcomes_pool_over_the_years():
    """prd_recurrence = onsets after a dispute / pairs after a dispute, summed over years; 0 when
    no pair had a dispute."""
    series = {k: np.zeros((2, 3)) for k in SYSTEM_SERIES}
    series["prd_after_dispute"][0] = [2, 3, 5]
    series["prd_onsets_after_dispute"][0] = [1, 0, 1]
    series["prd_after_peace"][:] = 100
    series["prd_onsets_after_peace"][1] = [1, 2, 0]
    np.testing.assert_allclose(OUTCOMES["prd_recurrence"](series), [0.2, 0.0])
    np.testing.assert_allclose(OUTCOMES["prd_onset_after_peace"](series), [0.0, 0.01])


def test_dispute_spell_series_count_pairs(small_world):
    """Hand-made spells: one new onset, one ongoing dispute, one that ended the year before."""
    from secorder.params import Params
    from secorder.recording import yearly_system
    from secorder.world import OUTCOME

    w = small_world
    n = w.n_states
    crisis = np.zeros(w.crisis.shape, bool)
    outcome = np.zeros(w.outcome.shape, np.int8)
    crisis[:, 3, 4], outcome[:, 3, 4] = True, OUTCOME["deterrence"]   # PRK -> ROK, a new dispute
    ongoing = np.zeros_like(crisis)
    ongoing[:, 1, 5] = ongoing[:, 5, 1] = True                          # CHN-TAW goes on
    last = ongoing.copy()
    last[:, 0, 1] = last[:, 1, 0] = True                                # USA-CHN ended last year
    w = w.apply({"crisis": crisis, "outcome": outcome, "ongoing": ongoing, "disputed_last": last})
    s = yearly_system(w, Params())
    assert n == 6
    np.testing.assert_array_equal(s["disputes_ongoing"], 1)
    np.testing.assert_array_equal(s["disputes_ended"], 1)
    np.testing.assert_array_equal(s["dispute_years"], 2)
    np.testing.assert_array_equal(s["militarised"], 1)
    assert (s["prd_after_dispute"] <= 2).all() and (s["prd_onsets_after_dispute"] == 0).all()
    assert (s["prd_onsets_after_peace"] == s["prd_disputes"]).all()
