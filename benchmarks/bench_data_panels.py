"""Benchmark: all directed dyad-years 1816-2014, bare and with data added.

Usage::

    python benchmarks/bench_data_panels.py [--source-dir ../shared/data] [--repeat 5]

Each case runs in a fresh Python process so that its peak memory is its own. A case reports

* ``cold``: the first build in the process, including reading (and decompressing) the files;
* ``warm``: the median of ``--repeat`` further builds, with the parsed files cached;
* ``peak RSS``: the process's maximum resident set size (``resource.getrusage``), and the
  increase over the RSS after imports; polars allocates outside the Python heap, so
  ``tracemalloc`` (also reported) sees only the Python-side part.

The cases are the bare panel (peacesciencer's ``create_dyadyears()``, about 5 s in R) and the
panel with capabilities (NMC 7.0), ATOP alliances, COW contiguity and MID onsets (with peace
years).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

CASES = ("bare", "full")
DEFAULT_SOURCE = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def _build(case: str, source_dir: str):
    from secorder.data import dyad_years

    panel = dyad_years(directed=True, years=(1816, 2014), source_dir=source_dir)
    if case == "full":
        panel = panel.add_capabilities().add_alliances().add_contiguity().add_mids()
    return panel.to_polars()


def run_case(case: str, source_dir: str, repeat: int) -> dict[str, float | int | str]:
    """Time one case in this process and return its figures."""
    import polars as pl

    import secorder.data  # noqa: F401  (imports are not part of the timing)

    base = _rss_mb()
    tracemalloc.start()
    t0 = time.perf_counter()
    df = _build(case, source_dir)
    cold = time.perf_counter() - t0
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    warm = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        _build(case, source_dir)
        warm.append(time.perf_counter() - t0)
    peak = _rss_mb()
    return {
        "case": case,
        "rows": df.height,
        "columns": df.width,
        "cold_s": round(cold, 3),
        "warm_s": round(statistics.median(warm), 3) if warm else float("nan"),
        "warm_min_s": round(min(warm), 3) if warm else float("nan"),
        "peak_rss_mb": round(peak, 1),
        "rss_increase_mb": round(peak - base, 1),
        "python_heap_peak_mb": round(py_peak / 2**20, 1),
        "polars": pl.__version__,
        "threads": pl.thread_pool_size(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source-dir", default=os.environ.get("SECORDER_DATA_DIR", str(DEFAULT_SOURCE))
    )
    parser.add_argument("--repeat", type=int, default=5, help="warm repetitions per case")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.source_dir, args.repeat)))
        return
    if not Path(args.source_dir).is_dir():
        sys.exit(f"data directory not found: {args.source_dir} (use --source-dir)")
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"{'case':<6} {'rows':>10} {'cols':>5} {'cold s':>8} {'warm s':>8} {'peak RSS MB':>12} {'+RSS MB':>8} {'py heap MB':>11}"
    )
    for case in CASES:
        cmd = [
            sys.executable,
            __file__,
            "--case",
            case,
            "--source-dir",
            args.source_dir,
            "--repeat",
            str(args.repeat),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{r['case']:<6} {r['rows']:>10,} {r['columns']:>5} {r['cold_s']:>8.3f} {r['warm_s']:>8.3f} "
            f"{r['peak_rss_mb']:>12.1f} {r['rss_increase_mb']:>8.1f} {r['python_heap_peak_mb']:>11.1f}"
        )
    print(
        f"# polars {r['polars']} with {r['threads']} threads; warm = median of {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
