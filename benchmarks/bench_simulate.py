"""Benchmark of the simulator: state-years per second and peak memory.

    python benchmarks/bench_simulate.py                 # 1,000 and 10,000 runs x 30 years
    python benchmarks/bench_simulate.py --runs 100000   # bounded memory (summary mode)

Each configuration runs in a fresh process so peak RSS is its own. Figures go in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = """
import json, resource, sys, time
import secorder
runs, years, record, workers = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
sc = secorder.load_scenario("asia-pacific-2000")
t = time.perf_counter()
res = secorder.simulate(sc, years=years, runs=runs, seed=0, record=record, workers=workers or None)
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"runs": runs, "years": years, "record": res.record, "workers": workers,
                  "seconds": dt, "state_years_per_s": runs * years * len(sc.states) / dt,
                  "peak_rss_mb": max(peak, child)}))
"""


def measure(runs: int, years: int, record: str, workers: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(runs), str(years), record, str(workers)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--record", default="auto")
    ap.add_argument("--workers", type=int, default=0, help="worker processes (0: one per core)")
    a = ap.parse_args()
    print(f"{'runs':>8} {'years':>5} {'record':>8} {'workers':>7} {'seconds':>8} {'state-years/s':>14} {'peak MB':>8}")
    for runs in a.runs:
        m = measure(runs, a.years, a.record, a.workers)
        print(f"{m['runs']:>8,} {m['years']:>5} {m['record']:>8} {m['workers']:>7} {m['seconds']:>8.2f} "
              f"{m['state_years_per_s']:>14,.0f} {m['peak_rss_mb']:>8.0f}")


if __name__ == "__main__":
    main()
