"""Sweeps, sensitivity analysis, scenario discovery and the EMA Workbench adapter."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from secorder.errors import InputError
from secorder.explore import runner as sweep_mod
from secorder.explore.design import expected_points, sample
from secorder.explore.runner import read_sweep, sweep
from secorder.explore.spec import load_spec
from tests.conftest import SMALL

pytest.importorskip("SALib")


def tiny_spec(**changes) -> dict:
    spec = {
        "name": "tiny",
        "scenarios": [str(SMALL)],
        "architectures": ["status-quo", "cooperative-forum"],
        "parameters": {"sampler": "lhs", "samples": 3, "seed": 2,
                       "ranges": {"onset_intercept": [-0.5, 1.0], "war_given_fight": [0.05, 0.3]}},
        "seeds": [0, 1],
        "runs": 4,
        "years": 3,
    }
    spec.update(changes)
    return spec


def write_spec(tmp_path: Path, spec: dict, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec))
    return path


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """The real entry point in-process: exit status, stdout, stderr."""
    from secorder.cli import main

    monkeypatch.setattr(sys, "argv", ["secorder", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


# ------------------------------------------------------------------------------------ design
def test_design_sizes_and_reproducibility():
    box = [(0.0, 1.0), (2.0, 4.0), (-1.0, 1.0)]
    names = ["a", "b", "c"]
    grid = sample("grid", names, box, levels=3)
    assert grid.n_points == 27 == expected_points("grid", 3, 0, 3)
    assert set(np.round(grid.points[:, 1], 9)) == {2.0, 3.0, 4.0}
    lhs = sample("lhs", names, box, samples=10, seed=5)
    assert np.array_equal(lhs.points, sample("lhs", names, box, samples=10, seed=5).points)
    assert not np.array_equal(lhs.points, sample("lhs", names, box, samples=10, seed=6).points)
    # a Latin hypercube puts exactly one point in each of the 10 slices of every axis
    for d, (lo, hi) in enumerate(box):
        assert sorted(np.floor((lhs.points[:, d] - lo) / (hi - lo) * 10).astype(int)) == list(range(10))
    assert sample("sobol", names, box, samples=8).n_points == 8 * 5 == expected_points("sobol", 3, 8, 4)
    assert sample("morris", names, box, samples=4, levels=4).n_points == 16 == expected_points("morris", 3, 4, 4)


def test_plan_crosses_everything_with_distinct_stable_keys():
    plan = load_spec(tiny_spec())
    assert len(plan.cells) == 1 * 2 * 1 * 2 * 3
    assert len({c.key for c in plan.cells}) == len(plan.cells)
    assert [c.key for c in load_spec(tiny_spec()).cells] == [c.key for c in plan.cells]
    other = load_spec(tiny_spec(runs=5))
    assert not {c.key for c in other.cells} & {c.key for c in plan.cells}
    assert plan.cell_values(plan.cells[0]).keys() == {"onset_intercept", "war_given_fight"}


def test_posterior_file_design(tmp_path):
    draws = pd.DataFrame({"onset_intercept": [0.1, 0.2, 0.3], "war_cost": [0.2, 0.3, 0.4]})
    draws.to_csv(tmp_path / "posterior.csv", index=False)
    spec = tiny_spec(parameters={"sampler": "file", "file": "posterior.csv"})
    plan = load_spec(write_spec(tmp_path, spec))
    assert plan.design.n_points == 3
    assert plan.cell_values(plan.cells[2]) == {"onset_intercept": 0.3, "war_cost": 0.4}
    (tmp_path / "one.yaml").write_text("values: {war_cost: 0.5}\nmeta: {source: test}\n")
    plan = load_spec(write_spec(tmp_path, tiny_spec(parameters={"sampler": "file", "file": "one.yaml"})))
    assert plan.design.n_points == 1


# ------------------------------------------------------------------------------------ bad specs
BAD_SPECS = {
    "unknown parameter": (
        {"parameters": {"sampler": "lhs", "samples": 3, "ranges": {"onset_intercep": [0, 1]}}},
        "parameters.ranges.onset_intercep: unknown parameter"),
    "range outside the registry": (
        {"parameters": {"sampler": "lhs", "samples": 3, "ranges": {"war_cost": [0.0, 2.0]}}},
        "outside the registry's range [0.02, 0.8]"),
    "empty design (no samples)": (
        {"parameters": {"sampler": "lhs", "samples": 0, "ranges": {"war_cost": [0.1, 0.2]}}},
        "parameters.samples: must be at least 1"),
    "empty design (no seeds)": ({"seeds": []}, "seeds: is empty, so the design has no cells"),
    "unknown key": ({"runz": 3}, "runz: unknown key"),
    "sobol not a power of two": (
        {"parameters": {"sampler": "sobol", "samples": 6, "ranges": {"war_cost": [0.1, 0.2]}}},
        "must be a power of 2"),
    "unknown architecture": ({"architectures": ["no-such-thing"]}, "architectures[0]"),
}


@pytest.mark.parametrize("case", list(BAD_SPECS))
def test_bad_spec_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys, case):
    change, message = BAD_SPECS[case]
    out = tmp_path / "out"
    code, _, err = run_main(monkeypatch, capsys, "sweep", str(write_spec(tmp_path, tiny_spec(**change))),
                            "--out", str(out), "-q")
    assert code == 2
    assert message in " ".join(err.split()), err
    assert "Traceback" not in err
    assert not out.exists()


def test_unreachable_scheduler_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    code, _, err = run_main(monkeypatch, capsys, "sweep", str(write_spec(tmp_path, tiny_spec())), "--out", str(out),
                            "--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "0.5", "-q")
    assert code == 2
    assert "--scheduler: cannot reach a Dask scheduler at 'tcp://127.0.0.1:1'" in " ".join(err.split())
    assert not out.exists()


def test_other_sweep_in_the_same_folder_is_refused(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    spec = tiny_spec(architectures=["status-quo"], seeds=[0])
    sweep(spec, out, workers=1)
    before = sorted(p.name for p in out.rglob("*"))
    code, _, err = run_main(monkeypatch, capsys, "sweep", str(write_spec(tmp_path, {**spec, "years": 4})),
                            "--out", str(out), "-q")
    assert code == 2 and "holds a different sweep" in err
    assert sorted(p.name for p in out.rglob("*")) == before


# ------------------------------------------------------------------------------------ datasets
def test_dataset_rows_carry_every_input_and_outcome(tmp_path):
    res = sweep(tiny_spec(), tmp_path / "out", workers=1)
    assert (res.cells, res.cells_run, res.cells_skipped) == (12, 12, 0)
    df = read_sweep(tmp_path / "out")
    plan = load_spec(tiny_spec())
    assert len(df) == 12 * 4
    assert list(df.columns[:6]) == ["scenario", "architecture", "levers", "seed", "point", "run"]
    assert set(sweep_mod.parameter_names()) <= set(df.columns)
    assert set(sweep_mod.outcome_names()) <= set(df.columns)
    assert set(df["architecture"]) == {"status-quo", "cooperative-forum"}
    # the sampled values are in every row, the others are the resolved values the run used
    for p in range(3):
        rows = df[df["point"] == p]
        assert np.allclose(rows["onset_intercept"], plan.design.points[p, 0])
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["cells_done"] == 12 and manifest["rows"] == 48
    assert manifest["design"]["parameters"] == ["onset_intercept", "war_given_fight"]
    # a cell's rows are exactly what simulate() gives for its inputs
    from secorder.engine import simulate

    cell = plan.cells[7]
    direct = simulate(SMALL, years=3, runs=4, seed=cell.seed, params=plan.cell_values(cell), record="summary",
                      architecture=cell.architecture)
    rows = df[(df["architecture"] == cell.architecture) & (df["seed"] == cell.seed) & (df["point"] == cell.point)]
    for name in ("crises_per_decade", "mean_trust_final", "arms_burden_pct"):
        assert np.array_equal(rows[name].to_numpy(), direct.outcomes[name])


def test_killed_sweep_resumes_to_the_same_dataset(tmp_path, monkeypatch):
    spec = tiny_spec()
    sweep(spec, tmp_path / "whole", workers=1)
    real_write = sweep_mod._write_cell
    written = []

    def dying_write(root, cell, result, runs):
        if len(written) == 5:
            # a cell in flight when the process dies leaves a temporary file behind
            tmp = sweep_mod.cell_path(root, cell)
            tmp.with_name(f".{tmp.name}.secorder-new-999-1").write_bytes(b"half a file")
            raise KeyboardInterrupt
        written.append(cell.key)
        real_write(root, cell, result, runs)

    monkeypatch.setattr(sweep_mod, "_write_cell", dying_write)
    with pytest.raises(KeyboardInterrupt):
        sweep(spec, tmp_path / "resumed", workers=1)
    monkeypatch.setattr(sweep_mod, "_write_cell", real_write)
    assert len(sweep_mod.finished_cells(tmp_path / "resumed")) == 5
    res = sweep(spec, tmp_path / "resumed", workers=1, resume=True)
    assert (res.cells_run, res.cells_skipped) == (7, 5)
    pd.testing.assert_frame_equal(read_sweep(tmp_path / "resumed"), read_sweep(tmp_path / "whole"))
    assert not list((tmp_path / "resumed").rglob("*secorder-new*"))
    again = sweep(spec, tmp_path / "resumed", workers=1)
    assert (again.cells_run, again.cells_skipped) == (0, 12)


@pytest.mark.slow
def test_dask_backend_gives_the_same_dataset_as_local(tmp_path):
    pytest.importorskip("distributed")
    spec = tiny_spec()
    sweep(spec, tmp_path / "local", backend="local", workers=1)
    res = sweep(spec, tmp_path / "dask", backend="dask", workers=2)
    assert res.backend == "dask" and res.cells_run == 12
    pd.testing.assert_frame_equal(read_sweep(tmp_path / "dask"), read_sweep(tmp_path / "local"))
    # byte for byte: the same cell files
    local = {p.relative_to(tmp_path / "local"): p.read_bytes() for p in (tmp_path / "local" / "data").rglob("*.parquet")}
    dask = {p.relative_to(tmp_path / "dask"): p.read_bytes() for p in (tmp_path / "dask" / "data").rglob("*.parquet")}
    assert local == dask


def test_sweep_command_prints_estimate_and_resumes(tmp_path, monkeypatch, capsys):
    spec = write_spec(tmp_path, tiny_spec(architectures=["status-quo"]))
    out = tmp_path / "out"
    code, _, _ = run_main(monkeypatch, capsys, "sweep", str(spec), "--out", str(out), "--dry-run")
    assert code == 0 and not out.exists()
    code, stdout, err = run_main(monkeypatch, capsys, "sweep", str(spec), "--out", str(out), "--workers", "1")
    assert code == 0, err
    assert "6 cells: 6 to run" in err and "MB per worker" in err and "estimated" in err
    assert "6 cells run, 0 reused" in stdout
    code, stdout, _ = run_main(monkeypatch, capsys, "sweep", str(spec), "--out", str(out), "-q")
    assert "0 cells run, 6 reused (finished earlier)" in stdout
    # --resume insists on an unfinished sweep, like `secorder run --resume`
    code, _, err = run_main(monkeypatch, capsys, "sweep", str(spec), "--out", str(out), "-q", "--resume")
    assert code == 2 and "--resume: the sweep in" in err and "is complete; there is nothing to resume" in err
    code, _, err = run_main(monkeypatch, capsys, "sweep", str(spec), "--out", str(tmp_path / "new"), "-q", "--resume")
    assert code == 2 and "--resume: there is no interrupted sweep to resume" in err
    assert not (tmp_path / "new").exists()


# ------------------------------------------------------------------------------------ sensitivity
ISHIGAMI = {"S1": [0.3139, 0.4424, 0.0], "ST": [0.5576, 0.4424, 0.2437]}  # Ishigami & Homma 1990 (a=7, b=0.1)


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_on_ishigami_match_reference():
    from SALib.analyze import sobol
    from SALib.test_functions import Ishigami

    from secorder.explore.sensitivity import sobol_indices

    d = sample("sobol", ["x1", "x2", "x3"], [(-np.pi, np.pi)] * 3, samples=2048, seed=3)
    y = ishigami(d.points)
    assert np.allclose(y, Ishigami.evaluate(d.points))
    table = sobol_indices(d.problem(), y, seed=1)
    assert np.allclose(table["S1"], ISHIGAMI["S1"], atol=0.04)
    assert np.allclose(table["ST"], ISHIGAMI["ST"], atol=0.04)
    assert (table["S1_conf"] > 0).all() and (table["ST_conf"] < 0.1).all()
    ref = sobol.analyze(d.problem(), y, calc_second_order=False, seed=1)
    assert np.array_equal(table["S1"], ref["S1"]) and np.array_equal(table["ST_conf"], ref["ST_conf"])


def test_morris_on_ishigami_ranks_like_the_reference():
    from secorder.explore.sensitivity import morris_indices

    d = sample("morris", ["x1", "x2", "x3"], [(-np.pi, np.pi)] * 3, samples=200, levels=4, seed=3)
    table = morris_indices(d.problem(), d.points, ishigami(d.points), levels=4, seed=1)
    # x2 acts alone (sigma about 0 relative to its mu*); x3 acts only through x1 (mu about 0)
    mu_star = dict(zip(table["parameter"], table["mu_star"], strict=True))
    assert mu_star["x3"] > 1 and abs(table["mu"][2]) < 0.5 * mu_star["x3"]
    assert (table["mu_star"] >= np.abs(table["mu"]) - 1e-12).all()


def test_sensitivity_command_on_a_sobol_sweep(tmp_path, monkeypatch, capsys):
    spec = tiny_spec(architectures=["status-quo"], seeds=[0], runs=3,
                     parameters={"sampler": "sobol", "samples": 4, "seed": 1,
                                 "ranges": {"onset_intercept": [-1.0, 2.0], "onset_stakes": "registry"}})
    out = tmp_path / "out"
    sweep(spec, out, workers=1)
    code, stdout, err = run_main(monkeypatch, capsys, "sensitivity", str(out), "--outcome", "crises_per_decade")
    assert code == 0, err
    table = pd.read_csv(out / "sensitivity-sobol-crises_per_decade.csv")
    assert list(table["parameter"]) == ["onset_intercept", "onset_stakes"]
    assert np.isfinite(table[["S1", "ST", "S1_conf", "ST_conf"]]).all().all()
    assert (out / "sensitivity-sobol-crises_per_decade.png").stat().st_size > 5000
    code, _, err = run_main(monkeypatch, capsys, "sensitivity", str(out), "--outcome", "crises", "-q")
    assert code == 2
    code, _, err = run_main(monkeypatch, capsys, "sensitivity", str(out), "--outcome", "crises_per_decade",
                            "--method", "morris")
    assert code == 2 and "needs a sweep drawn with sampler: morris" in " ".join(err.split())


@pytest.mark.slow
# ------------------------------------------------------------------------------------ discovery
def test_prim_recovers_a_planted_box():
    from secorder.explore.discover import prim_boxes

    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.random((1500, 4)), columns=["a", "b", "c", "d"])
    inside = x["a"].between(0.2, 0.6) & (x["b"] > 0.7)
    y = np.where(inside, rng.random(1500) < 0.9, rng.random(1500) < 0.03)
    res = prim_boxes(x, y, density=0.8)
    box = res.box.set_index("input")
    assert set(box.index) == {"a", "b"}  # c and d do not matter and are left free
    assert abs(box.loc["a", "low"] - 0.2) < 0.05 and abs(box.loc["a", "high"] - 0.6) < 0.05
    assert abs(box.loc["b", "low"] - 0.7) < 0.05
    assert res.density >= 0.8 and res.coverage > 0.7 and res.reached
    assert len(res.trajectory) > 5 and res.figure.axes


@pytest.mark.slow  # docs/exploration.md runs `secorder discover` in the fast tier
def test_discover_command_on_a_sweep(tmp_path, monkeypatch, capsys):
    spec = tiny_spec(seeds=[0], runs=6, years=6)
    out = tmp_path / "out"
    sweep(spec, out, workers=1)
    code, stdout, err = run_main(monkeypatch, capsys, "discover", str(out), "--outcome", "crises_per_decade",
                                 "--above", "0")
    assert code == 0, err
    assert "PRIM box" in stdout and "coverage" in stdout
    traj = pd.read_csv(out / "discovery-crises_per_decade-above-0-trajectory.csv")
    assert {"coverage", "density", "mass", "res_dim"} <= set(traj.columns)
    assert traj["coverage"].iloc[0] == 1.0
    assert (out / "discovery-crises_per_decade-above-0-tradeoff.png").stat().st_size > 5000
    code, _, err = run_main(monkeypatch, capsys, "discover", str(out), "--outcome", "crises_per_decade")
    assert code == 2 and "exactly one threshold" in err


# ------------------------------------------------------------------------------------ EMA adapter
def test_ema_adapter_runs_through_perform_experiments():
    pytest.importorskip("ema_workbench")
    from secorder.engine import simulate
    from secorder.explore.ema import _ema, ema_model

    ema = _ema()
    model = ema_model(str(SMALL), uncertainties={"onset_intercept": (-0.5, 1.0), "war_cost": (0.1, 0.5)},
                      architectures=["status-quo", "cooperative-forum"],
                      outcomes=["crises_per_decade", "mean_trust_final"], runs=4, years=3, seed=2)
    experiments, outcomes = ema.perform_experiments(model, scenarios=3, policies=2)
    assert len(experiments) == 6 and set(experiments["architecture"]) == {"status-quo", "cooperative-forum"}
    assert outcomes["crises_per_decade"].shape == (6,)
    row = experiments.iloc[4]
    direct = simulate(SMALL, years=3, runs=4, seed=2, architecture=row["architecture"],
                      params={"onset_intercept": row["onset_intercept"], "war_cost": row["war_cost"]})
    assert outcomes["mean_trust_final"][4] == pytest.approx(direct.outcomes["mean_trust_final"].mean(), rel=1e-12)
    with pytest.raises(InputError, match="uncertainties.war_cost"):
        ema_model(str(SMALL), uncertainties={"war_cost": (0.0, 2.0)})
