"""What a mechanism is: a small pure function over arrays, plus metadata.

Every mechanism has the signature ``step(world, params, draws) -> updates``:

- ``world`` is the :class:`~secorder.world.World` at this point of the yearly step;
- ``params`` the :class:`~secorder.params.Params`;
- ``draws`` maps each name declared in ``Mechanism.draws`` to uniforms in (0, 1) with shape
  ``(R,)`` (``"run"``), ``(R, N)`` (``"state"``), ``(R, N, N)`` (``"dyad"``), ``(R, K)``
  (``"institution"``) or ``(R, K, N)`` (``"membership"``). The engine passes a lazy
  :class:`secorder.rng.Draws` whose arrays come from the mechanism's own named streams
  (keyed by seed, run, year, draw name and institution id), so runs can be compared on common
  random numbers; a mechanism that reads a draw at a few places only (the year's crises) asks
  for those places with :func:`draw_at` and :func:`institution_draw`, and only they are drawn.
  A plain dict of arrays works the same way, which is how every kernel is tested with
  hand-made uniforms.
- ``updates`` maps variable names to new arrays of the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from secorder.params import Params
from secorder.world import StateVar, World

DrawKind = Literal["run", "state", "dyad", "institution", "membership"]
StepFunction = Callable[[World, Params, dict[str, np.ndarray]], dict[str, np.ndarray]]


@dataclass(frozen=True)
class Mechanism:
    """A registered step of the yearly loop."""

    name: str
    step: str  # position in the yearly step (docs/model.md, section 2), e.g. "9" or "10c"
    title: str
    func: StepFunction
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    claims: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    draws: dict[str, DrawKind] = field(default_factory=dict)
    active: bool = True
    summary: str = ""
    owns: tuple[StateVar, ...] = ()  # the state variables it declares (name, axes, dtype, initial value)

    def __call__(self, world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Run the step: the updated arrays by variable name."""
        return self.func(world, params, draws)

    def draw_shape(self, kind: DrawKind, runs: int, n_states: int, n_institutions: int = 0) -> tuple[int, ...]:
        """Shape of one draw of ``kind`` (run, state, dyad, institution or membership)."""
        n, k = n_states, n_institutions
        return {"run": (runs,), "state": (runs, n), "dyad": (runs, n, n), "institution": (runs, k),
                "membership": (runs, k, n)}[kind]

    def parameters(self) -> list[str]:
        """Names of the parameters documented as belonging to this mechanism."""
        return [n for n, m in Params.metadata().items() if m["mechanism"] == self.name]


def draw_at(draws: Mapping[str, np.ndarray], name: str, *index: np.ndarray) -> np.ndarray:
    """Uniforms of draw ``name`` at integer index arrays (run first), broadcast together.

    With the engine's lazy draws only these places are drawn; with a dict of arrays it is
    ``draws[name][index]``. Both give the same numbers.
    """
    at = getattr(draws, "at", None)
    return at(name, *index) if at is not None else draws[name][index]


def institution_draw(draws: Mapping[str, np.ndarray], name: str, q: int) -> np.ndarray:
    """``draws[name][:, q]``: the uniforms of institution ``q`` (drawn for it alone when lazy)."""
    one = getattr(draws, "institution", None)
    return one(name, q) if one is not None else draws[name][:, q]


def normal_from_uniform(u: np.ndarray) -> np.ndarray:
    """Standard normal deviates from uniforms by the inverse CDF (keeps one uniform per draw)."""
    from scipy.special import ndtri

    return ndtri(np.clip(u, 1e-12, 1.0 - 1e-12))


def logit(p: np.ndarray) -> np.ndarray:
    """log(p / (1 - p)), with ``p`` clipped away from 0 and 1."""
    p = np.clip(p, 1e-9, 1.0 - 1e-9)
    return np.log(p / (1.0 - p))


def expit(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-x))."""
    from scipy.special import expit as _expit

    return _expit(x)


def nonzero(mask: np.ndarray) -> tuple[np.ndarray, ...]:
    """``np.nonzero(mask)``: the same index arrays in the same (C) order, found through the flat index.

    NumPy's multi-dimensional ``nonzero`` walks every cell with per-axis bookkeeping; on a
    (R,N,N) crisis array the flat search is about ten times faster.
    """
    return np.unravel_index(np.flatnonzero(mask), mask.shape)


def zero_diagonal(a: np.ndarray) -> np.ndarray:
    """``a`` with its last two axes' diagonal set to 0, in place (a state is not its own pair)."""
    n = a.shape[-1]
    a[..., np.arange(n), np.arange(n)] = 0
    return a


def settle_by_best(
    world: World, r: np.ndarray, i: np.ndarray, j: np.ndarray, chances: list[tuple[int, np.ndarray]],
    u: np.ndarray, outcome_code: int,
) -> dict[str, np.ndarray]:
    """End open crises (r, i, j) by the institution offering the best chance, if the draw falls under it.

    ``chances`` pairs each candidate institution's index with its (F,) chance of settling each
    crisis and ``u`` holds the (F,) uniforms of those crises; the crisis's outcome becomes
    ``outcome_code`` and ``handled_by`` that institution.
    """
    best = np.zeros(r.size)
    best_q = np.full(r.size, -1, dtype=np.int16)
    for q, p in chances:
        better = p > best
        best = np.where(better, p, best)
        best_q = np.where(better, q, best_q)
    settled = u < best
    if not settled.any():
        return {}
    outcome = world.outcome.copy()
    handled = world.handled_by.copy()
    outcome[r[settled], i[settled], j[settled]] = outcome_code
    handled[r[settled], i[settled], j[settled]] = best_q[settled]
    return {"outcome": outcome, "handled_by": handled}
