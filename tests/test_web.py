"""The dashboard's logic without a browser: inputs, run requests, cache, cancel, replay, the page."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

import secorder
from secorder.errors import InputError
from secorder.web import inputs, runs
from secorder.web.replay import replay_run

HERE = Path(__file__).resolve().parent
SMALL = HERE / "small_scenario.yaml"


# ------------------------------------------------------------------------------------ inputs
def test_upload_not_yaml_names_file_and_line():
    with pytest.raises(InputError, match=r"bad\.yaml: is not valid YAML at line \d+"):
        inputs.scenario_from_upload(b"name: x\nstates: [1, 2\n", "bad.yaml")


def test_upload_too_large():
    with pytest.raises(InputError, match=r"big\.yaml: is too large \(2,000 bytes; the limit is 1,000 bytes\)"):
        inputs.scenario_from_upload(b"#" * 2000, "big.yaml", limit=1000)


def test_upload_not_a_mapping_and_not_utf8():
    with pytest.raises(InputError, match="must hold a mapping"):
        inputs.scenario_from_upload(b"- 1\n- 2\n", "list.yaml")
    with pytest.raises(InputError, match="not UTF-8"):
        inputs.scenario_from_upload(b"\xff\xfe\x00", "bin.yaml")


def test_upload_invalid_scenario_has_cli_messages():
    text = SMALL.read_text().replace("gdp: 11,", "gdp: -11,")
    with pytest.raises(InputError) as err:
        inputs.scenario_from_upload(text.encode(), "mini.yaml")
    assert "states[3].gdp" in err.value.format()


def test_upload_valid_scenario_round_trips_through_yaml():
    sc = inputs.scenario_from_upload(SMALL.read_bytes(), "mini.yaml")
    again = inputs.scenario_from_upload(inputs.scenario_yaml(sc).encode(), "again.yaml")
    assert again == sc


def test_parameter_file_checked_against_registry():
    assert inputs.params_from_upload(b"parameters:\n  belief_noise_sd: 0.5\n", "p.yaml") == {"belief_noise_sd": 0.5}
    with pytest.raises(InputError, match="belief_noise_sd"):
        inputs.params_from_upload(b"belief_noise_sd: 7\n", "p.yaml")
    with pytest.raises(InputError, match="no_such_parameter"):
        inputs.params_from_upload(b"no_such_parameter: 1\n", "p.yaml")
    with pytest.raises(InputError, match="must be a number"):
        inputs.params_from_upload(b"belief_noise_sd: high\n", "p.yaml")


def test_levers_text_validated():
    assert inputs.levers_from_text("") == []
    lv = inputs.levers_from_text("- lever: missile_defense\n  states: [JPN]\n  coverage: 0.5\n")
    assert lv[0].lever == "missile_defense"
    with pytest.raises(InputError, match=r"levers\[0\]\.lever"):
        inputs.levers_from_text("- lever: moon_base\n")


def _request(**kw) -> inputs.RunRequest:
    base = dict(scenario="mini", scenario_yaml=SMALL.read_text(), architectures=("status-quo",), runs=12,
                years=5, seed=3)
    return inputs.RunRequest(**{**base, **kw})


def test_request_key_depends_on_what_changes_results():
    a = _request()
    assert a.key() == _request().key()
    assert a.key() != _request(seed=4).key()
    assert a.key() != _request(overrides=(("belief_noise_sd", 0.5),)).key()
    assert a.key() == _request(workers=2).key()  # workers never change results


def test_overrides_keep_only_changes():
    defaults = secorder.Params().to_dict()
    values = dict(defaults, belief_noise_sd=0.5)
    assert inputs.overrides_tuple(values, defaults) == (("belief_noise_sd", 0.5),)


# ------------------------------------------------------------------------------ run and cache
def test_execute_caches_and_command_line_reproduces(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from secorder.cli import app

    cache = runs.ResultCache(entries=2)
    req = _request(overrides=(("belief_noise_sd", 0.5),), levers_yaml="- lever: opening_up\n  states: [CHN]\n  rate: 0.01\n")
    seen = []
    outcome, cached = runs.execute(req, on_progress=lambda a, f: seen.append(f), cache=cache)
    assert not cached and seen[-1] == pytest.approx(1.0) and len(cache) == 1
    again, cached = runs.execute(req, cache=cache)
    assert cached and again is outcome
    # the printed command, run in the folder holding its files, gives the same numbers
    for name, text in req.files().items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    argv = req.command_line(out="out").split()[1:]
    result = CliRunner().invoke(app, [*argv, "--no-plots", "--quiet"])
    assert result.exit_code == 0, result.output
    import pandas as pd

    saved = pd.read_csv(tmp_path / "out" / "summary.csv", index_col="outcome")
    np.testing.assert_allclose(saved["mean"].to_numpy(), outcome.results.summary()["mean"].to_numpy())


def test_cancel_keeps_nothing():
    cache = runs.ResultCache()

    def cancel(arch, fraction):
        if fraction > 0.3:
            raise runs.Cancelled

    with pytest.raises(runs.Cancelled):
        runs.execute(_request(), on_progress=cancel, cache=cache)
    assert len(cache) == 0


def test_cache_is_bounded():
    cache = runs.ResultCache(entries=1)
    runs.execute(_request(seed=1), cache=cache)
    runs.execute(_request(seed=2), cache=cache)
    assert len(cache) == 1 and cache.get(_request(seed=2).key()) is not None


@pytest.mark.slow  # a comparison of two architectures end to end
def test_comparison_request_and_zip():
    req = _request(architectures=("status-quo", "cooperative-forum"))
    outcome, _ = runs.execute(req, cache=runs.ResultCache())
    assert outcome.comparison is not None and outcome.comparison.baseline == "status-quo"
    assert "secorder compare mini.yaml -a status-quo,cooperative-forum" in req.command_line()
    names = zipfile.ZipFile(io.BytesIO(runs.results_zip(outcome))).namelist()
    assert {"command.txt", "mini.yaml", "results/comparison.csv", "results/manifest.json"} <= set(names)


# ------------------------------------------------------------------------------------- replay
def test_replay_matches_the_batch_run():
    res = secorder.simulate(SMALL, runs=6, years=8, seed=5, record="full", workers=1)
    h = replay_run(SMALL, 4, 8, seed=5)
    assert [len(s.crises) for s in h.snapshots] == res.system["crises"][4].astype(int).tolist()
    from secorder.report.history import order_path

    assert [s.order for s in h.snapshots] == order_path(res, 4)
    snap = h.at(2003)
    us, jp = h.codes.index("USA"), h.codes.index("JPN")
    assert snap.commitments[us, jp] > 0  # the US-Japan alliance
    with pytest.raises(InputError, match="outside the simulated years"):
        h.at(1990)


def test_run_history_reads_the_event_log():
    from secorder.report.history import run_history

    res = secorder.simulate(SMALL, runs=5, years=10, seed=1, record="full", workers=1)
    lines = run_history(res, 2)
    assert lines[0].startswith("2000: the order is")
    ev = res.events[res.events["run"] == 2]
    assert sum(line.count("challenged") for line in lines) == len(ev)


# ------------------------------------------------------------------------------ the page itself
def test_page_runs_end_to_end_in_process():
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(secorder.__file__).parent / "web" / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    at.sidebar.selectbox(key="builtin").set_value("northeast-asia-2003")
    at.sidebar.number_input(key="runs").set_value(10)
    at.sidebar.number_input(key="years").set_value(5)
    at.run()
    at.button(key="run").click().run()
    assert not at.exception and not at.error
    for view in ("Time paths", "Network", "Events"):
        at.radio(key="view").set_value(view).run()
        assert not at.exception and not at.error, view
    at.number_input(key="ev_run").set_value(1).run()
    assert any("the order is" in m.value for m in at.markdown)


def test_parameter_changes_survive_switching_mechanism_and_reach_the_request():
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(secorder.__file__).parent / "web" / "app.py"), default_timeout=60)
    at.run()
    at.sidebar.selectbox(key="param_mech").set_value("beliefs").run()
    box = at.sidebar.number_input(key="p_belief_noise_sd")
    assert box.min == 0.0 and box.max == 1.0  # bounded by the registry's range
    assert "Source:" in box.help
    box.set_value(0.5).run()
    at.sidebar.selectbox(key="param_mech").set_value("onset").run()
    assert any("1 parameters changed" in m.value for m in at.markdown)
    at.sidebar.selectbox(key="param_mech").set_value("beliefs").run()
    assert at.sidebar.number_input(key="p_belief_noise_sd").value == 0.5
