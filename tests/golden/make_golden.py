"""Golden outputs: every results table of the three built-in scenarios at a fixed seed.

The golden files pin the model's numbers. ``tests/test_golden.py`` re-simulates each scenario
with the settings below and requires every table to equal the stored one exactly, so a change
meant to be structural (a refactor, a faster kernel) cannot move a single number unnoticed.

When a change is *meant* to alter the numbers (a new mechanism, a recalibrated parameter, a
new random stream), regenerate the files and commit them with the change, and say in
CHANGELOG.md (section "Unreleased") that results at a given seed differ from the last release:

    PYTHONPATH=src python tests/golden/make_golden.py            # rewrite tests/golden/*.parquet
    PYTHONPATH=src python tests/golden/make_golden.py --check    # compare only, write nothing

One Parquet file per scenario and table (``<scenario>.<table>.parquet``), wide layout with
one column per series so the files stay small (about 2.5 MB in all).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

GOLDEN_DIR = Path(__file__).resolve().parent
SCENARIOS = ("asia-pacific-2000", "asia-pacific-2024", "northeast-asia-2003")
TABLES = ("outcomes", "system", "states", "institutions", "events")
SEED = 20240501
RUNS = 40
YEARS = 30
CHUNK_SIZE = 16  # several chunks, so chunking is part of what is pinned


def simulate_tables(scenario: str) -> dict[str, pd.DataFrame]:
    """Simulate one built-in scenario with the golden settings; its tables in wide layout."""
    from secorder import simulate

    res = simulate(scenario, years=YEARS, runs=RUNS, seed=SEED, record="full", chunk_size=CHUNK_SIZE, workers=1)
    runs, years = np.arange(RUNS), np.arange(YEARS)
    n, k = len(res.scenario.states), len(res.scenario.institutions)

    def grid(*axes: np.ndarray) -> dict[str, np.ndarray]:
        mesh = np.meshgrid(*axes, indexing="ij")
        return {name: m.ravel() for name, m in zip(("run", "year", "index"), mesh, strict=False)}

    tables = {"outcomes": pd.DataFrame({"run": runs, **{key: v for key, v in res.outcomes.items()}})}
    tables["system"] = pd.DataFrame({**grid(runs, years), **{key: v.ravel() for key, v in res.system.items()}})
    tables["states"] = pd.DataFrame({**grid(runs, years, np.arange(n)), **{key: v.ravel() for key, v in res.states.items()}})
    tables["institutions"] = pd.DataFrame(
        {**grid(runs, years, np.arange(k)), **{key: v.ravel() for key, v in res.institutions.items()}})
    events = res.event_arrays or {}
    tables["events"] = pd.DataFrame(dict(event_columns(events)))
    if len(tables["events"]):
        tables["events"] = tables["events"].sort_values(
            ["run", "year", "challenger", "target"], kind="stable").reset_index(drop=True)
    return tables


def event_columns(events: dict[str, np.ndarray]):
    """(name, 1-D column) pairs of the event log; packed sets of states (E, words) give one
    column per word: ``joined`` for the first 64 states, ``joined_1`` for the next 64, ..."""
    for key, v in events.items():
        v = np.asarray(v)
        if v.ndim == 1:
            yield key, v
        else:
            for w in range(v.shape[1]):
                yield (key if w == 0 else f"{key}_{w}"), v[:, w]


def path(scenario: str, table: str) -> Path:
    return GOLDEN_DIR / f"{scenario}.{table}.parquet"


def load(scenario: str, table: str) -> pd.DataFrame:
    return pd.read_parquet(path(scenario, table))


def differences(expected: pd.DataFrame, actual: pd.DataFrame) -> list[str]:
    """Human-readable differences between a golden table and a fresh one (empty if identical)."""
    problems = []
    if list(expected.columns) != list(actual.columns):
        problems.append(f"columns differ: golden {list(expected.columns)}, now {list(actual.columns)}")
        return problems
    if len(expected) != len(actual):
        problems.append(f"{len(expected)} rows in the golden table, {len(actual)} now")
        return problems
    for col in expected.columns:
        a, b = expected[col].to_numpy(), actual[col].to_numpy()
        if a.dtype != b.dtype:
            problems.append(f"{col}: dtype {a.dtype} in the golden table, {b.dtype} now")
        elif not np.array_equal(a, b, equal_nan=a.dtype.kind == "f"):
            bad = np.flatnonzero(~((a == b) | ((a != a) & (b != b)))) if a.dtype.kind == "f" else np.flatnonzero(a != b)
            problems.append(f"{col}: {bad.size} of {a.size} values differ (first at row {bad[0]}: "
                            f"golden {a[bad[0]]!r}, now {b[bad[0]]!r})")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write (or check) the golden outputs of the built-in scenarios.")
    ap.add_argument("--check", action="store_true", help="compare with the stored files; write nothing")
    a = ap.parse_args(argv)
    failed = False
    for scenario in SCENARIOS:
        for table, df in simulate_tables(scenario).items():
            if a.check:
                diff = differences(load(scenario, table), df)
                print(f"{scenario}.{table}: {'identical' if not diff else '; '.join(diff)}")
                failed |= bool(diff)
            else:
                df.to_parquet(path(scenario, table), index=False, compression="zstd")
                print(f"wrote {path(scenario, table).name} ({len(df):,} rows)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
