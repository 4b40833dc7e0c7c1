"""Running a sweep: cells on local processes or a Dask cluster, rows into a partitioned Parquet dataset.

The output folder holds::

    manifest.json            what was swept, the columns, how many cells are done
    spec.yaml                the spec as checked (normalised)
    design.parquet           the parameter design: one row per point
    data/scenario=S/architecture=A/part-<cell>.parquet
                             one file per finished cell: one row per run, with every input
                             (point, levers, seed, run, every parameter value) and every outcome

A cell's file is written under a temporary name and renamed when complete (the project's safe
writer, :mod:`secorder._atomic`), so a killed sweep leaves only whole files; running the same spec into the same folder again skips every cell
whose file exists and gives the same dataset as an uninterrupted sweep. Cells are computed
by workers and written by the coordinating process, so a remote Dask cluster needs no shared
file system.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from secorder._atomic import LOCK_SUFFIX, NEW_SUFFIX, atomic_file, check_output, is_results_folder
from secorder.errors import InputError
from secorder.explore.spec import Cell, Plan, load_spec
from secorder.progress import ProgressBar

ID_COLUMNS = ("scenario", "architecture", "levers", "seed", "point", "run")
PARTITIONS = ("scenario", "architecture")
BACKENDS = ("local", "dask")
# Cost of one run-year is about N^2 (0.63 + 0.018 K) microseconds on one core (see docs/performance.md).
RUN_YEAR_US = (0.63, 0.018)
CELL_OVERHEAD_S = 0.03


def outcome_names() -> list[str]:
    """The outcome registry's names, in its order: the dataset's outcome columns."""
    from secorder.metrics import OUTCOMES

    return list(OUTCOMES)


def parameter_names() -> list[str]:
    """Names of every model parameter (the registry's), the columns a sweep may vary."""
    from secorder.params import Params

    return list(Params.metadata())


# ---------------------------------------------------------------------------------- one cell
@dataclass(frozen=True)
class CellTask:
    """What a worker needs to run one cell (picklable; scenarios travel as objects)."""

    cell: Cell
    scenario: Any
    architecture: Any
    levers: tuple[Any, ...]
    values: dict[str, float]
    runs: int
    years: int
    chunk_size: int


def run_cell(task: CellTask) -> dict[str, Any]:
    """Simulate one cell in this process: per-run outcomes and the parameter values used."""
    from secorder.engine import simulate

    res = simulate(
        task.scenario, years=task.years, runs=task.runs, seed=task.cell.seed, params=task.values or None,
        record="summary", chunk_size=task.chunk_size, workers=1, architecture=task.architecture,
        levers=list(task.levers),
    )
    return {"key": task.cell.key, "outcomes": res.outcomes, "params": res.params.to_dict()}


def run_cells(batch: Sequence[CellTask]) -> list[dict[str, Any]]:
    """Simulate a batch of cells in this process, in order (one task on a worker, see :func:`batches`)."""
    return [run_cell(t) for t in batch]


BATCH_RUN_YEARS = 20_000  # run-years per task: a few seconds of work, so per-task overhead stays small


def batches(tasks: Sequence[CellTask], workers: int) -> list[tuple[CellTask, ...]]:
    """The cells grouped into tasks of about :data:`BATCH_RUN_YEARS` run-years each.

    Each task then carries its scenario once and costs one round trip for several cells,
    while there are still at least four tasks per worker to balance the load. A killed sweep
    loses at most the batches in flight; the finished cells of a batch are written when the
    batch returns.
    """
    if not tasks:
        return []
    per_cell = max(tasks[0].runs * tasks[0].years, 1)
    size = max(1, min(-(-BATCH_RUN_YEARS // per_cell), len(tasks) // (4 * max(workers, 1))))
    return [tuple(tasks[k:k + size]) for k in range(0, len(tasks), size)]


def cell_table(cell: Cell, result: dict[str, Any], runs: int):
    """The cell's rows as an Arrow table (partition columns are in the folder names)."""
    import numpy as np
    import pyarrow as pa

    cols: dict[str, Any] = {
        "cell": pa.array([cell.key] * runs, pa.string()),
        "levers": pa.array([cell.levers] * runs, pa.string()),
        "seed": pa.array(np.full(runs, cell.seed, dtype=np.int64)),
        "point": pa.array(np.full(runs, cell.point, dtype=np.int64)),
        "run": pa.array(np.arange(runs, dtype=np.int64)),
    }
    for name in parameter_names():
        cols[name] = pa.array(np.full(runs, float(result["params"][name])))
    for name in outcome_names():
        cols[name] = pa.array(np.asarray(result["outcomes"][name], dtype=float))
    return pa.table(cols)


def cell_path(root: Path, cell: Cell) -> Path:
    """Where a cell's Parquet file lives in the sweep folder (partitioned by scenario and more)."""
    return (root / "data" / f"scenario={quote(cell.scenario, safe='')}"
            / f"architecture={quote(cell.architecture, safe='')}" / f"part-{cell.key}.parquet")


def _write_cell(root: Path, cell: Cell, result: dict[str, Any], runs: int) -> None:
    import pyarrow.parquet as pq

    with atomic_file(cell_path(root, cell), field="--out") as tmp:
        pq.write_table(cell_table(cell, result, runs), tmp)


# ---------------------------------------------------------------------------------- backends
class LocalBackend:
    """Cells on local worker processes (``workers=1``: in this process, no pool)."""

    name = "local"

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1

    def run(self, tasks: Sequence[CellTask]) -> Iterator[tuple[CellTask, dict]]:
        """Run the cells, yielding each with its result as it finishes (in any order)."""
        if self.workers == 1 or len(tasks) <= 1:
            for t in tasks:
                yield t, run_cell(t)
            return
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            pending: dict[Any, tuple[CellTask, ...]] = {}
            queue = iter(batches(tasks, self.workers))
            in_flight = 2 * self.workers  # bounded: a kill loses at most these batches
            try:
                for b in queue:
                    pending[pool.submit(run_cells, b)] = b
                    if len(pending) >= in_flight:
                        break
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        b = pending.pop(fut)
                        nxt = next(queue, None)
                        if nxt is not None:
                            pending[pool.submit(run_cells, nxt)] = nxt
                        yield from zip(b, fut.result(), strict=True)
            finally:
                for fut in pending:
                    fut.cancel()

    def close(self) -> None:
        """Release the backend's resources (nothing to release for local processes)."""

    def describe(self) -> str:
        """Where the cells run, for the progress line and the manifest."""
        return f"local processes ({self.workers} worker{'s' if self.workers != 1 else ''})"


class DaskBackend:
    """Cells on a Dask distributed cluster: an existing scheduler, or a local cluster started here."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None, timeout: float = 5.0):
        import logging

        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=timeout)
            except (OSError, TimeoutError, ValueError) as err:
                raise InputError([("--scheduler", f"cannot reach a Dask scheduler at {scheduler!r} ({err})")]) from None
        else:
            import dask

            # Dask's nanny sets MALLOC_TRIM_THRESHOLD_ in its workers, which turns off glibc's
            # adaptive mmap threshold: every large NumPy temporary is then mapped and unmapped,
            # and the simulator ran about 1.5 times slower. The threading limits are kept.
            environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
                       if k != "MALLOC_TRIM_THRESHOLD_"}
            with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
                self.cluster = LocalCluster(
                    n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                    dashboard_address=":0", silence_logs=logging.ERROR,  # any free port: never clash
                )
            self.client = Client(self.cluster)
        self.workers = max(len(self.client.scheduler_info().get("workers", {})), 1)
        self.address = self.client.scheduler.address

    def run(self, tasks: Sequence[CellTask]) -> Iterator[tuple[CellTask, dict]]:
        """Submit the cells to the cluster, yielding each with its result as it finishes."""
        from distributed import as_completed

        queue = iter(batches(tasks, self.workers))
        by_key: dict[str, tuple[CellTask, ...]] = {}
        first = []
        for b in queue:
            first.append(self._submit(b, by_key))
            if len(first) >= 2 * self.workers:
                break
        if not first:
            return
        done_iter = as_completed(first)
        try:
            for fut in done_iter:
                b = by_key.pop(fut.key)
                nxt = next(queue, None)
                if nxt is not None:  # keep the workers busy while this batch's cells are written
                    done_iter.add(self._submit(nxt, by_key))
                results = fut.result()
                fut.release()
                yield from zip(b, results, strict=True)
        finally:
            for fut in list(done_iter.futures):
                fut.cancel()

    def _submit(self, b: tuple[CellTask, ...], by_key: dict[str, tuple[CellTask, ...]]):
        fut = self.client.submit(run_cells, b, key=f"secorder-cells-{b[0].cell.key}-{len(b)}", pure=False)
        by_key[fut.key] = b
        return fut

    def close(self) -> None:
        """Close the client (and the local cluster, if this backend started one)."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def describe(self) -> str:
        """Where the cells run, for the progress line and the manifest."""
        where = "local cluster" if self.cluster is not None else f"scheduler {self.address}"
        return f"Dask ({where}, {self.workers} worker{'s' if self.workers != 1 else ''})"


def make_backend(backend: str = "local", workers: int | None = None, scheduler: str | None = None,
                 timeout: float = 5.0):
    """A backend by name; ``scheduler`` (an address such as ``tcp://host:8786``) implies Dask."""
    if scheduler and backend == "local":
        backend = "dask"
    if backend not in BACKENDS:
        raise InputError([("--backend", f"must be one of {', '.join(BACKENDS)}, got {backend!r}")])
    if workers is not None and (isinstance(workers, bool) or workers < 1):
        raise InputError([("--workers", f"must be a whole number >= 1, got {workers!r}")])
    if backend == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise InputError([("--backend", "dask needs the 'explore' extra: pip install 'secorder[explore]'")]) from None
        return DaskBackend(scheduler, workers, timeout)
    return LocalBackend(workers)


# ---------------------------------------------------------------------------------- estimate
@dataclass(frozen=True)
class Estimate:
    """What a sweep will cost before it runs: cells, run-years, time, memory and dataset size."""

    cells: int
    cells_done: int
    run_years: int
    seconds: float
    worker_memory_mb: float
    dataset_mb: float
    workers: int = 1

    def describe(self) -> str:
        """The estimate as one line for the user."""
        workers = self.workers
        todo = self.cells - self.cells_done
        skip = f" ({self.cells_done:,} already done, skipped)" if self.cells_done else ""
        return (f"{self.cells:,} cells{skip}: {todo:,} to run, {self.run_years:,} run-years; "
                f"estimated {_duration(self.seconds)} on {workers} worker{'s' if workers != 1 else ''}, "
                f"about {self.worker_memory_mb:,.0f} MB per worker, dataset about {self.dataset_mb:,.1f} MB")


def estimate(plan: Plan, todo: Sequence[Cell] | None = None, workers: int = 1) -> Estimate:
    """Time and memory before starting, from the measured cost per run-year (N states, K institutions)."""
    spec = plan.spec
    todo = plan.cells if todo is None else todo
    done = len(plan.cells) - len(todo)
    cost = 0.0
    mem = 0.0
    for name, sc in plan.scenarios.items():
        n, k = len(sc.states), len(sc.institutions) + 4  # architectures may add a few institutions
        share = sum(1 for c in todo if c.scenario == name)
        per_run_year = n * n * (RUN_YEAR_US[0] + RUN_YEAR_US[1] * k) * 1e-6
        cost += share * (spec.runs * spec.years * per_run_year + CELL_OVERHEAD_S)
        r = min(spec.runs, spec.chunk_size)
        # working arrays (about 60 N x N per run), a horizon of institution draws, yearly series
        mem = max(mem, r * (60 * n * n * 8 + spec.years * k * (n + 4) * 8 + spec.years * (70 + 16 * k) * 8) / 1e6)
    n_todo = len(todo)
    columns = len(ID_COLUMNS) + 1 + len(parameter_names()) + len(outcome_names())
    return Estimate(
        cells=len(plan.cells), cells_done=done, run_years=n_todo * spec.runs * spec.years,
        seconds=cost / max(workers, 1), worker_memory_mb=mem + 150.0,
        dataset_mb=len(plan.cells) * spec.runs * columns * 8 / 1e6 / 4,  # Parquet compresses constant columns
        workers=max(workers, 1),
    )


def _duration(s: float) -> str:
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.1f} h"


# ---------------------------------------------------------------------------------- the sweep
@dataclass(frozen=True)
class SweepResult:
    """A finished sweep: its folder, how many cells ran or were skipped, the time and the backend."""

    path: Path
    cells: int
    cells_run: int
    cells_skipped: int
    seconds: float
    backend: str

    def to_pandas(self):
        """The dataset as one pandas DataFrame (see :func:`read_sweep`)."""
        return read_sweep(self.path)


def finished_cells(out: Path) -> set[str]:
    """Keys of the cells whose files are complete."""
    data = out / "data"
    if not data.is_dir():
        return set()
    return {p.name.removeprefix("part-").removesuffix(".parquet") for p in data.rglob("part-*.parquet")}


def _check_out(out: Path, plan: Plan) -> dict | None:
    """The existing manifest if ``out`` holds this same sweep; an error if it holds anything else.

    Protected folders (``/``, home, the current folder), files and folders that are not
    secorder output are refused by :func:`secorder._atomic.check_output`; other secorder
    results are refused here: a sweep resumes into its own folder and never replaces one.
    """
    check_output(out, field="--out")
    if not out.exists() or not any(out.iterdir()):
        return None
    manifest = out / "manifest.json"
    if not is_results_folder(out):
        raise InputError([("--out", f"{out} holds no sweep; choose another folder")])
    try:
        old = json.loads(manifest.read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise InputError([("--out", f"{manifest} is unreadable ({err}); choose another folder")]) from None
    if old.get("kind") != "sweep":
        raise InputError([("--out", f"{out} holds other secorder results (not a sweep); choose another folder")])
    if old.get("sweep_hash") != plan.sweep_hash:
        raise InputError([("--out", f"{out} holds a different sweep ({old.get('name')!r}, hash "
                                    f"{old.get('sweep_hash')}); choose another folder or delete it")])
    return old


def _atomic_write(path: Path, text: str) -> None:
    with atomic_file(path, field="--out") as tmp:
        tmp.write_text(text)


class _Lock:
    """One sweep at a time per folder: a second one fails at once instead of interleaving."""

    def __init__(self, out: Path):
        self.path = out.absolute().with_name(f".{out.name}{LOCK_SUFFIX}")

    def __enter__(self) -> _Lock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: not serialised
            self.fd = None
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            raise InputError([("--out", f"another sweep is writing to {self.path.with_name(self.path.name[1:])}; "
                                        "wait for it or choose another folder")]) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.path.unlink(missing_ok=True)


def manifest(plan: Plan, done: int, status: str, backend: str, seconds: float) -> dict[str, Any]:
    """The sweep folder's ``manifest.json``: the spec, progress, status, backend and time."""
    from secorder import __version__

    spec = plan.spec
    return {
        "package": "secorder",
        "version": __version__,
        "kind": "sweep",
        "name": spec.name,
        "sweep_hash": plan.sweep_hash,
        "status": status,
        "cells": len(plan.cells),
        "cells_done": done,
        "runs_per_cell": spec.runs,
        "years": spec.years,
        "rows": done * spec.runs,
        "scenarios": {n: {"start_year": sc.year, "states": sc.codes} for n, sc in plan.scenarios.items()},
        "architectures": list(plan.architectures),
        "levers": {n: [lv.model_dump(mode="json", exclude_none=True) for lv in ls] for n, ls in plan.levers.items()},
        "seeds": spec.seeds,
        "design": {
            "sampler": plan.design.method, "points": plan.design.n_points, "parameters": list(plan.design.names),
            "bounds": [list(b) for b in plan.design.bounds], "levels": plan.design.levels,
            "second_order": plan.design.second_order, "samples": spec.parameters.samples,
            "seed": spec.parameters.seed,
        },
        "fixed": spec.fixed,
        "columns": {"inputs": ["cell", *ID_COLUMNS], "parameters": parameter_names(), "outcomes": outcome_names()},
        "partitioning": {"flavor": "hive", "columns": list(PARTITIONS)},
        "dataset": "data",
        "backend": backend,
        "seconds": round(seconds, 3),
    }


def sweep(
    spec: str | Path | dict | Any,
    out: str | Path | None = None,
    *,
    backend: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    connect_timeout: float = 5.0,
    progress: bool = False,
    on_estimate: Callable[[Estimate, str], None] | None = None,
    max_cells: int | None = None,
    resume: bool = False,
) -> SweepResult:
    """Run (or resume) a sweep and write its dataset to ``out``.

    Parameters
    ----------
    spec:
        A YAML path, a mapping or a :class:`~secorder.explore.spec.SweepSpec`.
    out:
        The dataset folder (default ``secorder-results/sweep-NAME``). If it holds the same
        sweep, finished cells are skipped; if it holds anything else, nothing is touched.
    backend, workers, scheduler:
        ``"local"`` processes (``workers`` of them, default one per core; 1 runs in this
        process) or ``"dask"``: a local cluster of ``workers`` processes, or the cluster whose
        scheduler is at ``scheduler`` (e.g. ``tcp://10.0.0.5:8786``, given up on after
        ``connect_timeout`` seconds). Results never depend on them.
    progress:
        Show a progress bar with ETA.
    on_estimate:
        Called with the time and memory estimate and the backend's description before any cell runs.
    max_cells:
        Stop after this many cells have been written (the rest run when the sweep is resumed).
    resume:
        Require an interrupted run of this sweep in ``out`` to finish (an error if there is
        none, or if it is complete). Without it a sweep still skips the finished cells it
        finds, so re-running a sweep always resumes it.

    Returns
    -------
    SweepResult
    """
    plan = load_spec(spec)
    out = Path(out) if out is not None else Path("secorder-results") / f"sweep-{plan.spec.name}"
    _check_out(out, plan)
    runner = make_backend(backend, workers, scheduler, connect_timeout)  # an unreachable scheduler fails here
    with contextlib.ExitStack() as stack:
        stack.callback(runner.close)
        stack.enter_context(_Lock(out))
        done_keys = finished_cells(out)
        todo = [c for c in plan.cells if c.key not in done_keys]
        done = skipped = len(plan.cells) - len(todo)
        if resume and not done:
            raise InputError([("--resume", f"there is no interrupted sweep to resume in {out} (no finished cell "
                                           "of this sweep); run without --resume")])
        if resume and not todo:
            raise InputError([("--resume", f"the sweep in {out} is complete; there is nothing to resume")])
        if on_estimate is not None:
            on_estimate(estimate(plan, todo, runner.workers), runner.describe())
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError([("--out", f"cannot create {out}: {err.strerror or err}")]) from None
        for stale in (out / "data").rglob(f".part-*{NEW_SUFFIX}*") if (out / "data").is_dir() else ():
            stale.unlink()  # cells that were in flight when a previous sweep was killed
        _write_front_matter(out, plan)
        start = time.perf_counter()
        if max_cells is not None:
            todo = todo[:max_cells]
        _atomic_write(out / "manifest.json", json.dumps(manifest(plan, done, "running", runner.name, 0.0), indent=2) + "\n")
        spec_ = plan.spec
        tasks = [
            CellTask(c, plan.scenarios[c.scenario], plan.architectures[c.architecture], tuple(plan.levers[c.levers]),
                     plan.cell_values(c), spec_.runs, spec_.years, spec_.chunk_size)
            for c in todo
        ]
        ran = 0
        with ProgressBar(bool(progress), len(todo), f"{spec_.name}: {len(todo):,} cells x {spec_.runs:,} runs",
                         unit="cells") as advance:
            for task, result in runner.run(tasks):
                _write_cell(out, task.cell, result, spec_.runs)
                ran += 1
                advance(1)
        seconds = time.perf_counter() - start
        status = "complete" if done + ran == len(plan.cells) else "partial"
        _atomic_write(out / "manifest.json",
                      json.dumps(manifest(plan, done + ran, status, runner.name, seconds), indent=2) + "\n")
    return SweepResult(out, len(plan.cells), ran, skipped, seconds, runner.name)


def _write_front_matter(out: Path, plan: Plan) -> None:
    import pandas as pd
    import yaml

    if not (out / "spec.yaml").exists():
        _atomic_write(out / "spec.yaml", yaml.safe_dump(plan.spec.model_dump(mode="json"), sort_keys=False))
    if not (out / "design.parquet").exists():
        d = plan.design
        frame = pd.DataFrame(d.points, columns=list(d.names))
        frame.insert(0, "point", range(d.n_points))
        with atomic_file(out / "design.parquet", field="--out") as tmp:
            frame.to_parquet(tmp, index=False)




# ---------------------------------------------------------------------------------- reading
def read_manifest(path: str | Path) -> dict[str, Any]:
    """The manifest of the sweep folder ``path``."""
    path = Path(path)
    m = path / "manifest.json"
    if not m.is_file():
        raise InputError([(str(path), "is not a sweep folder (no manifest.json); run `secorder sweep` first")])
    data = json.loads(m.read_text())
    if data.get("kind") != "sweep":
        raise InputError([(str(path), "holds results that are not a sweep's")])
    return data


def read_sweep(path: str | Path, columns: Sequence[str] | None = None):
    """The sweep's rows as a pandas DataFrame, in design order (scenario, architecture, levers, seed, point, run)."""
    import pyarrow.dataset as ds

    path = Path(path)
    meta = read_manifest(path)
    if not (path / "data").is_dir():
        raise InputError([(str(path), "has no finished cells yet")])
    dataset = ds.dataset(path / "data", format="parquet", partitioning="hive")
    frame = dataset.to_table(columns=list(columns) if columns else None).to_pandas()
    for col in PARTITIONS:
        if col in frame:
            frame[col] = frame[col].astype(str)
    order = {c: i for i, c in enumerate(meta["scenarios"])}, {a: i for i, a in enumerate(meta["architectures"])}, \
        {lv: i for i, lv in enumerate(meta["levers"])}
    keys = [c for c in ID_COLUMNS if c in frame]
    rank = frame.assign(
        **{f"_{c}": frame[c].map(m) for c, m in zip(("scenario", "architecture", "levers"), order, strict=True)
           if c in frame}
    )
    sort = [f"_{c}" if c in ("scenario", "architecture", "levers") else c for c in keys]
    front = [c for c in ID_COLUMNS if c in frame]
    rest = [c for c in frame.columns if c not in front]
    frame = rank.sort_values(sort, kind="stable")[front + rest].reset_index(drop=True)
    return frame
