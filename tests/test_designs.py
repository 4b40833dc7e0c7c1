"""Staged designs: stages in order, triggers, failure rules, common random numbers, bad files."""

from __future__ import annotations

import numpy as np
import pytest

from secorder.designs import (
    BASELINE,
    VARIABLES,
    builtin_designs,
    load_design,
    plan_design,
    register,
    run_designs,
    simulate_design,
    validate_design,
)
from secorder.designs.runner import NEVER
from secorder.errors import InputError
from secorder.scenario import load_scenario
from tests.cli_invoke import secorder
from tests.conftest import SMALL

START = 2000  # the small scenario's year
CODES = ["USA", "CHN", "JPN", "PRK", "ROK", "TAW"]


def forum(**extra):
    return {"id": "dialogue", "name": "Regional dialogue", "type": "cooperative_forum",
            "members": ["USA", "CHN", "JPN", "ROK"], "depth": 0.2, "transparency": 0.2, **extra}


def design(*stages, name="test-design"):
    return {"name": name, "stages": list(stages)}


def create(trigger=None, **extra):
    return {"name": "create", "kind": "create", "trigger": trigger or {"year": START}, "institution": forum(),
            **extra}


@pytest.fixture(scope="module")
def small():
    return load_scenario(SMALL)


def run(d, small, years=6, runs=8, seed=3, **kw):
    return simulate_design(d, small, years=years, runs=runs, seed=seed, **kw)


# ------------------------------------------------------------------------------ stages and triggers
def test_year_triggers_fire_exactly_at_their_year_and_in_order(small):
    d = design(create({"year": START + 1}),
               {"kind": "deepen", "trigger": {"year": START + 3}, "depth": 0.6},
               {"kind": "widen", "trigger": {"year": START + 4}, "members": ["PRK"]})
    r = run(d, small)
    assert (r.record.reached == [START + 1, START + 3, START + 4]).all()
    assert (r.record.level == [0, 1, 1, 2, 3, 3]).all()
    s = list(r.plan.slots)
    world_members = r.plan.scenario.institutions[s[2]].members
    assert set(world_members) == {"USA", "CHN", "JPN", "ROK", "PRK"}
    # reached by each year: 0 before the year, 1 from it on
    reach = r.reach()
    second = reach[reach["stage"] == 2].set_index("year")["reached"]
    assert second[START + 2] == 0.0 and second[START + 3] == 1.0


def test_at_most_one_stage_a_year(small):
    d = design(create(), {"kind": "deepen", "trigger": {"year": START}, "depth": 0.5},
               {"kind": "widen", "trigger": {"year": START}, "members": ["PRK"]})
    r = run(d, small, years=4, runs=3)
    assert (r.record.reached == [START, START + 1, START + 2]).all()


def test_the_stage_in_place_is_the_one_slot_filled(small):
    d = design(create(), {"kind": "deepen", "trigger": {"year": START + 2}, "depth": 0.7, "transparency": 0.6},
               {"kind": "add_teeth", "trigger": {"year": START + 3}, "obligation": 0.4})
    r = run(d, small, years=5, runs=4, record="full")
    members = r.results.institutions["members"][:, :, list(r.plan.slots)]  # (R,T,S) member counts
    filled = (members >= 2).sum(axis=2)
    assert (filled == 1).all()  # one slot at a time
    assert (np.argmax(members >= 2, axis=2) == r.record.level - 1).all()
    depth = r.results.institutions["depth"][:, 2, r.plan.slots[1]]
    assert (depth >= 0.7 - 0.05).all()  # deepened to 0.7 at the start of the year, then the year's change
    teeth = r.plan.scenario.institutions[r.plan.slots[2]]
    assert teeth.obligation == 0.4 and teeth.target == "any_member"
    assert r.plan.scenario.institutions[r.plan.slots[1]].obligation == 0.0


def test_a_stage_whose_trigger_never_fires_is_never_reached_nor_any_later_one(small):
    d = design(create(),
               {"kind": "deepen", "trigger": {"variable": "trust", "pair": ["CHN", "JPN"], "above": 1.0},
                "depth": 0.6},
               {"kind": "add_rules", "trigger": {"year": START + 2}, "regime_rule": "mutual_recognition"})
    r = run(d, small)
    assert (r.record.reached[:, 0] == START).all()
    assert (r.record.reached[:, 1:] == NEVER).all()
    assert (r.record.level <= 1).all()


