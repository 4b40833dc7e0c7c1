"""Where the Dask backend of `secorder sweep` spends time besides simulating.

    python benchmarks/bench_dask_overhead.py

Measures, for one sweep cell of asia-pacific-2000 (default 100 runs x 30 years):
the size and the pickling time of the task (the scenario travels with it) and of its result;
the round trip of an empty task on a local cluster of 2 workers (scheduler and transfer
overhead per task); and the time of the cell itself in this process and on a Dask worker.
The ratio of the per-task overhead to the cell's time is the share Dask adds per task before
batching (`secorder.explore.runner.batches` puts several cells in one task).
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import time


def noop(x):
    return x


def timed_cell(task):
    """Wall-clock and processor seconds of one cell in the calling thread."""
    from secorder.explore.runner import run_cell

    t, c = time.perf_counter(), time.thread_time()
    run_cell(task)
    return time.perf_counter() - t, time.thread_time() - c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--tasks", type=int, default=200, help="empty tasks for the round-trip time")
    a = ap.parse_args()

    import secorder
    from secorder.explore.runner import CellTask, run_cell
    from secorder.explore.spec import Cell

    sc = secorder.load_scenario("asia-pacific-2000")
    cell = Cell(key="bench", scenario=sc.name, architecture="status-quo", levers="none", point=0, seed=0)
    task = CellTask(cell, sc, "status-quo", (), {}, a.runs, a.years, 500)
    t = time.perf_counter()
    blob = pickle.dumps(task)
    pickling = time.perf_counter() - t
    result = run_cell(task)  # warm-up (compiled kernels loaded)
    local, local_cpu = timed_cell(task)
    rblob = pickle.dumps(result)
    print(f"task: {len(blob) / 1024:,.0f} kB pickled in {pickling * 1000:.1f} ms; "
          f"result: {len(rblob) / 1024:,.0f} kB")
    print(f"cell ({a.runs} runs x {a.years} years) in this process: {local:.2f} s wall, {local_cpu:.2f} s CPU")

    from secorder.explore.runner import DaskBackend

    backend = DaskBackend(workers=2)  # the local cluster `secorder sweep --backend dask` starts
    client = backend.client
    try:
        client.submit(run_cell, task, pure=False).result()  # warm-up on a worker
        trips = []
        for k in range(a.tasks):
            t = time.perf_counter()
            client.submit(noop, k, pure=False).result()
            trips.append(time.perf_counter() - t)
        with_task = []
        for _ in range(5):
            t = time.perf_counter()
            client.submit(noop, task, pure=False).result()
            with_task.append(time.perf_counter() - t)
        remote, remote_cpu = client.submit(timed_cell, task, pure=False).result()
    finally:
        backend.close()
    trip, trip_task = statistics.median(trips), statistics.median(with_task)
    print(f"round trip of an empty task: {trip * 1000:.1f} ms (median of {a.tasks}); "
          f"carrying the cell's task: {trip_task * 1000:.1f} ms")
    print(f"cell on a Dask worker: {remote:.2f} s wall, {remote_cpu:.2f} s CPU; "
          f"per-task overhead / cell time: {trip_task / local:.1%}")


if __name__ == "__main__":
    main()
