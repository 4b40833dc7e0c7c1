"""The run specification: one resolution order, one validation, recorded whole and rebuilt."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace

import numpy as np
import pytest
import yaml

import secorder
from secorder.architectures import builtin_names, load_architecture
from secorder.errors import InputError, ParameterError
from secorder.params import Params, check_values
from secorder.spec import RESOLUTION_ORDER, RunSpec, read_params_file
from tests.conftest import SMALL

P = "arms_reaction"  # a parameter every layer below sets to its own value


@pytest.fixture(scope="module")
def mini():
    return yaml.safe_load(SMALL.read_text())


def layered(mini, tmp_path, **drop):
    """A spec where the scenario, architecture, caller and file each set ``P``; ``drop`` removes layers."""
    scenario = {**mini, "parameters": {P: 0.11}} if "scenario" not in drop else mini
    arch = {"name": "own", "parameters": {P: 0.12, "bandwagon_weight": 0.0}} if "architecture" not in drop else "status-quo"
    pfile = tmp_path / "p.yaml"
    pfile.write_text(f"{P}: 0.14\n")
    return RunSpec.build(scenario, architecture=arch, params=None if "caller" in drop else {P: 0.13},
                         params_file=None if "params_file" in drop else pfile, years=2, runs=3)


def test_resolution_order_later_layers_win(mini, tmp_path):
    assert RESOLUTION_ORDER == ("defaults", "scenario", "architecture", "levers", "caller", "params_file")
    expected = [("params_file", 0.14), ("caller", 0.13), ("architecture", 0.12), ("scenario", 0.11),
                ("defaults", Params().arms_reaction)]
    dropped: dict[str, bool] = {}
    for layer, value in expected:
        spec = layered(mini, tmp_path, **dropped)
        assert spec.params.arms_reaction == value, layer
        assert spec.parameter_source(P) == layer
        dropped[layer] = True
    spec = layered(mini, tmp_path)
    assert [name for name, _ in spec.layers] == list(RESOLUTION_ORDER)
    assert spec.params.bandwagon_weight == 0.0 and spec.parameter_source("bandwagon_weight") == "architecture"


def test_levers_layer_sits_between_architecture_and_caller(mini, tmp_path, monkeypatch):
    """No built-in lever sets a parameter yet; the layer still has its place in the order."""
    import secorder.spec as spec_module

    real = spec_module.apply_architecture

    def with_lever_parameters(*args, **kwargs):
        return real(*args, **kwargs).with_parameters({P: 0.125, "war_cost": 0.3}, lever=True)

    monkeypatch.setattr(spec_module, "apply_architecture", with_lever_parameters)
    spec = layered(mini, tmp_path, caller=True, params_file=True)
    assert spec.params.arms_reaction == 0.125 and spec.parameter_source(P) == "levers"
    assert spec.params.war_cost == 0.3
    assert layered(mini, tmp_path, params_file=True).params.arms_reaction == 0.13  # the caller wins over levers


@pytest.mark.parametrize("name", [n for n in builtin_names() if load_architecture(n).parameters] + ["custom"])
def test_a_params_object_keeps_the_architectures_parameters(name):
    """The bug: simulate(params=Params()) dropped the architecture's parameter overrides."""
    arch = load_architecture(name) if name != "custom" else load_architecture(
        {"name": "custom", "operations": [{"keep_only": ["economic", "cooperative_forum"]}],
         "parameters": {"onset_intercept": 0.9, "arms_reaction": 0.3}})
    assert arch.parameters
    kw = {"years": 6, "runs": 8, "seed": 5, "architecture": arch, "record": "summary"}
    plain = secorder.simulate("northeast-asia-2003", **kw)
    with_object = secorder.simulate("northeast-asia-2003", params=Params(), **kw)
    assert with_object.params == plain.params
    for key, values in plain.outcomes.items():
        np.testing.assert_array_equal(values, with_object.outcomes[key], err_msg=key)
    changed = secorder.simulate("northeast-asia-2003", params=Params().replace(war_cost=0.3), **kw)
    assert changed.params.war_cost == 0.3
    assert all(getattr(changed.params, k) == v for k, v in arch.parameters.items())


@pytest.mark.parametrize(
    ("value", "message"),
    [(float("nan"), "must be a finite number"), (float("inf"), "must be a finite number"),
     (10**400, "too large"), (True, "must be a number"), ("0.2", "must be a number"),
     (99.0, "outside its range")],
)
def test_every_path_checks_range_and_finiteness(value, message):
    with pytest.raises(ParameterError, match=message) as err:
        Params(onset_intercept=value)
    assert err.value.problems[0][0] == "parameters.onset_intercept"
    with pytest.raises(ParameterError, match=message):
        Params().replace(onset_intercept=value)
    with pytest.raises(ParameterError, match=message) as err:
        RunSpec.build("northeast-asia-2003", params={"onset_intercept": value}, runs=2, years=2)
    assert err.value.problems[0][0] == "params.onset_intercept"
    with pytest.raises(ParameterError, match=message):
        secorder.simulate("northeast-asia-2003", params={"onset_intercept": value}, runs=2, years=2)
    assert isinstance(err.value, InputError)  # the project's user-input error: exit 2 on the command line
    if isinstance(value, float):
        with pytest.raises(InputError, match="parameters.onset_intercept"):
            load_architecture({"name": "x", "parameters": {"onset_intercept": value}})