def test_a_condition_trigger_fires_only_in_the_runs_where_it_holds(small):
    probe = run(design(create()), small, years=6, runs=16, record="full")
    trust = probe.results.system["mean_trust"]  # (R,T) at the end of each year
    threshold = float(np.median(trust[:, :-1].max(axis=1)))  # about half the runs exceed it
    d = design(create(), {"kind": "deepen", "trigger": {"variable": "mean_trust", "above": threshold},
                          "depth": 0.5})
    r = run(d, small, years=6, runs=16, record="full")
    # the deepening changes the world only after it fires: until then the paths are the probe's
    trust = r.results.system["mean_trust"]
    expected = np.full(16, NEVER)
    for k in range(16):
        later = np.flatnonzero(trust[k, :-1] > threshold)  # end of year t -> start of year t+1
        if later.size:
            expected[k] = START + later[0] + 1
    assert (r.record.reached[:, 1] == expected).all()
    assert 0 < (expected != NEVER).sum() < 16  # some runs reach it, others do not


def test_and_conditions_and_not_before(small):
    d = design(create(), {"kind": "deepen", "depth": 0.5, "trigger": {
        "all": [{"variable": "years_at_stage", "at_least": 1}, {"variable": "members", "institution": "dialogue",
                                                                "at_least": 2}], "not_before": START + 4}})
    r = run(d, small)
    assert (r.record.reached[:, 1] == START + 4).all()


def test_for_years_needs_the_condition_that_many_years_in_a_row(small):
    d = design(create(), {"kind": "deepen", "depth": 0.5,
                          "trigger": {"variable": "years_at_stage", "at_least": 1, "for_years": 3}})
    r = run(d, small)
    assert (r.record.reached[:, 1] == START + 3).all()


# ------------------------------------------------------------------------------ failures
def forced_failure(action, **extra):
    return {"variable": "years_at_stage", "at_least": 1, "within": 2}, {"action": action, **extra}


def test_retry_undoes_the_stage_and_tries_again_after_the_wait(small):
    fails, on = forced_failure("retry", after=2, attempts=2)
    r = run(design(create(fails_if=fails, on_failure=on)), small, years=8)
    # created 2000, fails 2001, back 2003, fails 2004, no third attempt
    assert (r.record.level == [1, 0, 0, 1, 0, 0, 0, 0]).all()
    assert (r.record.failures[:, 0] == 2).all() and r.record.ended.all() and not r.record.abandoned.any()


def test_revert_returns_to_the_previous_stage_for_good(small):
    fails, on = forced_failure("revert")
    d = design(create(), {"kind": "deepen", "trigger": {"year": START + 1}, "depth": 0.6, "fails_if": fails,
                          "on_failure": on},
               {"kind": "add_rules", "trigger": {"year": START + 3}, "decision_rule": "majority"})
    r = run(d, small, record="full")
    assert (r.record.level == [1, 2, 1, 1, 1, 1]).all()
    assert (r.record.reached[:, 2] == NEVER).all() and r.record.ended.all()
    # the deepening is undone: the depth goes back to at most what it was before it
    before = r.results.institutions["depth"][:, 0, r.plan.slots[0]]
    after = r.results.institutions["depth"][:, 2, r.plan.slots[0]]
    assert (after < 0.6).all() and (after <= before + 0.05).all()


def test_abandon_dissolves_the_institution(small):
    fails, on = forced_failure("abandon")
    d = design(create(), {"kind": "widen", "trigger": {"year": START + 1}, "members": ["PRK"], "fails_if": fails,
                          "on_failure": on})
    r = run(d, small, record="full")
    assert (r.record.level == [1, 2, 0, 0, 0, 0]).all()
    assert r.record.abandoned.all()
    members = r.results.institutions["members"][:, 2:, list(r.plan.slots)]
    assert (members == 0).all()


def test_member_fights_counts_only_since_the_stage(small):
    fails = {"variable": "member_fights", "institution": "dialogue", "at_least": 1, "within": 50}
    r = run(design(create(fails_if=fails, on_failure={"action": "abandon"})), small, years=12, runs=24,
            record="full")
    fought = r.results.system["fatal"]  # region-wide: an upper bound of fights among members
    never_fought = fought.sum(axis=1) == 0
    assert not r.record.abandoned[never_fought].any()


