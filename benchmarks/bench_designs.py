"""Benchmark of staged designs: the cost of the stage machine against the same runs without it.

    python benchmarks/bench_designs.py [--runs 1000] [--years 30] [--repeat 3]

Times, on northeast-asia-2003, the baseline without a design and each built-in design (the
baseline's runs plus one planned institution slot per stage and the yearly hook), single
process, best of ``--repeat``. Figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import time

from secorder.designs import builtin_designs, load_design, plan_design
from secorder.designs.run import _simulate
from secorder.scenario import load_scenario


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scenario", default="northeast-asia-2003")
    a = ap.parse_args()
    sc = load_scenario(a.scenario)
    args = (a.years, a.runs, 0, None, "summary", 500, 1)
    base = best(lambda: _simulate(sc, "no-design", None, *args), a.repeat)
    print(f"{a.scenario}, {a.runs:,} runs x {a.years} years, one process (best of {a.repeat})")
    print(f"  no design: {base:.2f} s")
    for name in builtin_designs():
        plan = plan_design(load_design(name), sc, name)
        t = best(lambda plan=plan, name=name: _simulate(plan.scenario, name, plan, *args), a.repeat)
        print(f"  {name}: {t:.2f} s ({t / base - 1:+.0%})")


if __name__ == "__main__":
    main()
