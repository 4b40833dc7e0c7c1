"""Benchmark of an architecture comparison: 12 architectures x 1,000 runs x 30 years.

    python benchmarks/bench_compare.py [--runs 1000] [--years 30]

Prints the wall time and peak memory of `secorder.experiments.compare` over every built-in
architecture on asia-pacific-2000. Figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import resource
import time

from secorder.architectures import builtin_names
from secorder.experiments import compare


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--scenario", default="asia-pacific-2000")
    a = ap.parse_args()
    names = builtin_names()
    t = time.perf_counter()
    cmp = compare(a.scenario, names, runs=a.runs, years=a.years, seed=0, baseline="status-quo")
    dt = time.perf_counter() - t
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(f"{len(names)} architectures x {a.runs:,} runs x {a.years} years on {a.scenario}: "
          f"{dt:.1f} s, peak RSS {peak:.0f} MB ({len(cmp.table()):,} table rows)")


if __name__ == "__main__":
    main()
