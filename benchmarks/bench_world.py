"""Benchmark of a world scenario: every member of the state system in one year, built from data.

    python benchmarks/bench_world.py                          # 2010, 20 runs x 10 years
    python benchmarks/bench_world.py --year 2010 --runs 100 --years 30

The scenario is built once with the same code as
``secorder scenarios from-data --year 2010 --region world`` (the data under ../shared/data or
$SECORDER_DATA_DIR) and kept in a temporary file; the simulation then runs in a fresh
process with one worker and ``record="summary"``. The script prints the scenario's size,
the memory estimate ``simulate`` makes before it starts (per run and the chunk it chooses),
the wall-clock time of the call and the process's peak resident memory. Figures go in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys, time
import secorder
from secorder import resources
from secorder.mechanisms import REGISTRY
path, runs, years, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sc = secorder.load_scenario(path)
params = secorder.Params()
fp = resources.Footprint.measure(sc, params, REGISTRY, years, False)
plan = resources.plan(fp, runs, chunk, 1, False, len(sc.states))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter()
secorder.simulate(sc, years=years, runs=runs, seed=0, record="summary", workers=1, chunk_size=chunk)
dt = time.perf_counter() - t
print(json.dumps({"states": len(sc.states), "institutions": len(sc.institutions), "seconds": dt,
                  "world_mb_per_run": fp.world / 2**20, "chunk": plan.chunk_size,
                  "estimate_mb": resources.WORKING_FACTOR * fp.world * plan.chunk_size / 2**20,
                  "peak_before_mb": before,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build(year: int, out: Path) -> None:
    from secorder.data import scenario_from_data, write_scenario

    write_scenario(scenario_from_data(year, region="world", name=f"world-{year}"), out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, default=2010)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--chunk-size", type=int, default=500)
    a = ap.parse_args()
    if "SECORDER_DATA_DIR" not in os.environ:
        os.environ["SECORDER_DATA_DIR"] = str(Path(__file__).resolve().parents[2] / "shared" / "data")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"world-{a.year}.yaml"
        build(a.year, path)
        out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(a.runs), str(a.years), str(a.chunk_size)],
                             capture_output=True, text=True, check=True)
    m = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"world {a.year}: {m['states']} states, {m['institutions']} institutions; "
          f"{a.runs:,} runs x {a.years} years, 1 worker, record summary")
    print(f"estimate: {m['world_mb_per_run']:.1f} MB of world per run, chunk of {m['chunk']:,} runs, "
          f"about {m['estimate_mb']:,.0f} MB of working memory")
    print(f"time {m['seconds']:.1f} s ({m['seconds'] / (a.runs * a.years):.3f} s per run-year), "
          f"peak {m['peak_mb']:,.0f} MB (after loading {m['peak_before_mb']:,.0f} MB)")


if __name__ == "__main__":
    main()
