"""Checkpoints and --resume: an interrupted run finishes with the same results as an uninterrupted one.

In-process tests interrupt a run from inside (a chunk that raises KeyboardInterrupt, as
Ctrl-C would); the slow tests start the real command in a subprocess and send SIGINT or
SIGKILL to it, and run two commands on one output at once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import secorder
from secorder import engine
from secorder.checkpoint import Checkpoint, read_chunk, spec_hash, write_chunk
from secorder.errors import InputError
from secorder.spec import RunSpec
from tests.cli_invoke import secorder as run_cli
from tests.conftest import SMALL

TABLES = ("outcomes", "system", "system_mean", "states", "institutions", "institutions_mean", "events")
RUN = ("run", SMALL, "--runs", "24", "--years", "6", "--seed", "4", "--chunk-size", "4", "--workers", "1",
       "-q", "--no-plots")


def table_bytes(folder: Path) -> dict[str, bytes]:
    """The results' tables (Parquet and CSV) as bytes, by file name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".parquet", ".csv")}


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir())


class _Interrupt:
    """Patch the engine so that chunk number ``after`` (0-based) raises KeyboardInterrupt."""

    def __init__(self, monkeypatch, after: int):
        self.calls = 0
        real = engine.simulate_chunk

        def chunk(*args, **kwargs):
            if self.calls == after:
                raise KeyboardInterrupt
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(engine, "simulate_chunk", chunk)


# ---------------------------------------------------------------------------------------------- API
def test_chunk_files_round_trip(tmp_path):
    """A chunk written to the checkpoint reads back with the same arrays, dtypes and None parts."""
    out = engine.simulate_chunk(secorder.load_scenario(SMALL), secorder.Params(), 3, 1, np.arange(5, 9), True)
    write_chunk(tmp_path / "c.npz", out)
    back = read_chunk(tmp_path / "c.npz")
    np.testing.assert_array_equal(back.runs, out.runs)
    for part in ("system", "institutions", "states", "events"):
        a, b = getattr(out, part), getattr(back, part)
        assert a.keys() == b.keys()
        for k in a:
            assert a[k].dtype == b[k].dtype
            np.testing.assert_array_equal(a[k], b[k])
    summary = engine.simulate_chunk(secorder.load_scenario(SMALL), secorder.Params(), 3, 1, np.arange(2), False)
    write_chunk(tmp_path / "s.npz", summary)
    back = read_chunk(tmp_path / "s.npz")
    assert back.states is None and back.events is None


def test_the_spec_hash_ignores_chunking_and_workers_only():
    spec = RunSpec.build(str(SMALL), runs=10, years=3, seed=1)
    assert spec_hash(spec) == spec_hash(spec.replace(chunk_size=3, workers=2))
    for change in ({"seed": 2}, {"runs": 11}, {"years": 4}, {"params": {"arms_reaction": 0.2}},
                   {"architecture": "balance-of-power"}, {"record": "full"}):
        assert spec_hash(spec) != spec_hash(spec.replace(**change)), change


@pytest.mark.parametrize("record", ["full", "summary"])
def test_api_resume_gives_the_uninterrupted_results(tmp_path, monkeypatch, record):
    """Interrupted in chunk 5 of 8 with a checkpoint every 2 chunks (and on the interruption),
    resumed with another chunk size: every table equals the uninterrupted run's, to the bit."""
    args = {"runs": 32, "years": 8, "seed": 9, "record": record, "workers": 1}
    whole = secorder.simulate(str(SMALL), chunk_size=4, **args)
    ck = tmp_path / "ck"
    with monkeypatch.context() as m:
        _Interrupt(m, after=5)
        with pytest.raises(KeyboardInterrupt):
            secorder.simulate(str(SMALL), chunk_size=4, checkpoint=ck, checkpoint_every=2, **args)
    meta = json.loads((ck / "checkpoint.json").read_text())
    assert meta["done"] == 20 and len(list(ck.glob("runs-*.npz"))) == 5
    resumed = secorder.simulate(str(SMALL), chunk_size=7, checkpoint=ck, resume=True, **args)
    assert not ck.exists()
    tables = TABLES if record == "full" else ("outcomes", "system_mean", "institutions_mean")
    for t in tables:
        pd.testing.assert_frame_equal(resumed.to_pandas(t), whole.to_pandas(t), check_exact=True)