def test_a_params_object_cannot_smuggle_a_bad_value():
    bad = Params()
    object.__setattr__(bad, "onset_intercept", float("nan"))  # bypassing the constructor on purpose
    with pytest.raises(ParameterError, match="onset_intercept"):
        RunSpec.build("northeast-asia-2003", params=bad, runs=2, years=2)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"years": 0}, "years"), ({"runs": 1.5}, "runs"), ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"),
     ({"seed": True}, "seed"), ({"record": "most"}, "record"), ({"workers": 0}, "workers"),
     ({"chunk_size": 0}, "chunk_size"), ({"levers": [{"lever": "binding", "states": ["USA"]}]},
                                         "levers[0].states"),
     ({"architecture": ""}, "architecture")],
)
def test_bad_settings_name_the_field(kwargs, field):
    with pytest.raises(InputError) as err:
        RunSpec.build("northeast-asia-2003", **{"runs": 2, "years": 2, **kwargs})
    assert err.value.problems[0][0] == field


def test_seed_none_is_drawn_once_and_recorded():
    spec = RunSpec.build("northeast-asia-2003", seed=None, runs=4, years=3)
    assert isinstance(spec.seed, int) and spec.seed >= 0
    a, b = secorder.simulate(spec), secorder.simulate(RunSpec.from_dict(spec.to_dict()))
    np.testing.assert_array_equal(a.outcomes["disputes_per_decade"], b.outcomes["disputes_per_decade"])


def test_a_spec_passed_to_simulate_carries_its_own_settings():
    assert secorder.RunSpec is RunSpec
    spec = RunSpec.build("northeast-asia-2003", runs=4, years=3)
    with pytest.raises(InputError, match="carries its own settings"):
        secorder.simulate(spec, runs=10)
    assert secorder.simulate(spec.replace(runs=5)).runs == 5


# ------------------------------------------------------------------------------ parameter files
@pytest.mark.parametrize(
    ("name", "text"),
    [("flat.yaml", "arms_reaction: 0.2\nwar_cost: 0.3\n"),
     ("wrapped.yaml", "meta: {source: calibration, draws: 400}\nvalues:\n  arms_reaction: 0.2\n  war_cost: 0.3\n"),
     ("flat.json", '{"arms_reaction": 0.2, "war_cost": 0.3}'),
     ("wrapped.json", '{"values": {"arms_reaction": 0.2, "war_cost": 0.3}, "meta": {"note": "x"}}')],
)
def test_parameter_file_formats(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    pf = read_params_file(p)
    assert dict(pf.values) == {"arms_reaction": 0.2, "war_cost": 0.3}
    assert pf.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    assert ("meta" in text) == bool(pf.meta)


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [("arms_reaction: 0.2\nno_such: 1\n", "p.yaml: no_such", "unknown parameter"),
     ("values: {arms_reaction: 9}\n", "p.yaml: values.arms_reaction", "outside its range"),
     ("values: {arms_reaction: .nan}\n", "p.yaml: values.arms_reaction", "finite"),
     ("values: {arms_reaction: 0.1}\nnotes: x\n", "p.yaml: notes", "unknown key beside 'values'"),
     ("values: [1, 2]\n", "p.yaml: values", "must be a mapping"),
     ("- 1\n- 2\n", "p.yaml", "must be a mapping"),
     ("meta: {a: 1}\nvalues: {}\nmeta2: 1\n", "p.yaml: meta2", "unknown key")],
)
def test_bad_parameter_files_name_the_file_and_parameter(tmp_path, text, field, message):
    p = tmp_path / "p.yaml"
    p.write_text(text)
    with pytest.raises(InputError, match=message) as err:
        read_params_file(p)
    assert err.value.problems[0][0] == f"{tmp_path}/{field}"


