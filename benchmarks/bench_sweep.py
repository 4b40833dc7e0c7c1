"""Benchmark of `secorder sweep`: the local-process backend against a local Dask cluster.

    python benchmarks/bench_sweep.py                       # 1,000 points x 100 runs x 30 years
    python benchmarks/bench_sweep.py --points 250 --years 5   # a reduced version

Both backends run the same Latin-hypercube sweep over four onset and escalation parameters on
asia-pacific-2000 with the same number of workers, into fresh folders; the script reports
wall-clock time (in all, starting the backend, and running the cells), run-years per second
of the cells, the processor seconds of this process and of every process it started (worker
processes, and for Dask the nannies too; these depend much less on other load than wall time),
the load average when each backend finished, and whether the two datasets are identical row for
row. Figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path


def spec(points: int, runs: int, years: int, scenario: str) -> dict:
    return {
        "name": "bench",
        "scenarios": [scenario],
        "parameters": {"sampler": "lhs", "samples": points, "seed": 0, "ranges": {
            "onset_intercept": [-0.5, 0.5], "war_given_fight": [0.02, 0.2],
            "onset_stakes": "registry", "arms_reaction": "registry"}},
        "runs": runs,
        "years": years,
    }


def cpu_seconds() -> float:
    """User + system seconds of this process and of its finished (waited-for) child processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scenario", default="asia-pacific-2000")
    ap.add_argument("--backends", nargs="*", default=["local", "dask"])
    a = ap.parse_args()

    import pandas as pd

    from secorder.explore import read_sweep, sweep

    root = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    s = spec(a.points, a.runs, a.years, a.scenario)
    run_years = a.points * a.runs * a.years
    print(f"{a.points:,} points x {a.runs:,} runs x {a.years} years on {a.scenario}, {a.workers} workers")
    print(f"{'backend':>8} {'seconds':>8} {'start-up':>8} {'cells':>8} {'run-years/s':>12} {'rows':>9} "
          f"{'CPU s':>8} {'load':>5}")
    frames = {}
    try:
        for backend in a.backends:
            started = []
            t, c = time.perf_counter(), cpu_seconds()
            res = sweep(s, root / backend, backend=backend, workers=a.workers,
                        on_estimate=lambda est, where, started=started: started.append(time.perf_counter()))
            dt = time.perf_counter() - t  # total, including starting the backend (a Dask cluster)
            cpu = cpu_seconds() - c  # the workers have exited and been waited for by now
            startup = started[0] - t
            frames[backend] = read_sweep(res.path)
            print(f"{backend:>8} {dt:>8.1f} {startup:>8.1f} {dt - startup:>8.1f} {run_years / (dt - startup):>12,.0f} "
                  f"{len(frames[backend]):>9,} {cpu:>8.1f} {os.getloadavg()[0]:>5.1f}")
        if len(frames) == 2:
            a_, b_ = frames.values()
            pd.testing.assert_frame_equal(a_, b_)
            print("datasets identical")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