def test_api_resume_refuses_another_run_or_nothing(tmp_path, monkeypatch):
    ck = tmp_path / "ck"
    with pytest.raises(InputError, match="resume: there is no interrupted run to resume"):
        secorder.simulate(str(SMALL), runs=8, years=2, checkpoint=ck, resume=True)
    with pytest.raises(InputError, match="resume: needs the checkpoint folder"):
        secorder.simulate(str(SMALL), runs=8, years=2, resume=True)
    with monkeypatch.context() as m:
        _Interrupt(m, after=1)
        with pytest.raises(KeyboardInterrupt):
            secorder.simulate(str(SMALL), runs=8, years=2, chunk_size=2, workers=1, checkpoint=ck, checkpoint_every=1)
    before = sorted(p.name for p in ck.iterdir())
    with pytest.raises(InputError, match=r"resume: the checkpoint for .* is of a different run \(mini / status-quo: "
                                         r"2 of 8 runs x 2 years, seed 0\)"):
        secorder.simulate(str(SMALL), runs=8, years=2, seed=1, checkpoint=ck, resume=True)
    assert sorted(p.name for p in ck.iterdir()) == before  # refused: nothing touched


def test_a_damaged_chunk_file_is_reported(tmp_path, monkeypatch):
    ck = tmp_path / "ck"
    with monkeypatch.context() as m:
        _Interrupt(m, after=2)
        with pytest.raises(KeyboardInterrupt):
            secorder.simulate(str(SMALL), runs=8, years=2, chunk_size=2, workers=1, checkpoint=ck)
    first = sorted(ck.glob("runs-*.npz"))[0]
    first.write_bytes(first.read_bytes()[:100])
    with pytest.raises(InputError, match=f"resume: the checkpoint file {first.name} for .* is damaged"):
        secorder.simulate(str(SMALL), runs=8, years=2, checkpoint=ck, resume=True)


def test_a_gap_in_the_chunk_files_ends_what_is_reused(tmp_path):
    """Only chunks from run 0 on without a gap are reused; the rest is simulated again."""
    spec = RunSpec.build(str(SMALL), runs=12, years=2, chunk_size=4)
    ck = Checkpoint(tmp_path / "ck", spec, every=1)
    ck.open()
    for runs in (np.arange(0, 4), np.arange(8, 12)):
        ck.add(engine.simulate_chunk(spec.scenario, spec.params, 2, spec.seed, runs, True))
    again = Checkpoint(tmp_path / "ck", spec, resume=True)
    assert again.open() == 4
    assert [c.runs.tolist() for c in again.finished_chunks()] == [[0, 1, 2, 3]]


# ---------------------------------------------------------------------------------------------- CLI
def test_cli_interrupted_run_keeps_old_results_and_resumes_identically(tmp_path, monkeypatch):
    """Ctrl-C in chunk 4 of 6: exit 130, the previous results untouched, the checkpoint beside
    them; the same command with --resume writes tables byte-equal to an uninterrupted run's."""
    whole = tmp_path / "whole"
    assert run_cli(*RUN, "--out", whole).returncode == 0
    out = tmp_path / "res"
    assert run_cli(*RUN, "--seed", "5", "--out", out).returncode == 0  # previous results
    previous = table_bytes(out)
    with monkeypatch.context() as m:
        _Interrupt(m, after=4)
        r = run_cli(*RUN, "--checkpoint-every", "3", "--out", out)
    assert r.returncode == 130 and "previous results" in r.stderr
    assert table_bytes(out) == previous
    assert siblings(out) == [".res.secorder-checkpoint", "res", "whole"]
    assert len(list((tmp_path / ".res.secorder-checkpoint").glob("runs-*.npz"))) == 4
    r = run_cli(*RUN, "--resume", "--out", out)
    assert r.returncode == 0, r.stderr
    assert table_bytes(out) == table_bytes(whole)
    assert siblings(out) == ["res", "whole"]  # checkpoint removed once the results are in place


def test_cli_resume_refusals(tmp_path, monkeypatch):
    out = tmp_path / "res"
    r = run_cli(*RUN, "--resume", "--out", out)
    assert r.returncode == 2
    assert r.stderr.strip().startswith("error: --resume: there is no interrupted run to resume")
    assert not out.exists() and siblings(out) == []
    with monkeypatch.context() as m:
        _Interrupt(m, after=2)
        assert run_cli(*RUN, "--out", out, "--checkpoint-every", "1").returncode == 130
    r = run_cli(*RUN, "--runs", "30", "--resume", "--out", out)
    assert r.returncode == 2 and "--resume: the checkpoint for" in r.stderr and "is of a different run" in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert siblings(out) == [".res.secorder-checkpoint"]
    # a run without --resume starts again and says it discarded the checkpoint
    r = run_cli(*RUN, "--out", out)
    assert r.returncode == 0
    assert "note: --out: discarded the checkpoint of an interrupted run (mini / status-quo: 8 of 24 runs" in r.stderr
    assert siblings(out) == ["res"]