# ------------------------------------------------------------------------------ common random numbers
def test_a_design_that_never_starts_changes_nothing(small):
    idle = design(create({"year": START + 50}), name="idle")
    cmp = run_designs([idle], small, years=6, runs=6, seed=5)
    base, des = cmp.baseline.outcomes, cmp.runs["idle"].results.outcomes
    for name in base:
        np.testing.assert_array_equal(base[name], des[name], err_msg=name)
    assert (cmp.runs["idle"].record.reached == NEVER).all()


def test_same_seed_same_result_in_any_chunk(small):
    d = design(create(), {"kind": "deepen", "trigger": {"variable": "mean_trust", "above": 0.3}, "depth": 0.5})
    a = run(d, small, runs=6, seed=9)
    b = run(d, small, runs=6, seed=9, chunk_size=4)
    np.testing.assert_array_equal(a.record.reached, b.record.reached)
    np.testing.assert_array_equal(a.record.level, b.record.level)
    for name in a.results.outcomes:
        np.testing.assert_array_equal(a.results.outcomes[name], b.results.outcomes[name])


def test_designs_are_paired_with_the_baseline_run_by_run(small):
    d = design(create(), name="early")
    cmp = run_designs([d], small, years=5, runs=6, seed=2)
    t = cmp.table(["mean_trust_final"])
    diff = cmp.paired("mean_trust_final", "early")
    row = t[t["design"] == "early"].iloc[0]
    assert row["diff"] == pytest.approx(diff.mean())
    assert set(t["design"]) == {BASELINE, "early"}


# ------------------------------------------------------------------------------ shipped designs
def test_at_least_three_shipped_designs_with_sources():
    names = builtin_designs()
    assert len(names) >= 3
    for n in names:
        d = load_design(n)
        assert d.sources and d.title and d.description and d.scenario


@pytest.mark.parametrize("scenario", ["northeast-asia-2003", "asia-pacific-2024"])
def test_shipped_designs_place_on_the_northeast_asian_scenarios(scenario):
    sc = load_scenario(scenario)
    for n in builtin_designs():
        plan = plan_design(load_design(n), sc, n)
        assert len(plan.slots) == len(load_design(n).stages)


def test_shipped_designs_run():
    cmp = run_designs(builtin_designs(), years=6, runs=3, seed=0)
    assert set(cmp.designs) == set(builtin_designs())
    reach = cmp.reach()
    assert ((reach["reached"] >= 0) & (reach["reached"] <= 1)).all()
    # shares reached by each year never fall, and a later stage is never reached more often than an earlier one
    for _, part in reach.groupby(["design", "stage"]):
        assert (np.diff(part["reached"].to_numpy()) >= 0).all()
    wide = reach.pivot_table(index=["design", "year"], columns="stage", values="reached")
    assert (np.diff(wide.to_numpy(), axis=1)[~np.isnan(np.diff(wide.to_numpy(), axis=1))] <= 1e-12).all()


# ------------------------------------------------------------------------------ registry
def test_another_module_can_register_a_variable(small):
    @register("test_gdp_share", "state", "The state's share of the region's GDP (a test variable).")
    def gdp_share(view, target):
        return view.world.gdp[:, target.state] / view.world.gdp.sum(axis=1)

    try:
        d = design(create(), {"kind": "deepen", "depth": 0.5,
                              "trigger": {"variable": "test_gdp_share", "state": "CHN", "above": 0.0}})
        r = run(d, small, years=3, runs=2)
        assert (r.record.reached[:, 1] == START + 1).all()
        with pytest.raises(ValueError, match="registered twice"):
            register("test_gdp_share", "state", "again")(gdp_share)
    finally:
        del VARIABLES["test_gdp_share"]


