"""Transitions between order types, and the simulated history of one run (``secorder story``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import secorder
from secorder.errors import InputError
from secorder.orders import ORDER_CODE
from secorder.report.history import run_history
from secorder.story import story
from secorder.transitions import order_transitions, smooth, transitions
from tests.cli_invoke import secorder as run_cli

CASES = Path(__file__).resolve().parent / "fixtures" / "orders"
BOP, HEG, COMMUNITY = ORDER_CODE["balance_of_power"], ORDER_CODE["hegemonic"], ORDER_CODE["security_community"]


# ------------------------------------------------------------------------------ transitions: arithmetic
def test_matrix_first_transition_and_paths_from_codes():
    codes = np.array([
        [BOP, BOP, COMMUNITY, COMMUNITY],
        [BOP, HEG, BOP, BOP],
        [BOP, BOP, BOP, BOP],
    ])
    t = order_transitions(codes, start_year=1990)
    assert t.counts.to_numpy().sum() == 3 * 3
    assert t.counts.at["balance_of_power", "security_community"] == 1
    assert t.counts.at["balance_of_power", "hegemonic"] == 1 and t.counts.at["hegemonic", "balance_of_power"] == 1
    assert t.counts.at["balance_of_power", "balance_of_power"] == 5
    assert t.matrix.loc["balance_of_power"].sum() == pytest.approx(1.0)
    assert t.first["first_transition_year"].tolist()[:2] == [1992, 1991] and np.isnan(t.first.at[2, "years_to_first"])
    assert t.first["first_transition_to"].tolist()[:2] == ["security_community", "hegemonic"]
    assert dict(zip(t.paths["path"], t.paths["runs"], strict=True)) == {
        "balance_of_power": 1, "balance_of_power -> hegemonic -> balance_of_power": 1,
        "balance_of_power -> security_community": 1}
    summary = t.summary()
    assert summary.at["balance_of_power", "share_changed"] == pytest.approx(2 / 3)


def test_min_spell_ignores_blips_but_keeps_lasting_changes():
    codes = np.array([[BOP, HEG, BOP, BOP, COMMUNITY, COMMUNITY, COMMUNITY]])
    np.testing.assert_array_equal(smooth(codes, 2)[0], [BOP, BOP, BOP, BOP, COMMUNITY, COMMUNITY, COMMUNITY])
    assert order_transitions(codes, 2000, min_spell=2).paths["path"].tolist() == [
        "balance_of_power -> security_community"]
    with pytest.raises(InputError, match="min_spell"):
        order_transitions(codes, 2000, min_spell=0)


# ------------------------------------------------------------------------------ transitions: from the mechanisms
def _western_europe(**dyad_defaults) -> dict:
    from secorder.scenario import load_scenario

    data = load_scenario(CASES / "western-europe-1957.yaml").model_dump(mode="json")
    data["dyad_defaults"].update(dyad_defaults)
    return data


def test_a_community_forms_after_sustained_peace():
    """Western Europe with its last war only 4 years back: a community is detected only once the
    members have had community_peace_years (10) without a dispute, so most runs pass from a
    balance of power to a security community (the others had a dispute on the way) -- after 5
    years or more, never before."""
    res = secorder.simulate(_western_europe(peace_years=4), years=14, runs=30, seed=2, record="full", workers=1)
    t = transitions(res)
    assert t.counts.at["balance_of_power", "security_community"] > 0
    to_community = t.first[t.first["first_transition_to"] == "security_community"]
    assert len(to_community) >= 0.5 * t.runs
    assert (to_community["years_to_first"] >= 5).all()


def test_no_transition_to_community_where_trust_is_absent():
    """The same region with trust far below community_trust: no run ever becomes a community."""
    res = secorder.simulate(_western_europe(peace_years=4, trust=0.2), years=14, runs=30, seed=2, record="full",
                            workers=1)
    t = transitions(res)
    assert t.counts["security_community"].sum() == 0
    assert not t.paths["path"].str.contains("security_community").any()


def test_transitions_need_per_run_orders():
    res = secorder.simulate(str(CASES / "south-asia-2000.yaml"), years=3, runs=4, record="summary")
    with pytest.raises(InputError, match="record='full'"):
        transitions(res)


def test_transitions_command_simulates_or_reads_a_results_folder(tmp_path):
    case = CASES / "western-europe-1957.yaml"
    r = run_cli("transitions", case, "--runs", "10", "--years", "6", "-q", "--out", tmp_path / "tr")
    assert r.returncode == 0, r.stderr
    assert "year-to-year transitions" in r.stdout and "most common paths" in r.stdout
    assert sorted(p.name for p in (tmp_path / "tr").iterdir()) == [
        "first.csv", "manifest.json", "paths.csv", "transitions.csv", "transitions.png"]
    matrix = pd.read_csv(tmp_path / "tr" / "transitions.csv", index_col=0)
    assert matrix.to_numpy().sum() == 10 * 5
    assert run_cli("run", case, "--runs", "10", "--years", "6", "--record", "full", "-q", "--no-plots",
                   "--out", tmp_path / "res").returncode == 0
    again = run_cli("transitions", tmp_path / "res", "--out", tmp_path / "tr2")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "tr2" / "transitions.csv").read_bytes() == (tmp_path / "tr" / "transitions.csv").read_bytes()
    summary = run_cli("run", case, "--runs", "4", "--years", "3", "--record", "summary", "-q", "--no-plots",
                      "--out", tmp_path / "sum")
    assert summary.returncode == 0
    bad = run_cli("transitions", tmp_path / "sum")
    assert bad.returncode == 2 and "--record full" in bad.stderr


# ------------------------------------------------------------------------------ story
def test_story_tells_the_same_crises_as_the_batch():
    """Run 2 told alone has the crises of run 2 in a batch (same seed), in the same words."""
    s = story("northeast-asia-2003", run=2, years=12, seed=5)
    res = secorder.simulate("northeast-asia-2003", years=12, runs=3, seed=5, record="full", workers=1)
    batch = [line for line in run_history(res, 2)[1:] if "challenged" in line]
    told = {year: "; ".join(p for p in parts if "challenged" in p) for year, parts in s.years}
    for line in batch:
        year, _, crises = line.partition(": ")
        crises = "; ".join(p for p in crises.split("; ") if "the order became" not in p)
        for sentence in crises.split("; "):
            if "challenged" in sentence:
                assert sentence.split(":")[0] in told[int(year)]
    assert s.lines()[0] == "northeast-asia-2003 (status-quo), run 2 of seed 5, from 2003"


def test_story_tells_institutions_forming_allies_and_orders():
    """Western Europe with a recent war: the story tells the community forming (socialisation)
    and the change of order; South Asia tells its crises and who stayed out."""
    region = _western_europe(peace_years=4)
    res = secorder.simulate(region, years=12, runs=10, seed=2, record="full", workers=1)
    first = transitions(res).first
    run = int(first.loc[first["first_transition_to"] == "security_community", "run"].iloc[0])
    year = int(first.at[run, "first_transition_year"])
    s = story(region, run=run, years=12, seed=2)
    told = dict(s.years)[year]
    assert any(p.startswith("the members of ") and p.endswith("became a security community") for p in told), told
    assert "the order became security community (was balance of power)" in told
    frame = s.to_frame()
    assert list(frame.columns) == ["year", "sentence"] and len(frame) >= 2
    asia = story(str(CASES / "south-asia-2000.yaml"), run=1, years=20, seed=3).text()
    assert "IND challenged PAK" in asia or "PAK challenged IND" in asia


def test_story_command_and_bad_run(tmp_path):
    r = run_cli("story", "northeast-asia-2003", "--run", "1", "--years", "5", "--seed", "2")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "northeast-asia-2003 (status-quo), run 1 of seed 2, from 2003"
    assert r.stdout.splitlines()[1].startswith("2003: the order is ")
    bad = run_cli("story", "northeast-asia-2003", "--run", "-1")
    assert bad.returncode == 2 and "--run" in bad.stderr
    with pytest.raises(InputError, match="run: must be a whole number"):
        story("northeast-asia-2003", run=-2, years=2)
