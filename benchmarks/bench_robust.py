"""Benchmark of the robust claim report: every claim over parameter draws x runs per arm.

    python benchmarks/bench_robust.py [--draws 256] [--runs 200] [--years 30] [--workers 2]

The issue's target: all 14 claims, at least 256 draws x 200 runs per arm, within 2 hours on 2
cores. The full setting is the default; pass smaller ``--draws``/``--runs`` for a reduced run,
and the script extrapolates: the cost is linear in draws x runs (plus a small fixed part), so it
prints the wall and processor time per draw-run and what the full setting would take.
Figures go in docs/performance.md, labelled with the machine's state (the load average is
printed).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import warnings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=256)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    from secorder.experiments.claims import CLAIMS
    from secorder.experiments.robust import robust_catalogue

    load = os.getloadavg()[0]
    t, cpu0 = time.perf_counter(), _cpu()
    robust = robust_catalogue(list(CLAIMS.values()), draws=a.draws, runs=a.runs, years=a.years, workers=a.workers)
    wall, cpu = time.perf_counter() - t, _cpu() - cpu0
    scale = (256 * 200) / (a.draws * a.runs)
    print(f"{len(robust)} claims x {a.draws} draws x {a.runs} runs per arm x {a.years} years, {a.workers} workers, "
          f"load average {load:.1f} at the start: wall {wall:.0f} s, processor {cpu:.0f} s; "
          f"256 x 200 would take about {wall * scale / 3600:.1f} h wall at this load, "
          f"{cpu * scale / a.workers / 3600:.1f} h on {a.workers} idle cores")
    for cid, r in robust.items():
        sh = r.shares
        print(f"  {cid:<4} supported {sh['supported']:.0%} contradicted {sh['contradicted']:.0%} "
              f"inconclusive {sh['inconclusive']:.0%}")


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


if __name__ == "__main__":
    main()
