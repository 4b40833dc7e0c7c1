"""Memory estimates, worker caps, lazy chunks, chunking-invariant means, workers dying with
their parent (secorder.resources and the chunk scheduling in secorder.engine)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import secorder
from secorder import resources
from secorder.errors import InputError
from secorder.mechanisms import REGISTRY
from secorder.params import Params
from tests.conftest import SMALL

FOOT = resources.Footprint(world=1_000, recorded=10_000, outcomes=200)


def test_too_many_runs_are_refused_naming_runs():
    with pytest.raises(InputError) as err:
        resources.plan(FOOT, runs=10**9, chunk_size=500, workers=1, keep_states=False, n_states=6, memory=10**9)
    message = err.value.format()
    assert message.startswith("runs: 1,000,000,000 runs") and "at most" in message


def test_full_record_counts_the_series_and_suggests_summary():
    kw = dict(chunk_size=10, workers=1, n_states=6, memory=10**8)
    resources.plan(FOOT, runs=10_000, keep_states=False, **kw)  # summaries fit
    with pytest.raises(InputError, match="summary"):
        resources.plan(FOOT, runs=10_000, keep_states=True, **kw)


def test_chunk_is_shrunk_to_fit_and_said_so():
    plan = resources.plan(FOOT, runs=1_000, chunk_size=1_000, workers=1, keep_states=False, n_states=6,
                          memory=10**7)
    per_run = resources.WORKING_FACTOR * FOOT.world + FOOT.recorded
    assert plan.chunk_size < 1_000 and plan.chunk_size * per_run <= resources.MEMORY_SHARE * 10**7
    assert plan.note and plan.note.startswith("chunk_size:")


def test_a_world_too_large_for_one_run_is_refused_naming_the_scenario():
    huge = resources.Footprint(world=10**9, recorded=0, outcomes=8)
    with pytest.raises(InputError, match=r"^scenario: 400 states"):
        resources.plan(huge, runs=500, chunk_size=500, workers=1, keep_states=False, n_states=400, memory=10**9)


def test_workers_are_capped_at_chunks_and_cores():
    plan = resources.plan(FOOT, runs=4, chunk_size=2, workers=16, keep_states=False, n_states=6, memory=10**9)
    assert plan.n_chunks == 2 and plan.workers == min(2, os.cpu_count() or 1)


def test_chunk_indices_are_lazy():
    chunks = resources.chunk_indices(10**12, 500)
    assert not isinstance(chunks, list | tuple)
    assert next(chunks).tolist() == list(range(500))


def test_footprint_grows_with_states_squared(small_scenario):
    foot = resources.Footprint.measure(small_scenario, Params(), REGISTRY, years=5, keep_states=True)
    n = len(small_scenario.states)
    assert foot.world >= 8 * n * n  # at least one dyadic float variable
    assert foot.recorded > 0 and foot.outcomes > 0


def test_simulate_refuses_before_allocating(monkeypatch):
    monkeypatch.setenv(resources.MEMORY_ENV, "1e6")
    with pytest.raises(InputError, match="^runs: "):
        secorder.simulate(SMALL, runs=10**9, years=30, workers=1)


def test_shrunk_chunks_and_chunking_give_identical_bits(monkeypatch, small_scenario):
    kw = dict(years=5, runs=11, seed=4, workers=1, record="full")
    foot = resources.Footprint.measure(small_scenario, Params(), REGISTRY, years=5, keep_states=True)
    kept = 11 * (foot.outcomes + foot.recorded)
    per_run = resources.WORKING_FACTOR * foot.world + foot.recorded
    memory = int((kept + 3.5 * per_run) / resources.MEMORY_SHARE)  # room for three runs per chunk
    one = secorder.simulate(SMALL, chunk_size=11, **kw)
    for chunk in (1, 3, 4):
        split = secorder.simulate(SMALL, chunk_size=chunk, **kw)
        for k in one.system_mean:  # sequential fold in run order: bit-identical, not just close
            assert np.array_equal(one.system_mean[k], split.system_mean[k]), (chunk, k)
    monkeypatch.setenv(resources.MEMORY_ENV, str(memory))
    with pytest.warns(resources.ChunkShrunk):
        shrunk = secorder.simulate(SMALL, chunk_size=11, **kw)
    for k in one.system_mean:
        assert np.array_equal(one.system_mean[k], shrunk.system_mean[k]), k
    assert np.array_equal(one.system["crises"], shrunk.system["crises"])


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


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_workers_die_with_their_parent(tmp_path):
    """SIGKILL of the main process leaves no pool worker behind."""
    code = (f"import secorder; secorder.simulate({str(SMALL)!r}, runs=100000, years=30, chunk_size=50, workers=2, "
            "record='summary')")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen([sys.executable, "-c", code], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _children(parent.pid)
            time.sleep(0.2)
        assert len(workers) >= 2, "the pool did not start"
        time.sleep(0.5)  # let the initializers run
        parent.send_signal(signal.SIGKILL)
        parent.wait(30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers), "pool workers outlived their parent"
    finally:
        try:
            os.killpg(parent.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