# ------------------------------------------------------------------------------ bad files
BAD = [
    ({"stages": [{"kind": "build", "trigger": {"year": 2001}}]}, "stages[0].kind", "unknown stage kind"),
    ({"stages": [{"name": "talks", "kind": "create", "trigger": {"year": 2001}, "institution": forum()},
                 {"name": "cbm", "kind": "deepen", "depth": 0.5,
                  "trigger": {"variable": "tension", "above": 0.2}}]},
     "stages[1] (cbm).trigger.variable", "unknown variable"),
    ({"stages": [{"kind": "deepen", "trigger": {"year": 2001}, "depth": 0.4},
                 {"kind": "create", "trigger": {"year": 2002}, "institution": forum()}]},
     "stages[0] (deepen).kind", "first stage must create"),
    ({"stages": [create({"year": 2005}), {"kind": "deepen", "trigger": {"year": 2003}, "depth": 0.4}]},
     "stages[1] (deepen).trigger.year", "out of order"),
    ({"stages": [create(), {"name": "w", "kind": "widen", "trigger": {"year": 2003}, "members": ["XYZ"]}]},
     "stages[1] (w).members", "unknown state code"),
    ({"stages": [create(), {"kind": "deepen", "depth": 0.5,
                            "trigger": {"variable": "trust", "pair": ["CHN", "QQQ"], "above": 0.5}}]},
     "stages[1] (deepen).trigger.pair", "unknown state code"),
    ({"stages": [create(), {"kind": "deepen", "depth": 0.5, "trigger": {"variable": "trust", "above": 0.5}}]},
     "stages[1] (deepen).trigger.pair", "needs pair"),
    ({"stages": [create(), {"kind": "deepen", "depth": 1.5, "trigger": {"year": 2003}}]},
     "stages[1].depth", "less than or equal to 1"),
    ({"stages": [create(), {"kind": "deepen", "depth": 0.5, "trigger": {"variable": "trust", "pair": ["CHN", "JPN"],
                                                                        "above": 0.5, "below": 0.9}}]},
     "stages[1].trigger", "exactly one of"),
    ({"stages": [create(), {"kind": "add_rules", "trigger": {"year": 2003}}]}, "stages[1]", "changes nothing"),
    ({"stages": [create(), {"kind": "deepen", "depth": 0.5, "trigger": {"year": 2003},
                            "on_failure": {"action": "panic"}}]}, "stages[1].on_failure.action", "retry"),
    ({"stages": [create(), {"kind": "deepen", "depth": 0.5,
                            "trigger": {"variable": "crises_handled", "institution": "nato", "at_least": 1}}]},
     "stages[1] (deepen).trigger.institution", "no institution 'nato'"),
]


