"""Memory and process limits of a simulation, checked before anything large is allocated.

A run's footprint is measured, not guessed: the state arrays of a one-run world (dominated by
the dyadic variables, states x states each) and the series one run records over the horizon.
From these :func:`plan` decides, before the first chunk starts, whether the run fits in the
memory the machine has available:

- the results kept for every run (per-run outcomes; with ``record="full"`` also every series)
  must fit, or the run is refused with a message that names ``runs`` and says what fits;
- the chunks being simulated at once (one per worker) must fit; if they do not, the chunk is
  shrunk (chunking never changes a result) and the caller is told, or, when even one run per
  chunk does not fit, the run is refused naming the scenario's size.

Workers are capped at the number of chunks and of cores, chunk indices are produced lazily
(``runs=10**9`` allocates nothing up front), and each worker process asks the kernel to end it
when its parent dies (Linux ``PR_SET_PDEATHSIG``), so killing ``secorder`` never leaves pool
workers behind.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from secorder.errors import InputError

MEMORY_SHARE = 0.6
"""Share of the available memory a run may plan to use (the rest is left to the system)."""

WORKING_FACTOR = 4
"""Copies of a chunk's world alive at once during a year (the world, the mechanisms' new
arrays, the year's derived quantities, the recorder's slices)."""

MEMORY_ENV = "SECORDER_MEMORY_LIMIT"
"""Environment variable overriding the available memory, in bytes (for tests and shared hosts)."""


def available_memory() -> int:
    """Bytes of memory available to a new allocation (``$SECORDER_MEMORY_LIMIT`` if set)."""
    limit = os.environ.get(MEMORY_ENV)
    if limit:
        try:
            return max(int(float(limit)), 0)
        except ValueError:
            raise InputError([(MEMORY_ENV, f"must be a number of bytes, got {limit!r}")]) from None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return 8 * 1024**3  # unknown platform: assume a modest machine


def _nbytes(values) -> int:
    total = 0
    for v in values:
        if isinstance(v, np.ndarray):
            total += v.nbytes
        elif isinstance(v, dict):
            total += _nbytes(v.values())
    return total


@dataclass(frozen=True)
class Footprint:
    """Measured bytes of one run: its world, and what it records per year."""

    world: int
    recorded: int
    outcomes: int

    @classmethod
    def measure(cls, scenario, params, mechanisms, years: int, keep_states: bool) -> Footprint:
        """Measure a one-run world and recorder of this scenario (nothing is simulated)."""
        from secorder.mechanisms import initial_world
        from secorder.recording import Recorder

        world = initial_world(scenario, params, 1, tuple(mechanisms))
        recorder = Recorder(world, years, keep_states)
        recorded = _nbytes([recorder.system, recorder.institutions, recorder.states or {}])
        from secorder.metrics import run_outcomes

        outcomes = 8 * len(run_outcomes(recorder.system))
        return cls(_nbytes(world.values().values()), recorded, outcomes)


def _gb(n: float) -> str:
    if n >= 1024**3 / 10:
        return f"{n / 1024**3:,.1f} GB"
    return f"{n / 1024**2:,.1f} MB" if n >= 1024**2 else f"{n / 1024:,.0f} kB"


class ChunkShrunk(UserWarning):
    """The chunk size was reduced to fit in memory (results are unchanged)."""


@dataclass(frozen=True)
class Plan:
    """Chunk size and worker count chosen by :func:`plan`."""

    chunk_size: int
    workers: int
    n_chunks: int
    note: str | None  # set when the chunk was shrunk


def plan(footprint: Footprint, runs: int, chunk_size: int, workers: int | None, keep_states: bool,
         n_states: int, memory: int | None = None) -> Plan:
    """Check the run fits in memory and choose the chunk size and worker count (see module doc)."""
    budget = int(MEMORY_SHARE * (available_memory() if memory is None else memory))
    kept = runs * (footprint.outcomes + (footprint.recorded if keep_states else 0))
    if kept > budget:
        per_run = footprint.outcomes + (footprint.recorded if keep_states else 0)
        fits = max(budget // max(per_run, 1), 0)
        hint = "; or use record='summary' (--record summary)" if keep_states else ""
        raise InputError([("runs", f"{runs:,} runs would keep about {_gb(kept)} of results but about "
                                   f"{_gb(budget)} of memory is available; at most {fits:,} runs fit{hint}")])
    budget -= kept
    cores = os.cpu_count() or 1
    chunk_size = min(chunk_size, runs)
    n_chunks = -(-runs // chunk_size)
    workers = max(1, min(workers if workers is not None else cores, n_chunks, cores))
    per_run = WORKING_FACTOR * footprint.world + footprint.recorded
    fits = budget // max(per_run * workers, 1)
    if fits < 1:
        raise InputError([("scenario", f"{n_states:,} states need about {_gb(per_run)} per run and worker "
                                       f"({_gb(per_run * workers)} with {workers} workers) but about "
                                       f"{_gb(budget)} of memory is available; use fewer states or workers")])
    note = None
    if fits < chunk_size:
        note = (f"chunk_size: {chunk_size:,} runs per chunk would need about {_gb(per_run * chunk_size * workers)}; "
                f"using {fits:,} (results do not depend on the chunk size)")
        chunk_size = int(fits)
        n_chunks = -(-runs // chunk_size)
        workers = max(1, min(workers, n_chunks))
    return Plan(chunk_size, workers, n_chunks, note)


def chunk_indices(runs: int, chunk_size: int, first: int = 0) -> Iterator[np.ndarray]:
    """The run indices of each chunk from run ``first`` on, produced one chunk at a time."""
    for start in range(first, runs, chunk_size):
        yield np.arange(start, min(start + chunk_size, runs))


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def worker_init() -> None:
    """Pool-worker initializer: die with the parent process (Linux; elsewhere a no-op)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    # the parent may have died before prctl took effect
    if os.getppid() == 1:
        os._exit(1)
    # Ctrl-C goes to the whole process group: let the parent decide, not each worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


__all__ = ["ChunkShrunk", "Footprint", "Plan", "available_memory", "chunk_indices", "plan", "worker_init"]
