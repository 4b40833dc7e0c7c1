"""The `secorder` command, including bad input.

The commands run in-process through the real entry point (:mod:`tests.cli_invoke`): the same
stdout, stderr and exit status as a shell gives, without starting an interpreter per call.
One smoke test runs the installed command in a real subprocess.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from secorder.mechanisms import REGISTRY
from tests.cli_invoke import secorder
from tests.conftest import SMALL


@pytest.mark.slow
def test_real_command_in_a_subprocess(tmp_path):
    """`python -m secorder` as a user runs it: results written, exit 0; bad input: exit 2, one line."""
    out = tmp_path / "res"
    r = subprocess.run(
        [sys.executable, "-m", "secorder", "run", str(SMALL), "--runs", "4", "--years", "2", "--out", str(out),
         "--no-plots"],
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "Militarised disputes per decade" in r.stdout
    assert json.loads((out / "manifest.json").read_text())["runs"] == 4
    r = subprocess.run([sys.executable, "-m", "secorder", "run", str(SMALL), "--set", "arms_reaction=9",
                        "--out", str(tmp_path / "never")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "arms_reaction: 9.0 is outside its range" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "never").exists()


def bad_scenario(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(SMALL.read_text())
    mutate(data)
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(data))
    return p


def test_run_writes_results_folder(tmp_path):
    out = tmp_path / "res"
    r = secorder("run", str(SMALL), "--runs", "30", "--years", "6", "--seed", "4", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Militarised disputes per decade" in r.stdout
    assert "90% interval" in r.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"] == "mini"
    assert manifest["seed"] == 4 and manifest["runs"] == 30 and manifest["years"] == 6
    assert manifest["architecture"] == "status-quo"
    assert len(manifest["parameter_hash"]) == 16 and manifest["version"]
    for name in ("outcomes", "system", "states", "events", "system_mean"):
        assert (out / f"{name}.parquet").exists()
    for png in ("military_spending.png", "disputes.png", "trust.png"):
        assert (out / png).stat().st_size > 5000
    states = pd.read_parquet(out / "states.parquet")
    assert list(states.columns) == ["scenario", "architecture", "parameter_hash", "seed", "run", "year", "state",
                                    "variable", "value"]
    assert set(states["scenario"]) == {"mini"} and set(states["seed"]) == {4}
    assert set(states["parameter_hash"]) == {manifest["parameter_hash"]}
    assert states["year"].min() == 2000 and states["year"].max() == 2005
    events = pd.read_parquet(out / "events.parquet")
    assert {"run", "year", "challenger", "target", "outcome", "allies_joined"} <= set(events.columns)


def test_run_with_parameter_override_changes_hash(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert secorder("run", str(SMALL), "--runs", "5", "--years", "2", "--out", str(a), "--no-plots", "-q").returncode == 0
    r = secorder("run", str(SMALL), "--runs", "5", "--years", "2", "--out", str(b), "--no-plots", "-q",
                 "--set", "arms_reaction=0.2")
    assert r.returncode == 0, r.stderr
    ma, mb = (json.loads((d / "manifest.json").read_text()) for d in (a, b))
    assert ma["parameter_hash"] != mb["parameter_hash"]
    assert mb["parameters_changed"] == {"arms_reaction": 0.2}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--set", "arms_reaction=9"], "arms_reaction: 9.0 is outside its range"),
        (["--set", "no_such_thing=1"], "no_such_thing: unknown parameter"),
        (["--set", "arms_reaction"], "expected NAME=VALUE"),
        (["--runs", "0"], "Invalid value for '--runs'"),
    ],
)
def test_run_bad_options_exit_2_without_output(tmp_path, args, expected):
    out = tmp_path / "never"
    r = secorder("run", str(SMALL), "--out", str(out), *args)
    assert r.returncode == 2
    assert expected in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert not out.exists()


def test_unknown_scenario_name(tmp_path):
    r = secorder("run", "atlantis-1900", "--out", str(tmp_path / "x"))
    assert r.returncode == 2
    assert "atlantis-1900: is neither a built-in scenario nor an existing file" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["states"][0].update(gdpp=3), "states[0].gdpp: unknown key"),
        (lambda d: d["dyads"][0].update(states=["PRK", "XYZ"]), "dyads[0].states[1]: unknown state code 'XYZ'"),
        (lambda d: d["states"][1].update(satisfaction=1.7), "states[1].satisfaction: Input should be less than or equal to 1"),
        (lambda d: d["states"][2].update(regime=12), "states[2].regime"),
        (lambda d: d["dyads"].append({"states": ["ROK", "PRK"], "trade": 1}), "already given at dyads[0]"),
        (lambda d: d["institutions"][0].update(members=["USA", "JPN", "ROK"]), "institutions[0]: a bilateral_alliance has exactly 2 members, got 3"),
        (lambda d: d["institutions"][1].update(members=["USA", "KOR"]), "institutions[1].members[1]: unknown state code 'KOR'"),
        (lambda d: d.update(parameters={"war_cost": -1}), "parameters.war_cost: -1.0 is outside its range"),
    ],
)
def test_validate_reports_field_and_exits_2(tmp_path, mutate, expected):
    p = bad_scenario(tmp_path, mutate)
    r = secorder("scenarios", "validate", str(p))
    assert r.returncode == 2, r.stdout
    assert expected in " ".join(r.stderr.split())
    assert "Traceback" not in r.stderr


def test_validate_malformed_yaml(tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("name: x\nstates: [\n  - code: USA\n")
    r = secorder("scenarios", "validate", str(p))
    assert r.returncode == 2
    assert "is not valid YAML at line" in r.stderr


def test_validate_good_file():
    r = secorder("scenarios", "validate", str(SMALL))
    assert r.returncode == 0
    assert "valid (6 states" in r.stdout


def test_scenarios_list_and_show():
    r = secorder("scenarios", "list")
    assert r.returncode == 0
    for name in ("asia-pacific-2000", "asia-pacific-2024", "northeast-asia-2003"):
        assert name in r.stdout
    r = secorder("scenarios", "show", "northeast-asia-2003")
    assert r.returncode == 0 and "PRK" in r.stdout and "Institutions" in r.stdout


def test_mechanisms_list_shows_the_yearly_order():
    r = secorder("mechanisms", "list")
    assert r.returncode == 0
    out = r.stdout
    rows = re.findall(r"^│ (\S+)\s+│ (\S+)\s+│ (\S+)", out, flags=re.M)
    steps = [(step, name, status) for step, name, status in rows]
    assert [s[0] for s in steps] == [m.step for m in REGISTRY]
    assert {"1", "2", "9", "10a", "10b", "10c", "10d", "12"} <= {s[0] for s in steps}
    assert [s[1] for s in steps][:3] == ["shocks", "constitutional", "regime"]
    assert {st for _, _, st in steps} == {"active"}


def test_help_explains_every_run_option():
    r = secorder("run", "--help")
    assert r.returncode == 0
    for opt in ("--years", "--runs", "--seed", "--out", "--set", "--record", "--workers", "--chunk-size", "--plots", "--quiet"):
        assert opt in r.stdout
    assert "Simulate a scenario" in r.stdout


def test_parameters_table():
    r = secorder("parameters", "--mechanism", "onset")
    assert r.returncode == 0
    assert "onset_trade_dependence" in r.stdout and "Reference figures" in r.stdout