def test_params_file_through_simulate_is_recorded_and_rebuilt(tmp_path):
    p = tmp_path / "calibrated.yaml"
    p.write_text("meta: {source: test}\nvalues: {war_cost: 0.3}\n")
    levers = [{"lever": "opening_up", "states": "all", "rate": 0.02}]
    res = secorder.simulate("northeast-asia-2003", years=4, runs=6, seed=2, params={"arms_reaction": 0.2},
                            params_file=p, architecture="balance-of-power", levers=levers, record="summary")
    assert res.params.war_cost == 0.3 and res.params.arms_reaction == 0.2 and res.params.bandwagon_weight == 0.0
    out = res.save(tmp_path / "res")
    manifest = json.loads((out / "manifest.json").read_text())
    spec = manifest["spec"]
    assert spec["params_file"]["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
    assert spec["parameters"] == res.params.to_dict() and len(spec["parameters"]) == len(Params.metadata())
    assert spec["levers"] == levers and spec["overrides"] == {"arms_reaction": 0.2}
    assert spec["architecture"]["name"] == "balance-of-power" and spec["resolution_order"] == list(RESOLUTION_ORDER)
    p.unlink()  # the recorded values are enough to rebuild the run
    rebuilt = RunSpec.from_manifest(out)
    assert rebuilt.to_dict() == spec
    again = secorder.simulate(rebuilt)
    for key, values in res.outcomes.items():
        np.testing.assert_array_equal(values, again.outcomes[key], err_msg=key)


def test_a_tampered_manifest_is_refused(tmp_path):
    spec = RunSpec.build("northeast-asia-2003", runs=3, years=2).to_dict()
    spec["parameters"]["war_cost"] = 0.31
    with pytest.raises(InputError, match="war_cost"):
        RunSpec.from_dict(spec)
    with pytest.raises(InputError, match="no run specification"):
        RunSpec.from_manifest({"scenario": "x"})


def test_check_values_is_the_one_check():
    assert check_values({"war_cost": np.float64(0.3), "arms_race_years": 3}) == {"war_cost": 0.3, "arms_race_years": 3.0}
    with pytest.raises(ParameterError) as err:
        check_values({"war_cost": -1, "nope": 1}, "somewhere")
    assert [f for f, _ in err.value.problems] == ["somewhere.war_cost", "somewhere.nope"]


# ------------------------------------------------------------------------------ command line
def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """The real entry point in-process: exit status, stdout, stderr."""
    from secorder.cli import main

    monkeypatch.setattr(sys, "argv", ["secorder", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out = capsys.readouterr()
    return exit_.value.code or 0, out.out, out.err


def test_cli_params_file(monkeypatch, capsys, tmp_path):
    good = tmp_path / "good.json"
    good.write_text('{"values": {"war_cost": 0.3}, "meta": {"by": "test"}}')
    code, _, err = run_cli(monkeypatch, capsys, "run", str(SMALL), "--runs", "4", "--years", "2", "-q",
                           "--no-plots", "--params", str(good), "--set", "war_cost=0.5", "--out", str(tmp_path / "r"))
    assert code == 0, err
    spec = json.loads((tmp_path / "r" / "manifest.json").read_text())["spec"]
    assert spec["parameters"]["war_cost"] == 0.3  # the file is applied after --set
    assert spec["params_file"]["sha256"] == hashlib.sha256(good.read_bytes()).hexdigest()
    bad = tmp_path / "bad.yaml"
    bad.write_text("war_cost: 0.3\narms_reaktion: 0.2\n")
    for command in (["run", str(SMALL)], ["compare", str(SMALL), "-a", "status-quo,self-help"],
                    ["experiment", "run", "O11"]):
        out = tmp_path / "never"
        code, _, err = run_cli(monkeypatch, capsys, *command, "--runs", "4", "--years", "2", "--params", str(bad),
                               "--out", str(out))
        assert code == 2, command
        assert f"{bad}: arms_reaktion: unknown parameter" in err
        assert not out.exists()
    code, _, err = run_cli(monkeypatch, capsys, "run", str(SMALL), "--set", "war_cost=nan", "--out", str(tmp_path / "n"))
    assert code == 2 and "--set.war_cost: must be a finite number" in err


def test_cli_lists_operations_and_levers_from_the_registries(monkeypatch, capsys):
    from secorder.architectures import LEVERS, OPERATIONS

    code, out, _ = run_cli(monkeypatch, capsys, "architectures", "levers")
    assert code == 0 and all(name in out for name in LEVERS)
    code, out, _ = run_cli(monkeypatch, capsys, "architectures", "operations")
    assert code == 0 and all(name in out for name in OPERATIONS)
    code, out, _ = run_cli(monkeypatch, capsys, "architectures", "list")
    assert code == 0 and "hub_and_spoke" in out


def test_cli_blocs_uses_the_architectures_parameters(monkeypatch, capsys):
    code, out, err = run_cli(monkeypatch, capsys, "blocs", "northeast-asia-2003", "-a", "balance-of-power")
    assert code == 0, err
    assert "balance-of-power" in out


def test_results_manifest_without_spec_still_saves(tmp_path):
    res = secorder.simulate("northeast-asia-2003", years=2, runs=3, record="summary")
    assert "spec" in res.manifest()
    bare = replace(res, spec=None)
    assert "spec" not in bare.manifest()
