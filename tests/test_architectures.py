"""Architectures, levers, comparisons on common random numbers, and the claim experiments."""

from __future__ import annotations

import json

import numpy as np
import pytest

import secorder
from secorder.architectures import apply_architecture, builtin_names, leader, load_architecture
from secorder.errors import InputError
from secorder.experiments import compare, paired_interval
from secorder.experiments.claims import CLAIMS
from secorder.experiments.framework import run_claim
from secorder.report import save_comparison
from secorder.report.experiments import write_report
from secorder.scenario import load_scenario
from tests.cli_invoke import secorder as secorder_cli

AP = "asia-pacific-2000"
REQUIRED = {"status-quo", "self-help", "balance-of-power", "hegemony", "bilateral-alliances", "alt-bilateral",
            "collective-defense", "collective-security", "concert", "cooperative-forum", "multilayer",
            "security-community"}


@pytest.fixture(scope="module")
def ap():
    return load_scenario(AP)


def types(overlay):
    return {i.type for i in overlay.scenario.institutions}


def test_registry_has_every_named_architecture_and_each_applies(ap):
    assert REQUIRED <= set(builtin_names())
    for name in builtin_names():
        overlay = apply_architecture(ap, name)
        assert overlay.scenario.codes == ap.codes


def test_operations(ap):
    assert types(apply_architecture(ap, "self-help")) == {"economic"}
    assert types(apply_architecture(ap, "cooperative-forum")) == {"cooperative_forum", "economic"}
    bop_overlay = apply_architecture(ap, "balance-of-power")
    bop = bop_overlay.scenario
    assert bop.system.alignment == "free" and bop_overlay.parameters["bandwagon_weight"] == 0.0
    assert bop.parameters == ap.parameters  # the architecture's parameters are a layer of their own
    heg = apply_architecture(ap, "hegemony").scenario
    spokes = [i for i in heg.institutions if i.id.startswith("hub-")]
    assert leader(ap) == "USA" and all(i.members[0] == "USA" for i in spokes)
    assert not any("CHN" in i.members or "PRK" in i.members for i in spokes)  # quarrelling states are not spokes
    cd = apply_architecture(ap, "collective-defense").scenario
    merged = next(i for i in cd.institutions if i.type == "collective_defense" and i.id == "collective-defense")
    assert {"USA", "JPN", "ROK", "PHI", "THI", "AUL"} <= set(merged.members)
    assert not any(i.type == "bilateral_alliance" and "USA" in i.members for i in cd.institutions)
    alt = apply_architecture(ap, "alt-bilateral").scenario
    assert "us-japan" not in [i.id for i in alt.institutions]
    assert any(i.type == "bilateral_alliance" and "JPN" in i.members and "USA" not in i.members for i in alt.institutions)
    concert = apply_architecture(ap, "concert").scenario
    assert set(next(i for i in concert.institutions if i.type == "concert").members) == {"USA", "CHN", "JPN", "RUS"}


def test_levers(ap):
    levers = [
        {"lever": "tying_down", "states": ["PRK"], "institutions": ["apec"]},
        {"lever": "forum_teeth", "institution": "arf", "obligation": 0.5},
        {"lever": "regime_rule", "institution": "asean", "rule": "defining"},
        {"lever": "opening_up", "states": "all", "rate": 0.02},
        {"lever": "binding", "states": ["USA", "CHN"], "depth": 0.4},
        {"lever": "missile_defense", "states": ["JPN"], "coverage": 0.4, "from_year": 2006},
    ]
    o = apply_architecture(ap, "status-quo", levers)
    by_id = {i.id: i for i in o.scenario.institutions}
    assert "PRK" in by_id["apec"].members
    assert by_id["arf"].obligation == 0.5 and by_id["arf"].target == "any_member"
    assert by_id["asean"].type == "regime_defining" and by_id["asean"].regime_rule == "defining"
    assert all(s.openness == 0.02 for s in o.scenario.states)
    assert set(by_id["binding-usa-chn"].members) == {"USA", "CHN"}
    assert o.schedule[0].year == 2006 and o.scenario.state("JPN").missile_defense == 0.0