@pytest.mark.parametrize(("data", "field", "message"), BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_designs_name_the_stage_and_field(small, data, field, message):
    with pytest.raises(InputError) as err:
        plan_design(validate_design({"name": "bad", **data}, "bad.yaml"), small, "bad.yaml")
    text = str(err.value)
    assert f"bad.yaml: {field}" in text and message in text, text


def test_cli_validate_and_run(tmp_path):
    import yaml

    f = tmp_path / "d.yaml"
    f.write_text(yaml.safe_dump(design(create(), {"kind": "deepen", "trigger": {"year": START + 1}, "depth": 0.5})))
    r = secorder(*["design", "validate", str(f), "--scenario", str(SMALL)])
    assert r.returncode == 0 and "ok: test-design (2 stages)" in r.stdout
    out = tmp_path / "out"
    r = secorder(*["design", "run", str(f), "--scenario", str(SMALL), "--runs", "3", "--years", "3", "--out", str(out)])
    assert r.returncode == 0, r.stderr
    assert "share of 3 runs that reached each stage" in r.stdout and "paired difference" in r.stdout
    assert {p.name for p in out.iterdir()} >= {"reach.csv", "stages.csv", "comparison.csv", "reach.png",
                                               "manifest.json"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(design(create(), {"name": "x", "kind": "deepen", "depth": 0.4,
                                                    "trigger": {"variable": "nope", "above": 1}})))
    r = secorder(*["design", "run", str(bad), "--scenario", str(SMALL), "--runs", "2", "--years", "1",
                  "--out", str(tmp_path / "never")])
    assert r.returncode == 2 and "stages[1] (x).trigger.variable" in r.stderr
    assert not (tmp_path / "never").exists()


def test_the_docs_list_every_variable():
    from pathlib import Path

    page = (Path(__file__).parents[1] / "docs" / "designs.md").read_text(encoding="utf-8")
    for name in VARIABLES:
        assert f"`{name}`" in page, name


def test_charter_conditions_follow_the_stage_in_place(small):
    d = design(create(), {"kind": "widen", "trigger": {"variable": "charter_support", "institution": "dialogue",
                                                        "at_least": 0.0}, "members": ["PRK"]},
               {"kind": "deepen", "depth": 0.5,
                "trigger": {"variable": "charter_arrangements", "institution": "dialogue", "at_least": 0.0}})
    r = run(d, small, years=4, runs=3)
    assert (r.record.reached == [START, START + 1, START + 2]).all()


def test_differences_from_another_design(small):
    a, b = design(create(), name="early"), design(create({"year": START + 2}), name="late")
    cmp = run_designs([a, b], small, years=4, runs=5, seed=2, reference="late")
    t = cmp.table(["mean_trust_final"]).set_index("design")
    assert t.loc["late", "diff"] == 0.0
    assert t.loc["early", "diff"] == pytest.approx(cmp.paired("mean_trust_final", "early").mean())
    with pytest.raises(InputError, match="reference"):
        run_designs([a], small, years=1, runs=2, reference="nowhere")


@pytest.mark.slow
def test_workers_do_not_change_results(small):
    d = design(create(), {"kind": "deepen", "trigger": {"variable": "mean_trust", "above": 0.3}, "depth": 0.5})
    one = run(d, small, runs=6, seed=9, chunk_size=3, workers=1)
    two = run(d, small, runs=6, seed=9, chunk_size=3, workers=2)
    np.testing.assert_array_equal(one.record.level, two.record.level)
    for name in one.results.outcomes:
        np.testing.assert_array_equal(one.results.outcomes[name], two.results.outcomes[name])


def test_the_table_adds_the_order_shares_that_vary(small):
    cmp = run_designs([design(create(), name="early")], small, years=4, runs=4, seed=2)
    names = cmp.default_outcomes()
    assert names[:5] == ["disputes_per_decade", "fatal_disputes_per_decade", "wars_per_decade", "mean_trust_final",
                         "order_index_final"]
    frame = cmp.outcomes()
    for n in names[5:]:
        v = frame.loc[frame["outcome"] == n, "value"]
        assert n.startswith("share_") and v.max() > v.min()
    assert set(cmp.table()["outcome"]) == set(names)


def test_falling_back_to_a_stage_does_not_reopen_its_failure_window(small):
    fails, on = forced_failure("retry", after=2)
    d = design(create(fails_if={"variable": "years_at_stage", "at_least": 2, "within": 3},
                      on_failure={"action": "abandon"}),
               {"kind": "deepen", "trigger": {"year": START + 1}, "depth": 0.6, "fails_if": fails, "on_failure": on})
    r = run(d, small, years=6)
    # stage 1 reached 2000 (its window: 2001-2003), stage 2 in 2001, failed 2002: back at stage 1, whose
    # two years there (2004) fall after its window; stage 2 again in 2004, failed 2005
    assert (r.record.level == [1, 2, 1, 1, 2, 1]).all() and not r.record.abandoned.any()


def test_a_story_tells_the_stages(small):
    from secorder.story import story

    fails, on = forced_failure("retry", after=2)
    d = design(create(), {"name": "deeper", "kind": "deepen", "trigger": {"year": START + 1}, "depth": 0.6,
                          "fails_if": fails, "on_failure": on})
    text = story(SMALL, run=0, years=5, seed=1, design=d).text()
    assert "test-design reached stage 1, create (year 2000): dialogue created (USA, CHN, JPN, ROK)" in text
    assert "2001: test-design reached stage 2, deeper" in text
    assert "2002: test-design stage 2 (deeper) failed (years_at_stage at least 1 within 2 years): undone, " \
           "to be tried again from 2004" in text
    assert "dialogue-s" not in text


def test_cli_list_and_show():
    r = secorder("design", "list")
    assert r.returncode == 0 and all(n in r.stdout for n in builtin_designs())
    r = secorder("design", "show", "neamsec-six-party")
    assert r.returncode == 0 and "NEAPSM working group" in r.stdout and "source: Joint Statement" in r.stdout
    assert "retry after 3 years" in r.stdout
