"""Parameter designs: the points in parameter space a sweep evaluates.

A design is a matrix of ``P`` points over ``D`` named parameters with bounds, drawn by one of

``grid``
    every combination of ``levels`` evenly spaced values per parameter (``levels ** D`` points);
``lhs``
    a Latin hypercube of ``samples`` points (McKay, Beckman & Conover 1979);
``sobol``
    Saltelli's extension of a Sobol sequence with base size ``samples`` (a power of 2), the
    matrix SALib's Sobol analysis needs: ``samples * (D + 2)`` points, or ``samples * (2D + 2)``
    with second-order indices;
``morris``
    ``samples`` Morris trajectories on a ``levels``-level grid: ``samples * (D + 1)`` points;
``file``
    the rows of a parameter-sample file (e.g. draws from a calibrated posterior);
``none``
    one point that samples nothing (the sweep then varies only scenarios, architectures,
    levers and seeds).

These functions are pure: they know nothing about the parameter registry, so a design can be
drawn for any named box (the Ishigami test function, say). :mod:`secorder.explore.spec`
checks names and bounds against :class:`~secorder.params.Params`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

METHODS = ("grid", "lhs", "sobol", "morris", "file", "none")


@dataclass(frozen=True)
class Design:
    """``points[p, d]`` is the value of parameter ``names[d]`` at design point ``p``."""

    method: str
    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    points: np.ndarray
    levels: int = 4
    second_order: bool = False

    @property
    def n_points(self) -> int:
        """Number of parameter points in the design."""
        return int(self.points.shape[0])

    def problem(self) -> dict:
        """The design's box in SALib's ``problem`` format."""
        return {"num_vars": len(self.names), "names": list(self.names), "bounds": [list(b) for b in self.bounds]}

    def values(self, p: int) -> dict[str, float]:
        """Point ``p`` as a ``{name: value}`` mapping."""
        return {n: float(v) for n, v in zip(self.names, self.points[p], strict=True)}


def sample(
    method: str,
    names: Sequence[str],
    bounds: Sequence[tuple[float, float]],
    *,
    samples: int = 0,
    levels: int = 4,
    seed: int = 0,
    second_order: bool = False,
) -> Design:
    """Draw a design over the box ``bounds`` (one ``(low, high)`` per name).

    Same arguments, same points: every sampler is seeded by ``seed``.

    >>> d = sample("grid", ["a", "b"], [(0.0, 1.0), (10.0, 20.0)], levels=3)
    >>> d.n_points, d.values(4)
    (9, {'a': 0.5, 'b': 15.0})
    """
    names, bounds = tuple(names), tuple((float(lo), float(hi)) for lo, hi in bounds)
    d = len(names)
    lo = np.array([b[0] for b in bounds])
    hi = np.array([b[1] for b in bounds])
    if method == "none" or d == 0:
        points = np.zeros((1, 0))
    elif method == "grid":
        axes = [np.linspace(a, b, levels) for a, b in bounds]
        points = np.array(list(itertools.product(*axes)), dtype=float).reshape(-1, d)
    elif method == "lhs":
        points = lo + latin_hypercube(samples, d, np.random.default_rng(seed)) * (hi - lo)
    elif method == "sobol":
        from SALib.sample import sobol

        problem = {"num_vars": d, "names": list(names), "bounds": [list(b) for b in bounds]}
        points = sobol.sample(problem, samples, calc_second_order=second_order, scramble=True, seed=seed)
    elif method == "morris":
        from SALib.sample import morris

        problem = {"num_vars": d, "names": list(names), "bounds": [list(b) for b in bounds]}
        points = morris.sample(problem, samples, num_levels=levels, seed=seed)
    else:
        raise ValueError(f"unknown sampling method {method!r}; choose one of {', '.join(METHODS)}")
    return Design(method, names, bounds, np.asarray(points, dtype=float), levels, second_order)


def latin_hypercube(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """(n, d) points in the unit cube with exactly one point in each of the n slices of every axis."""
    slices = np.argsort(rng.random((d, n)), axis=1).T  # an independent permutation per axis
    return (slices + rng.random((n, d))) / n


def expected_points(method: str, d: int, samples: int, levels: int, second_order: bool = False) -> int:
    """How many points :func:`sample` gives, without drawing them (for estimates and checks)."""
    if method == "none" or d == 0:
        return 1
    return {
        "grid": levels ** d,
        "lhs": samples,
        "sobol": samples * (2 * d + 2 if second_order else d + 2),
        "morris": samples * (d + 1),
    }.get(method, samples)