def test_missile_defence_is_deployed_in_its_year():
    res = secorder.simulate(AP, years=8, runs=4, seed=0, levers=[
        {"lever": "missile_defense", "states": ["JPN"], "coverage": 0.4, "from_year": 2004}])
    from secorder.mechanisms import initial_world

    assert initial_world(res.scenario, res.params, 1).missile_defense[0, res.scenario.codes.index("JPN")] == 0.0
    assert res.architecture == "status-quo"


@pytest.mark.parametrize(
    ("lever", "field"),
    [
        ({"lever": "missile_defense", "states": ["XYZ"], "coverage": 0.5}, "status-quo: levers[0].states"),
        ({"lever": "forum_teeth", "institution": "nato", "obligation": 0.5}, "status-quo: levers[0].institution"),
        ({"lever": "opening_up", "states": ["USA"]}, "levers[0].rate"),
        ({"lever": "binding", "states": ["USA", "USA"]}, "status-quo: levers[0].states"),
        ({"lever": "binding", "states": ["USA"]}, "levers[0].states"),
        ({"lever": "tying_down", "states": ["PRK"], "institutions": ["us-japan"]},
         "status-quo: levers[0].institutions"),
        ({"lever": "warp_drive"}, "levers[0].lever"),
        ({"lever": "binding", "states": ["USA", "CHN"], "coverage": 0.5}, "levers[0].coverage"),
    ],
)
def test_bad_levers_name_the_field(ap, lever, field):
    with pytest.raises(InputError) as err:
        apply_architecture(ap, "status-quo", [lever])
    assert err.value.problems[0][0] == field


def test_bad_architecture_file(tmp_path):
    p = tmp_path / "arch.yaml"
    p.write_text("name: mine\noperations:\n  - remove: [alliances]\n")
    with pytest.raises(InputError) as err:
        load_architecture(str(p))
    assert "operations[0].remove" in err.value.format()
    p.write_text("name: mine\noperations:\n  - {remove: [concert], alignment: free}\n")
    with pytest.raises(InputError, match=r"operations\[0\]: an operation sets exactly one"):
        load_architecture(str(p))


# ----------------------------------------------------------------------- common random numbers
def test_identical_architectures_have_exactly_zero_paired_difference(ap):
    twin = load_architecture("multilayer").model_copy(update={"name": "multilayer-twin"})
    cmp = compare(ap, ["multilayer", twin], runs=40, years=12, seed=3)
    tb = cmp.table()
    twin_rows = tb[tb["architecture"] == "multilayer-twin"]
    assert (twin_rows["diff"] == 0).all() and (twin_rows["diff_low"] == 0).all() and (twin_rows["diff_high"] == 0).all()


def test_a_lever_that_cannot_act_leaves_outcomes_identical(ap):
    """Missile defence for states with no quarrel with anyone (no rival in range)."""
    plain = secorder.simulate(ap, years=20, runs=60, seed=9, record="summary")
    md = secorder.simulate(ap, years=20, runs=60, seed=9, record="summary", levers=[
        {"lever": "missile_defense", "states": ["NEW", "PNG"], "coverage": 0.6, "from_year": 2003}])
    for k, v in plain.outcomes.items():
        np.testing.assert_array_equal(v, md.outcomes[k], err_msg=k)


def test_common_shocks_across_architectures(ap):
    """Run r of every architecture sees the same economic shocks: GDP paths agree where nobody fought."""
    a = secorder.simulate(ap, years=3, runs=40, seed=2, architecture="self-help")
    b = secorder.simulate(ap, years=3, runs=40, seed=2, architecture="concert")
    no_war = (a.system["fatal"].sum(axis=1) == 0) & (b.system["fatal"].sum(axis=1) == 0)
    assert no_war.sum() >= 10
    np.testing.assert_allclose(a.states["gdp"][no_war], b.states["gdp"][no_war], rtol=1e-12)


