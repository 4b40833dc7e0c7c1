"""The year-by-year network of one run, for the network view and the map.

A simulation keeps per-run series, not every run's alliance network: that would be R x T x N x N
numbers. Because run ``r`` owns its random streams (see :mod:`secorder.engine`), it gives the
same history when simulated alone, so the network of one chosen run is rebuilt on demand by
replaying just that run and keeping a small snapshot of each year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from secorder.architectures import Architecture, Lever
from secorder.derived import commitments
from secorder.engine import run_years
from secorder.errors import InputError
from secorder.orders import ORDER_KINDS, classify
from secorder.params import Params
from secorder.rng import SeedLike, root_sequence
from secorder.scenario import Scenario
from secorder.spec import RunSpec
from secorder.world import OUTCOMES


@dataclass(frozen=True)
class YearSnapshot:
    """One run at the end of one simulated year."""

    year: int
    commitments: np.ndarray  # (N,N) i's commitment to defend j, 0..1
    trust: np.ndarray  # (N,N)
    members: np.ndarray  # (K,N) bool
    depth: np.ndarray  # (K,)
    cohesion: np.ndarray  # (K,)
    crises: tuple[tuple[int, int, str], ...]  # (challenger, target, outcome) this year
    order: str
    milex: np.ndarray  # (N,)
    regime: np.ndarray  # (N,)


@dataclass(frozen=True)
class RunHistory:
    """Every year's snapshot of one run, with the names to label them."""

    scenario: Scenario
    architecture: str
    run: int
    codes: tuple[str, ...]
    institution_ids: tuple[str, ...]
    institution_types: tuple[str, ...]
    snapshots: tuple[YearSnapshot, ...]

    def at(self, year: int) -> YearSnapshot:
        """The snapshot of a simulated calendar year."""
        for s in self.snapshots:
            if s.year == year:
                return s
        first, last = self.snapshots[0].year, self.snapshots[-1].year
        raise InputError([("year", f"{year} is outside the simulated years {first}-{last}")])


def replay_run(
    scenario: Scenario | str,
    run: int,
    years: int,
    seed: SeedLike = 0,
    params: Params | dict[str, float] | None = None,
    architecture: str | Architecture = "status-quo",
    levers: Sequence[Lever | dict] = (),
) -> RunHistory:
    """Simulate run ``run`` alone and keep each year's network (same numbers as in the batch)."""
    # the same run specification as a batch run: the same overlay, parameters and seed
    spec = RunSpec.build(scenario, years=years, runs=1, seed=seed, params=params, architecture=architecture,
                         levers=levers)
    overlay, sc, p = spec.overlay, spec.overlay.scenario, spec.params
    if isinstance(run, bool) or not isinstance(run, int | np.integer) or run < 0:
        raise InputError([("run", f"must be a whole number >= 0, got {run!r}")])
    from secorder.scenario.schema import INSTITUTION_TYPES

    snaps = []
    world = None
    for t, world in enumerate(run_years(sc, p, years, root_sequence(spec.seed), np.array([run]), schedule=overlay.schedule)):
        code, _, _ = classify(world, p)
        i, j = np.nonzero(world.crisis[0])
        crises = tuple((int(a), int(b), OUTCOMES[int(world.outcome[0, a, b])]) for a, b in zip(i, j, strict=True))
        snaps.append(YearSnapshot(
            year=sc.year + t, commitments=commitments(world)[0].copy(), trust=world.trust[0].copy(),
            members=world.members[0].copy(), depth=world.depth[0].copy(), cohesion=world.cohesion[0].copy(),
            crises=crises, order=ORDER_KINDS[int(code[0])], milex=world.milex[0].copy(),
            regime=world.regime[0].copy(),
        ))
    st = world.static if world is not None else None
    if st is None:
        raise InputError([("years", f"must be a whole number >= 1, got {years!r}")])
    return RunHistory(
        scenario=sc, architecture=overlay.architecture.name, run=int(run), codes=tuple(st.codes),
        institution_ids=tuple(st.inst_ids), institution_types=tuple(INSTITUTION_TYPES[k] for k in st.inst_type),
        snapshots=tuple(snaps),
    )
