"""simulate(): the yearly loop over all runs at once, in chunks, streaming what it records.

Randomness: every named draw of every mechanism is a counter-based stream (Philox4x32-10,
:mod:`secorder.rng`) keyed by the seed and the run, and counted by the year, the mechanism's
draw name and, for institution draws, the institution's id. Mechanisms draw only what they
read (the crisis layers only at the year's crises). So run ``r`` gives the same result alone,
in a batch of 10,000, in any chunk, with any number of workers; runs of different
architectures see the same shocks (common random numbers); and adding a draw to one
mechanism changes no other mechanism's numbers.

Memory: runs are processed in chunks of ``chunk_size``. With ``record="full"`` every
state-year series and the crisis event log are kept; with ``record="summary"`` only per-run
outcomes and yearly means across runs are kept, so memory stays bounded for 100,000 runs.
``record="auto"`` chooses ``full`` up to 20 million state-year values.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from secorder.architectures import Architecture, Lever, ScheduledChange, apply_architecture
from secorder.derived import YearCache
from secorder.errors import InputError
from secorder.mechanisms import REGISTRY, Mechanism, initial_world
from secorder.metrics import run_outcomes
from secorder.params import Params
from secorder.recording import Collector, Recorder
from secorder.rng import Draws, SeedLike, Streams, root_sequence
from secorder.scenario import Scenario, load_scenario
from secorder.world import World

Record = Literal["auto", "full", "summary"]
FULL_RECORD_LIMIT = 20_000_000  # state-year values kept in memory before switching to summaries
MAX_YEARS = 500  # longest simulation accepted (the CLI option --years has the same bound)


def year_draws(streams: Streams, mechanisms: Sequence[Mechanism], t: int) -> dict[str, Draws]:
    """Each active mechanism's draws for year ``t`` (counted from 0): lazy, from its named streams."""
    return {m.name: streams.draws(m.name, m.draws, t) for m in mechanisms if m.active and m.draws}


def step_year(
    world: World,
    params: Params,
    draws: Mapping[str, Mapping[str, np.ndarray]],
    mechanisms: Sequence[Mechanism] = REGISTRY,
) -> World:
    """Advance every run by one year through the mechanisms in their fixed order.

    The year's derived quantities are computed once and shared through a fresh
    :class:`~secorder.derived.YearCache`, which the returned world still carries (so the
    year's measures reuse them).
    """
    world = world.with_cache(YearCache())
    for m in mechanisms:
        if m.active:
            world = world.apply(m(world, params, draws.get(m.name, {})))
    return world


@dataclass
class ChunkOutput:
    runs: np.ndarray
    system: dict[str, np.ndarray]  # (R,T)
    institutions: dict[str, np.ndarray]  # (R,T,K)
    states: dict[str, np.ndarray] | None  # (R,T,N)
    events: dict[str, np.ndarray] | None


def simulate_chunk(
    scenario: Scenario,
    params: Params,
    years: int,
    seed: SeedLike,
    runs: np.ndarray,
    keep_states: bool,
    mechanisms: Sequence[Mechanism] = REGISTRY,
    schedule: Sequence[ScheduledChange] = (),
    on_year: Callable[[int], None] | None = None,
) -> ChunkOutput:
    """Simulate the given run indices for ``years`` years."""
    world = initial_world(scenario, params, len(runs), tuple(mechanisms))
    streams = Streams(seed, runs, world.n_states, world.static.inst_ids)
    recorder = Recorder(world, years, keep_states)
    for t in range(years):
        world = apply_schedule(world, schedule)
        world = step_year(world, params, year_draws(streams, mechanisms, t), mechanisms)
        recorder.record(t, world, params)
        if on_year is not None:
            on_year(len(runs))
    return ChunkOutput(runs, recorder.system, recorder.institutions, recorder.states, recorder.events_dict())


def run_years(
    scenario: Scenario,
    params: Params,
    years: int,
    seed: SeedLike,
    runs: np.ndarray,
    mechanisms: Sequence[Mechanism] = REGISTRY,
    schedule: Sequence[ScheduledChange] = (),
) -> Iterator[World]:
    """The world of the given run indices at the end of each simulated year (the yearly loop of
    :func:`simulate_chunk`, for callers that keep more than the recorded series, such as the
    replay of one run). Same numbers as in any batch."""
    world = initial_world(scenario, params, len(runs), tuple(mechanisms))
    streams = Streams(seed, runs, world.n_states, world.static.inst_ids)
    for t in range(years):
        world = apply_schedule(world, schedule)
        world = step_year(world, params, year_draws(streams, mechanisms, t), mechanisms)
        yield world


def apply_schedule(world: World, schedule: Sequence[ScheduledChange]) -> World:
    """Apply the changes scheduled for the world's current year (e.g. a missile-defence deployment)."""
    for change in schedule:
        if change.year == world.year:
            values = getattr(world, change.variable).copy()
            values[:, list(change.states)] = change.value
            world = world.apply({change.variable: values})
    return world


def _chunk_job(args: tuple[Any, ...]) -> ChunkOutput:
    return simulate_chunk(*args)


