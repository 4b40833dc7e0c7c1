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

import warnings
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np

from secorder import resources
from secorder.architectures import Architecture, Lever, ScheduledChange
from secorder.checkpoint import CHECKPOINT_EVERY, Checkpoint
from secorder.derived import YearCache
from secorder.errors import InputError
from secorder.mechanisms import REGISTRY, Mechanism, initial_world
from secorder.metrics import run_outcomes
from secorder.params import Params
from secorder.progress import ProgressBar
from secorder.recording import ChunkOutput, Collector, Recorder
from secorder.rng import Draws, SeedLike, Streams, root_sequence
from secorder.scenario import Scenario
from secorder.spec import FULL_RECORD_LIMIT, MAX_YEARS, RunSpec  # noqa: F401 -- the limits are re-exported here
from secorder.world import World

Record = Literal["auto", "full", "summary"]


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

    The year's derived quantities are computed once and shared through a new
    :class:`~secorder.derived.YearCache` (keeping last year's values whose inputs have not
    changed since), which the returned world still carries (so the year's measures reuse them).
    """
    world = world.with_cache(YearCache() if world.cache is None else world.cache.next_year(world))
    for m in mechanisms:
        if m.active:
            world = world.apply(m(world, params, draws.get(m.name, {})))
    return world


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
    before_year: Callable[[World, int], World] | None = None,
) -> ChunkOutput:
    """Simulate the given run indices for ``years`` years (``before_year``: see :func:`run_years`).

    BLAS runs single-threaded meanwhile: the batched matrix products here are small, and
    OpenBLAS's threads (one per core, in every worker) spun against each other and against
    the other workers, up to 37 times slower on a busy machine. Same numbers either way.
    """
    from threadpoolctl import threadpool_limits

    start = initial_world(scenario, params, len(runs), tuple(mechanisms))
    recorder = Recorder(start, years, keep_states)
    with threadpool_limits(limits=1, user_api="blas"):
        for t, world in enumerate(run_years(scenario, params, years, seed, runs, mechanisms, schedule, start,
                                            before_year)):
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
    start: World | None = None,
    before_year: Callable[[World, int], World] | None = None,
) -> Iterator[World]:
    """The world of the given run indices at the end of each simulated year.

    This is the yearly loop (scheduled changes, then the mechanisms with the year's draws). ``start`` is the initial
    world if already built. Used by :func:`simulate_chunk` and by callers that keep more than
    the recorded series, such as the replay of one run; same numbers as in any batch.
    ``before_year(world, t)``, if given, may change the world at the start of year ``t``, after
    the scheduled changes (a staged design's stages, :mod:`secorder.designs`); it draws no
    random numbers of the mechanisms' streams.
    """
    world = initial_world(scenario, params, len(runs), tuple(mechanisms)) if start is None else start
    streams = Streams(seed, runs, world.n_states, world.static.inst_ids)
    for t in range(years):
        world = apply_schedule(world, schedule)
        if before_year is not None:
            world = before_year(world, t)
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


def _in_order(pool: ProcessPoolExecutor, jobs: Iterator[tuple[Any, ...]], ahead: int) -> Iterator[ChunkOutput]:
    """Yield chunk outputs in submission order, at most ``ahead`` chunks submitted at a time.

    A billion runs are never all queued at once.
    """
    pending: deque = deque()
    try:
        for job in jobs:
            pending.append(pool.submit(_chunk_job, job))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()


def simulate(
    scenario: Scenario | str | RunSpec,
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
    params_file: str | Path | None = None,
    disable: Sequence[str] = (),
    checkpoint: str | Path | None = None,
    resume: bool = False,
    checkpoint_every: int = CHECKPOINT_EVERY,
):
    """Simulate ``runs`` futures of a scenario for ``years`` years.

    The arguments make a :class:`~secorder.spec.RunSpec` (see there for the order in which
    parameters are resolved); a ready ``RunSpec`` may be passed as ``scenario`` instead.

    Parameters
    ----------
    scenario:
        A :class:`~secorder.scenario.Scenario`, a built-in name or a YAML path (or a ``RunSpec``).
    years, runs:
        Horizon and number of Monte Carlo runs.
    seed:
        Experiment seed, a whole number in [0, 2**63); run ``r`` draws from Philox streams keyed
        by the seed and ``r`` (:mod:`secorder.rng`). ``None`` draws a fresh seed from the
        operating system's entropy and records it in the results.
    params:
        Parameter overrides: a mapping, or a :class:`~secorder.params.Params` (which overrides
        the values it changes from the defaults). They apply after the scenario's,
        the architecture's and the levers' values.
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
    params_file:
        A YAML or JSON file of parameter values, applied last (see
        :func:`~secorder.spec.read_params_file`); its SHA-256 is recorded in the manifest.
    disable:
        Mechanisms to switch off (by name). The others draw the same random numbers as with
        every mechanism on, so a difference is what the switched-off mechanisms carry.
    checkpoint, resume, checkpoint_every:
        A folder where finished chunks are written every ``checkpoint_every`` chunks (and when
        the run is interrupted); it is removed when the run finishes. With ``resume=True`` the
        run continues from the chunks found there, which must be of the same run (else
        :class:`~secorder.errors.InputError`), and the results are identical to those of an
        uninterrupted run. See :mod:`secorder.checkpoint`.

    Returns
    -------
    secorder.results.Results
    """
    if isinstance(scenario, RunSpec):
        given = {"years": years != 30, "runs": runs != 1000, "seed": seed != 0, "params": params is not None,
                 "record": record != "auto", "chunk_size": chunk_size != 500, "workers": workers is not None,
                 "architecture": architecture != "status-quo", "levers": bool(levers),
                 "params_file": params_file is not None, "disable": bool(disable)}
        if any(given.values()):
            raise InputError([("simulate", "a RunSpec carries its own settings; change them with spec.replace(...) "
                               f"rather than passing {', '.join(k for k, v in given.items() if v)}")])
        spec = scenario
    else:
        spec = RunSpec.build(scenario, years=years, runs=runs, seed=seed, params=params, params_file=params_file,
                             architecture=architecture, levers=levers, record=record, chunk_size=chunk_size,
                             workers=workers, disabled=disable)
    if checkpoint is None:
        if resume:
            raise InputError([("resume", "needs the checkpoint folder of the interrupted run (checkpoint=...)")])
        return simulate_spec(spec, progress=progress)
    return simulate_spec(spec, progress=progress,
                         checkpoint=Checkpoint(checkpoint, spec, every=checkpoint_every, resume=resume))


def simulate_spec(spec: RunSpec, progress: bool | Callable[[int], None] = False, checkpoint: Checkpoint | None = None):
    """Simulate a resolved :class:`~secorder.spec.RunSpec`; returns :class:`~secorder.results.Results`.

    With a :class:`~secorder.checkpoint.Checkpoint`, finished chunks are written to it and, when
    it resumes, the chunks it holds are used instead of simulated again (same results).
    """
    from secorder.results import Results

    scenario, p, years, runs = spec.overlay.scenario, spec.params, spec.years, spec.runs
    root = root_sequence(spec.seed)
    record = spec.record_mode
    keep = record == "full"
    mechanisms = spec.mechanisms
    plan = resources.plan(resources.Footprint.measure(scenario, p, REGISTRY, years, keep), runs, spec.chunk_size,
                          spec.workers, keep, len(scenario.states))
    if plan.note:
        warnings.warn(plan.note, resources.ChunkShrunk, stacklevel=3)
    schedule = spec.overlay.schedule
    collector = Collector(keep, years, run_outcomes)
    first = 0
    if checkpoint is not None:
        checkpoint.open()
        for out in checkpoint.finished_chunks():  # in run order, as if just simulated
            collector.add(out)
            first = int(out.runs[-1]) + 1
    chunks = resources.chunk_indices(runs, plan.chunk_size, first)

    def finished(out: ChunkOutput) -> None:
        collector.add(out)
        if checkpoint is not None:
            checkpoint.add(out)

    label = f"{scenario.name} / {spec.architecture_name}: {runs:,} runs x {years} years"
    with ProgressBar(progress, runs * years, label, unit="run-years") as advance:
        if first:
            advance(first * years)
        try:
            if plan.workers == 1:
                for c in chunks:
                    finished(simulate_chunk(scenario, p, years, root, c, keep, mechanisms, schedule, advance))
            else:
                jobs = ((scenario, p, years, root, c, keep, mechanisms, schedule, None) for c in chunks)
                with ProcessPoolExecutor(max_workers=plan.workers, initializer=resources.worker_init) as pool:
                    for out in _in_order(pool, jobs, 2 * plan.workers):
                        finished(out)
                        advance(len(out.runs) * years)
        except BaseException:
            if checkpoint is not None:
                checkpoint.flush()  # interrupted: keep what is finished for --resume
            raise
    if checkpoint is not None:
        checkpoint.finish()
    return Results.from_collector(
        collector, scenario=scenario, params=p, seed=spec.seed, runs=runs, years=years,
        architecture=spec.architecture_name, record=record, spec=spec,
    )