def test_institution_streams_do_not_depend_on_other_institutions():
    """Adding an institution leaves the draws of the others unchanged (keyed by id, not position)."""
    from secorder.rng import Streams

    kinds = {"form": "institution", "accede": "membership"}
    d1 = Streams(5, [0, 1], 4, ["asean", "arf"]).draws("institutions", kinds, 3)
    d2 = Streams(5, [0, 1], 4, ["new-body", "asean", "arf"]).draws("institutions", kinds, 3)
    np.testing.assert_array_equal(d1["accede"], d2["accede"][:, 1:])
    np.testing.assert_array_equal(d1.institution("form", 1), d2.institution("form", 2))
    assert not np.array_equal(d2["accede"][:, 0], d2["accede"][:, 1])  # the new body has a stream of its own


# ----------------------------------------------------------------------------- comparison
def test_compare_table_and_files(ap, tmp_path):
    cmp = compare(ap, ["status-quo", "self-help"], runs=30, years=8, seed=1)
    tb = cmp.table(["disputes_per_decade", "fatal_disputes_per_decade"])
    assert set(tb.columns) >= {"outcome", "architecture", "mean", "q_low", "q_high", "diff", "diff_low", "diff_high"}
    base = tb[tb["architecture"] == "status-quo"]
    assert (base["diff"] == 0).all()
    d = cmp.paired("fatal_disputes_per_decade", "self-help")
    m, lo, hi = paired_interval(d, 0.9)
    row = tb[(tb["architecture"] == "self-help") & (tb["outcome"] == "fatal_disputes_per_decade")].iloc[0]
    assert row["diff"] == pytest.approx(m) and row["diff_low"] == pytest.approx(lo) and lo <= m <= hi
    long = cmp.to_pandas()
    assert list(long.columns) == ["scenario", "architecture", "parameter_hash", "seed", "run", "outcome", "value"]
    assert list(long["architecture"].cat.categories) == ["status-quo", "self-help"]
    out = save_comparison(cmp, tmp_path / "cmp")
    assert json.loads((out / "manifest.json").read_text())["baseline"] == "status-quo"
    for f in ("comparison.csv", "outcomes.parquet", "time_paths.parquet", "distributions.png", "workload.png"):
        assert (out / f).exists()


def test_paired_interval_coverage():
    """The 90% interval covers the true mean difference about 90% of the time."""
    rng = np.random.default_rng(0)
    hits = 0
    for _ in range(2000):
        m, lo, hi = paired_interval(rng.normal(0.3, 1.0, 50), 0.9)
        hits += lo <= 0.3 <= hi
    assert hits / 2000 == pytest.approx(0.9, abs=0.02)