def resolve_params(scenario: Scenario, params: Params | dict[str, float] | None) -> Params:
    """Defaults, then the scenario's overrides, then the caller's."""
    base = Params().replace(**scenario.parameters)
    if params is None:
        return base
    if isinstance(params, Params):
        return params
    return base.replace(**params)


def simulate(
    scenario: Scenario | str,
    years: int = 30,
    runs: int = 1000,
    seed: SeedLike = 0,
    params: Params | dict[str, float] | None = None,
    *,
    record: Record = "auto",
    chunk_size: int = 500,
    workers: int | None = None,
    progress: bool | Callable[[int], None] = False,
    architecture: str | Architecture = "status-quo",
    levers: Sequence[Lever | dict] = (),
):
    """Simulate ``runs`` futures of a scenario for ``years`` years.

    Parameters
    ----------
    scenario:
        A :class:`~secorder.scenario.Scenario`, a built-in name or a YAML path.
    years, runs:
        Horizon and number of Monte Carlo runs.
    seed:
        Experiment seed; run ``r`` draws from Philox streams keyed by the seed and ``r``
        (:mod:`secorder.rng`). ``None`` draws a
        fresh seed from the operating system's entropy and records it in the results.
    params:
        A :class:`~secorder.params.Params`, or a mapping of overrides applied on top of the
        defaults and the scenario's ``parameters``.
    record:
        ``"full"`` keeps every series and the event log, ``"summary"`` only per-run outcomes
        and yearly means (bounded memory), ``"auto"`` picks by size.
    chunk_size, workers:
        Runs per chunk, and worker processes over chunks (``None``: one per CPU core, at most
        one per chunk). Neither changes any result.
    progress:
        Show a progress bar on the terminal, or a callable called with the number of
        run-years just finished (raising from it stops the run).
    architecture, levers:
        A built-in architecture name (see ``secorder architectures list``), a YAML path or an
        :class:`~secorder.architectures.Architecture`, and extra policy levers to switch on.

    Returns
    -------
    secorder.results.Results
    """
    from secorder.results import Results

    scenario = load_scenario(scenario)
    overlay = apply_architecture(scenario, architecture, levers)
    scenario = overlay.scenario
    problems = []
    for name, value, lo, hi in (("years", years, 1, MAX_YEARS), ("runs", runs, 1, None),
                                ("chunk_size", chunk_size, 1, None),
                                ("workers", 1 if workers is None else workers, 1, None)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < lo:
            problems.append((name, f"must be a whole number >= {lo}, got {value!r}"))
        elif hi is not None and value > hi:
            problems.append((name, f"must be at most {hi}, got {value!r}"))
    if record not in ("auto", "full", "summary"):
        problems.append(("record", f"must be 'auto', 'full' or 'summary', got {record!r}"))
    if problems:
        raise InputError(problems)
    if seed is None:  # fresh entropy, but recorded: the results carry a seed that reproduces them
        seed = secrets.randbits(63)
    try:
        root = root_sequence(seed)
    except (TypeError, ValueError) as err:
        raise InputError([("seed", str(err))]) from None
    p = resolve_params(scenario, params)
    n = len(scenario.states)
    if record == "auto":
        record = "full" if runs * years * n <= FULL_RECORD_LIMIT else "summary"
    keep = record == "full"
    chunks = [np.arange(a, min(a + chunk_size, runs)) for a in range(0, runs, chunk_size)]
    workers = min(os.cpu_count() or 1, len(chunks)) if workers is None else workers
    collector = Collector(keep, years, run_outcomes)
    label = f"{scenario.name} / {overlay.architecture.name}: {runs:,} runs x {years} years"
    with _progress(progress, runs * years, label) as advance:
        if workers == 1 or len(chunks) == 1:
            for c in chunks:
                collector.add(simulate_chunk(scenario, p, years, root, c, keep, REGISTRY, overlay.schedule, advance))
        else:
            jobs = [(scenario, p, years, root, c, keep, REGISTRY, overlay.schedule, None) for c in chunks]
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for out in pool.map(_chunk_job, jobs):
                    collector.add(out)
                    advance(len(out.runs) * years)
    return Results.from_collector(
        collector, scenario=scenario, params=p, seed=seed, runs=runs, years=years,
        architecture=overlay.architecture.name, record=record,
    )


class _progress:
    """A rich progress bar on stderr counting run-years (named by scenario and architecture,
    with an ETA), a caller's callback, or a no-op."""

    def __init__(self, enabled: bool | Callable[[int], None], total: int, label: str):
        self.enabled, self.total, self.label = enabled, total, label

    def __enter__(self) -> Callable[[int], None]:
        if callable(self.enabled):
            return self.enabled
        if not self.enabled:
            return lambda k: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("run-years, ETA"), TimeRemainingColumn(), transient=False, console=Console(stderr=True),
        )
        self._bar.__enter__()
        task = self._bar.add_task(self.label, total=self.total)
        return lambda k: self._bar.advance(task, k)

    def __exit__(self, *exc: object) -> None:
        if self.enabled is True:
            self._bar.__exit__(*exc)
