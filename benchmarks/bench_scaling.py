"""How simulation time grows with runs, years and the number of states, with fitted exponents.

    python benchmarks/bench_scaling.py
    python benchmarks/bench_scaling.py --world-states 25 50 100 194   # also up to a world scenario

Each series varies one factor from a base of 200 runs x 10 years on asia-pacific-2000 (21
states). The states series keeps the first N states of asia-pacific-2000 (with the dyads and
institutions among them). With ``--world-states``, a further series keeps the first N states
of the world scenario of ``--world-year`` (every state system member, built from the data
under ../shared/data as ``secorder scenarios from-data --region world`` does) and runs 20 runs
x 5 years. The exponent b is the least-squares slope of log time on log size
(time ~ size^b); the marginal exponent is the slope between the two largest sizes. Every
configuration runs in this process, once after a warm-up, with one worker; figures go in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def subset(sc, n: int):
    """The scenario restricted to its first n states."""
    keep = set(sc.codes[:n])
    data = sc.model_dump(mode="json", exclude_none=True)
    data["name"] = f"{sc.name}-{n}"
    data["states"] = [s for s in data["states"] if s["code"] in keep]
    data["dyads"] = [d for d in data["dyads"] if set(d["states"]) <= keep]
    insts = []
    for inst in data["institutions"]:
        members = [m for m in inst["members"] if m in keep]
        if len(members) >= 2 or inst.get("potential"):
            inst = {**inst, "members": members}
            if isinstance(inst.get("obligations"), dict):
                inst["obligations"] = {k: v for k, v in inst["obligations"].items() if k in keep}
            for key in ("charter", "leader"):
                if isinstance(inst.get(key), list):
                    inst[key] = [m for m in inst[key] if m in keep]
                elif isinstance(inst.get(key), str) and inst[key] not in keep:
                    inst.pop(key)
            insts.append(inst)
    data["institutions"] = insts
    from secorder.scenario import validate_scenario

    return validate_scenario(data)


def timed(sc, runs: int, years: int) -> float:
    import secorder

    t = time.perf_counter()
    secorder.simulate(sc, years=years, runs=runs, seed=0, record="summary", workers=1, chunk_size=500)
    return time.perf_counter() - t


def series(name: str, sizes: list[int], run) -> None:
    times = [run(s) for s in sizes]
    b = np.polyfit(np.log(sizes), np.log(times), 1)[0]
    marginal = np.log(times[-1] / times[-2]) / np.log(sizes[-1] / sizes[-2]) if len(sizes) > 1 else float("nan")
    print(f"{name}: " + ", ".join(f"{s}: {t:.2f} s" for s, t in zip(sizes, times, strict=True))
          + f"  -> exponent {b:.2f} (marginal {marginal:.2f})", flush=True)


def world_scenario(year: int):
    """Every state system member in ``year``, built from the data (as ``scenarios from-data --region world``)."""
    import os
    from pathlib import Path

    from secorder.data import scenario_from_data
    from secorder.scenario import validate_scenario

    source = os.environ.get("SECORDER_DATA_DIR") or str(Path(__file__).resolve().parents[2] / "shared" / "data")
    return validate_scenario(scenario_from_data(year, region="world", source_dir=source, name=f"world-{year}"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, nargs="*", default=[100, 200, 400, 800])
    ap.add_argument("--years", type=int, nargs="*", default=[5, 10, 20, 40])
    ap.add_argument("--states", type=int, nargs="*", default=[6, 10, 15, 21])
    ap.add_argument("--world-states", type=int, nargs="*", default=[])
    ap.add_argument("--world-year", type=int, default=2010)
    a = ap.parse_args()
    import secorder

    base = secorder.load_scenario("asia-pacific-2000")
    timed(base, 20, 2)  # warm-up
    series("runs (10 years, 21 states)", a.runs, lambda r: timed(base, r, 10))
    series("years (200 runs, 21 states)", a.years, lambda y: timed(base, 200, y))
    scs = {n: subset(base, n) for n in a.states}
    series("states (200 runs, 10 years)", a.states, lambda n: timed(scs[n], 200, 10))
    if a.world_states:
        world = world_scenario(a.world_year)
        wscs = {n: subset(world, n) for n in a.world_states}
        k = ", ".join(f"{n}: {len(wscs[n].institutions)}" for n in a.world_states)
        print(f"world {a.world_year}: {len(world.states)} states; institutions kept by size: {k}")
        series(f"world states (20 runs, 5 years, {a.world_year})", a.world_states, lambda n: timed(wscs[n], 20, 5))


if __name__ == "__main__":
    main()
