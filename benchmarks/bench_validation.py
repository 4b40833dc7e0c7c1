"""Benchmark of a calibration and of a backtest on real data.

    python benchmarks/bench_validation.py calibrate [--runs 100] [--max-evaluations 120] [--out DIR]
    python benchmarks/bench_validation.py backtest [--region asia-pacific] [--out DIR]

``calibrate`` fits the default nine free parameters to the default nine targets for the
Asia-Pacific over 1990-2014; ``backtest`` runs the default backtest (8 origins, 1970-2005).
Both print the wall time and the processor time (user CPU, which the machine's load hardly
affects). Figures go in docs/performance.md. Needs ``../shared/data`` (or
``$SECORDER_DATA_DIR``).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + kids.ru_utime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("calibrate", "backtest"))
    ap.add_argument("--region", default="asia-pacific")
    ap.add_argument("--window", default="1990-2014")
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--max-evaluations", type=int, default=120)
    ap.add_argument("--starts", type=int, default=2)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    sd = os.environ.get("SECORDER_DATA_DIR") or str(Path(__file__).resolve().parents[2] / "shared" / "data")
    t, c = time.perf_counter(), _cpu()
    if a.what == "calibrate":
        from secorder.validation.calibrate import build_problem, calibrate, write_calibration

        start, end = (int(y) for y in a.window.split("-"))
        problem = build_problem(a.region, start, end, runs=a.runs, source_dir=sd)
        cal = calibrate(problem, starts=a.starts, max_evaluations=a.max_evaluations, progress=True)
        if a.out:
            write_calibration(cal, a.out, force=True)
        what = (f"calibration of {len(problem.free)} parameters to {len(problem.data.values)} targets, "
                f"{a.region} {a.window}, {a.runs} runs x {problem.years} years per evaluation, "
                f"{cal.evaluations} evaluations (J = {cal.distance:.1f})")
    else:
        from secorder.validation.backtest import Settings, backtest
        from secorder.validation.report import write_backtest

        settings = Settings()
        results = backtest(a.region, settings=settings, source_dir=sd, progress=True)
        if a.out:
            write_backtest(results, settings, a.out, force=True)
        what = f"backtest of {a.region}, {len(results)} origins ({settings.describe()})"
    print(f"{what}: {time.perf_counter() - t:.0f} s wall, {_cpu() - c:.0f} s user CPU")


if __name__ == "__main__":
    main()