def test_cli_compare_resumes_identically(tmp_path, monkeypatch):
    """A comparison interrupted in its second architecture resumes (the first from its complete
    checkpoint, the second from its chunks) to tables byte-equal to an uninterrupted one."""
    cmp = ("compare", SMALL, "-a", "status-quo,concert", "--runs", "12", "--years", "5", "--workers", "1", "-q",
           "--no-plots", "--checkpoint-every", "1")
    monkeypatch.setattr(engine.RunSpec, "build", _small_chunks(engine.RunSpec.build))
    whole = tmp_path / "whole"
    assert run_cli(*cmp, "--out", whole).returncode == 0
    out = tmp_path / "res"
    with monkeypatch.context() as m:
        _Interrupt(m, after=4)  # 3 chunks of 4 runs per architecture: stops in the second
        assert run_cli(*cmp, "--out", out).returncode == 130
    ck = tmp_path / ".res.secorder-checkpoint"
    assert sorted(p.name for p in ck.iterdir()) == ["00-status-quo", "01-concert"]
    assert len(list((ck / "01-concert").glob("runs-*.npz"))) == 1
    r = run_cli(*cmp, "--resume", "--out", out)
    assert r.returncode == 0, r.stderr
    assert table_bytes(out) and table_bytes(out) == table_bytes(whole)
    assert siblings(out) == ["res", "whole"]
    r = run_cli(*cmp, "--resume", "--out", out)
    assert r.returncode == 2 and "--resume: there is no interrupted run to resume" in r.stderr


def _small_chunks(build):
    """RunSpec.build with chunks of 4 runs (the compare command has no --chunk-size)."""
    def small(*args, **kwargs):
        kwargs["chunk_size"] = 4
        return build(*args, **kwargs)
    return small


# ---------------------------------------------------------------------------------------------- processes
def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _command(*args: str | Path, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen([sys.executable, "-m", "secorder", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


LONG = ("run", SMALL, "--runs", "300", "--years", "15", "--seed", "2", "--chunk-size", "10", "--workers", "2",
        "-q", "--no-plots", "--checkpoint-every", "1")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_signalled_run_keeps_old_results_leaves_no_workers_and_resumes(tmp_path, sig):
    """The real command, 2 workers, is sent SIGINT (to its process group, as Ctrl-C) or SIGKILL
    (the main process only) once two chunks are checkpointed: the previous results stay as they
    were, no worker outlives it, and --resume gives tables byte-equal to an uninterrupted run."""
    whole, out = tmp_path / "whole", tmp_path / "res"
    reference = _command(*LONG, "--out", whole, cwd=tmp_path)
    assert reference.wait(300) == 0, reference.communicate()[1]
    assert run_cli(*RUN, "--out", out).returncode == 0
    previous = table_bytes(out)
    proc = _command(*LONG, "--out", out, cwd=tmp_path)
    checkpoint = tmp_path / ".res.secorder-checkpoint"
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and len(list(checkpoint.glob("runs-*.npz"))) < 2:
            workers |= _children(proc.pid)
            time.sleep(0.05)
        workers |= _children(proc.pid)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert len(workers) >= 2, "the pool did not start"
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == (130 if sig == signal.SIGINT else -signal.SIGKILL), err
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "pool workers outlived the interrupted run"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert table_bytes(out) == previous
    assert len(list(checkpoint.glob("runs-*.npz"))) >= 2
    if sig == signal.SIGINT:
        assert "Traceback" not in err
    r = run_cli(*LONG, "--resume", "--out", out)
    assert r.returncode == 0, r.stderr
    assert table_bytes(out) == table_bytes(whole)
    assert siblings(out) == ["res", "whole"]


@pytest.mark.slow
def test_two_concurrent_runs_on_one_output_never_mix(tmp_path):
    """A second command on an --out being written stops at once with a clear message; the first
    finishes, and the folder then holds exactly its complete results, nothing of the second's."""
    common = ("run", SMALL, "--runs", "200", "--years", "15", "--chunk-size", "20", "--workers", "1", "-q",
              "--no-plots", "--out")
    first = _command(*common, "res", "--seed", "1", cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (tmp_path / ".res.secorder-lock").exists():
            time.sleep(0.02)
        second = run_cli(*common, "res", "--seed", "2", cwd=tmp_path)  # while the first holds the output
        assert first.poll() is None, "the first run ended before the second started"
        assert second.returncode == 2 and "Traceback" not in second.stderr
        assert "is being written by another secorder process" in second.stderr
        _, err = first.communicate(timeout=300)
        assert first.returncode == 0, err
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert json.loads((tmp_path / "res" / "manifest.json").read_text())["spec"]["seed"] == 1
    assert run_cli(*common, "ref", "--seed", "1", cwd=tmp_path).returncode == 0
    assert table_bytes(tmp_path / "res") == table_bytes(tmp_path / "ref")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ref", "res"]