def test_compare_cli(tmp_path):
    r = secorder_cli("compare", AP, "-a", "status-quo,cooperative-forum", "--runs", "20", "--years", "5",
                     "--out", str(tmp_path / "c"), "--no-plots")  # figures: test_compare_table_and_files
    assert r.returncode == 0, r.stderr
    assert "difference vs status-quo" in " ".join(r.stdout.split())
    r = secorder_cli("compare", AP, "-a", "status-quo,warlords", "--runs", "5", "--years", "2", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "warlords: is neither a built-in architecture" in r.stderr
    assert not (tmp_path / "x").exists()
    r = secorder_cli("architectures", "show", "concert")
    assert r.returncode == 0 and "Concert of great powers" in r.stdout


# ----------------------------------------------------------------------------- experiments
@pytest.mark.slow
def test_claims_run_and_report(tmp_path):
    res = run_claim(CLAIMS["O11"], runs=12, years=6, seed=0, sensitivity=True)
    assert res.verdict in {"supported", "contradicted", "inconclusive"}
    assert {s["parameter"] for s in res.sensitivity} == set(CLAIMS["O11"].uncertain)
    out = write_report([res], tmp_path / "rep")
    text = (out / "README.md").read_text()
    assert "## O11" in text and "Sensitivity" in text and "![" in text
    assert json.loads((out / "verdicts.json").read_text()).keys() == {"O11"}


# ----------------------------------------------------------------------------- registries
def test_every_registered_operation_and_lever_has_a_working_example(ap):
    from secorder.architectures import LEVERS, OPERATIONS

    assert set(OPERATIONS) == {"remove", "keep_only", "alignment", "add", "hub_and_spoke", "merge_alliances",
                               "replace_linchpin"}
    assert set(LEVERS) == {"missile_defense", "opening_up", "tying_down", "binding", "regime_rule", "forum_teeth"}
    for name, entry in OPERATIONS.items():
        assert entry.summary and entry.fields()
        arch = load_architecture({"name": f"only-{name}", "operations": [dict(entry.example)]})
        assert arch.operations[0].kind() == name
        apply_architecture(ap, arch)
    for name, entry in LEVERS.items():
        assert entry.summary and entry.fields()
        overlay = apply_architecture(ap, "status-quo", [dict(entry.example)])
        assert overlay.architecture.levers[0].lever == name
        assert overlay.scenario != ap or overlay.schedule  # every lever changes something


def test_overlays_name_the_architecture_operation_and_field(ap, small_scenario):
    alliance = small_scenario.institutions[0].model_copy(update={"members": ["USA", "CHN"], "obligations": {}})
    two = small_scenario.model_copy(update={"states": small_scenario.states[:2], "dyads": [], "institutions": [alliance]})
    with pytest.raises(InputError) as err:
        apply_architecture(two, "alt-bilateral")
    assert err.value.problems[0][0] == "alt-bilateral: operations[0].replace_linchpin"
    bad_add = {"name": "mine", "operations": [{"add": {"id": "club", "name": "Club", "type": "concert",
                                                       "members": ["USA", "XYZ"]}}]}
    with pytest.raises(InputError) as err:
        apply_architecture(ap, bad_add)
    assert err.value.problems[0][0] == "mine: operations[0].add.members"
    bad_add["operations"][0]["add"]["members"] = {"USA": 1}
    with pytest.raises(InputError, match=r"operations\[0\]\.add\.members: Input should be a valid list"):
        apply_architecture(ap, bad_add)
    twice = [{"lever": "binding", "states": ["USA", "CHN"]}] * 2
    with pytest.raises(InputError) as err:
        apply_architecture(ap, "status-quo", twice)
    assert err.value.problems[0][0] == "status-quo: levers[1].id"


def test_overlays_do_not_touch_the_scenario_they_are_given(ap):
    before = ap.model_dump()
    for name in builtin_names():
        apply_architecture(ap, name, [{"lever": "opening_up", "states": "all", "rate": 0.01}])
    assert ap.model_dump() == before


def test_docs_tables_of_operations_and_levers_are_generated_from_the_registries():
    from pathlib import Path

    import yaml

    from secorder.architectures import LEVERS, OPERATIONS

    text = (Path(__file__).resolve().parent.parent / "docs" / "architectures.md").read_text()
    for marker, table in (("operation table: generated from secorder.architectures.OPERATIONS",
                           OPERATIONS.markdown(written_as=True)),
                          ("lever table: generated from secorder.architectures.LEVERS", LEVERS.markdown())):
        committed = text.split(f"<!-- {marker} -->\n")[1].split("\n<!-- end of generated table -->")[0]
        assert committed == table, f"regenerate the table after <!-- {marker} --> in docs/architectures.md"
    example = text.split("### Writing your own")[1].split("```yaml\n")[1].split("```")[0]
    overlay = apply_architecture(load_scenario(AP), load_architecture(yaml.safe_load(example)))
    assert overlay.architecture.name == "forum-with-teeth" and overlay.parameters
