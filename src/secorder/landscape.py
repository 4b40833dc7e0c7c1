r"""Landscape theory of aggregation: which two blocs a set of actors should split into.

Axelrod & Bennett (1993), "A Landscape Theory of Aggregation", *British Journal of Political
Science* 23(2). Actors ``i`` have sizes ``s_i`` and a symmetric pairwise propensity ``p_ij``
(positive: affinity, negative: hostility). A configuration ``X`` assigns every actor to one of
two blocs; the distance ``d_ij(X)`` is 0 when ``i`` and ``j`` share a bloc and 1 otherwise. The
*frustration* (energy) of a configuration is

.. math::

    E(X) = \sum_{i<j} s_i s_j p_{ij} d_{ij}(X),

so splitting friends costs energy and splitting enemies saves it. A configuration is *stable*
when no single actor can lower ``E`` by switching bloc (a local minimum of the landscape); the
theory predicts the global minimum, and the other local minima are the alternative stable
alignments.

Writing ``w = s s^T * p`` with a zero diagonal, ``r_i = sum_j w_ij`` and ``x`` the 0/1 bloc
labels, ``[x_i != x_j] = x_i + x_j - 2 x_i x_j`` gives

.. math::

    E(x) = \\tfrac12 \\sum_{i \\ne j} w_{ij} (x_i + x_j - 2 x_i x_j) = x \\cdot r - x^T W x,

and the change in energy when actor ``k`` switches is
``delta_k = r_k - 2 sum_j w_kj [x_k != x_j]``. Both are evaluated for whole batches of
configurations at once.

Relabelling the two blocs leaves ``E`` unchanged, so every reported assignment is normalised
with actor 0 in bloc 0. Configurations in which some actor is exactly indifferent (``delta_k``
zero within rounding) count as stable.

The functions are pure: they take arrays, return new arrays, and any randomness comes from a
:class:`numpy.random.Generator` passed in explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

__all__ = [
    "LandscapeResult",
    "energies",
    "energy",
    "explain_split",
    "exhaustive_minimum",
    "local_search",
    "predicted_blocs",
    "propensity_from_relations",
]

Method = Literal["exhaustive", "local-search"]

#: log2 of the number of configurations per vectorised chunk of :func:`exhaustive_minimum`.
CHUNK_BITS = 16
#: Tolerance on symmetry of the propensity matrix.
SYMMETRY_TOL = 1e-9
#: Default weights of :func:`propensity_from_relations`.
DEFAULT_WEIGHTS: Mapping[str, float] = {"trust": 1.0, "belief": 1.0, "threat": 1.0}


# --------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LandscapeResult:
    """The predicted two-bloc alignment and the other stable configurations.

    Attributes
    ----------
    assignment:
        ``(N,)`` int array of bloc labels 0/1 of the best configuration found; actor 0 is
        always in bloc 0. The array is read-only.
    energy:
        Frustration ``E`` of ``assignment``.
    local_minima:
        Every stable configuration found, as ``(assignment tuple, energy)`` pairs sorted by
        energy (ties by assignment). The first entry is ``assignment`` itself.
    method:
        ``"exhaustive"`` (every configuration was examined, so ``assignment`` is the global
        minimum and ``local_minima`` is complete) or ``"local-search"`` (best of several
        descents; neither guarantee holds).
    names:
        Optional actor names, in the order of ``assignment``.
    """

    assignment: np.ndarray
    energy: float
    local_minima: tuple[tuple[tuple[int, ...], float], ...]
    method: Method
    names: tuple[str, ...] | None = field(default=None)

    def __post_init__(self) -> None:
        a = np.array(self.assignment, dtype=np.int64).reshape(-1)
        a.setflags(write=False)
        object.__setattr__(self, "assignment", a)
        object.__setattr__(self, "energy", float(self.energy))
        if self.names is not None:
            names = tuple(str(n) for n in self.names)
            if len(names) != a.size:
                raise ValueError(
                    f"names: expected {a.size} names (one per actor), got {len(names)}"
                )
            object.__setattr__(self, "names", names)

    @property
    def n_actors(self) -> int:
        """Number of actors ``N``."""
        return int(self.assignment.size)

    def blocs(self) -> tuple[tuple[str | int, ...], tuple[str | int, ...]]:
        """The two blocs as tuples of actor names (or indices when there are no names).

        Returns
        -------
        tuple
            ``(bloc 0, bloc 1)``; bloc 0 contains actor 0. Either may be empty.
        """
        labels: Sequence[str | int] = (
            self.names if self.names is not None else tuple(range(self.n_actors))
        )
        zero = tuple(labels[i] for i in range(self.n_actors) if self.assignment[i] == 0)
        one = tuple(labels[i] for i in range(self.n_actors) if self.assignment[i] == 1)
        return zero, one

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python (JSON-serialisable) form of the result.

        Returns
        -------
        dict
            Keys ``assignment``, ``energy``, ``method``, ``names``, ``blocs`` and
            ``local_minima`` (a list of ``{"assignment": [...], "energy": float}``).
        """
        zero, one = self.blocs()
        return {
            "assignment": [int(v) for v in self.assignment],
            "energy": self.energy,
            "method": self.method,
            "names": list(self.names) if self.names is not None else None,
            "blocs": [list(zero), list(one)],
            "local_minima": [
                {"assignment": list(a), "energy": float(e)} for a, e in self.local_minima
            ],
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LandscapeResult):
            return NotImplemented
        return (
            np.array_equal(self.assignment, other.assignment)
            and self.energy == other.energy
            and self.local_minima == other.local_minima
            and self.method == other.method
            and self.names == other.names
        )

    def __hash__(self) -> int:
        return hash(
            (tuple(int(v) for v in self.assignment), self.energy, self.local_minima,
             self.method, self.names)
        )


# --------------------------------------------------------------------------------------------
# Validation and the weight matrix
# --------------------------------------------------------------------------------------------


def _validate(sizes: Any, propensity: Any) -> tuple[np.ndarray, np.ndarray]:
    """Check ``sizes`` and ``propensity``; return them as float arrays."""
    p = np.asarray(propensity, dtype=float)
    if p.ndim != 2 or p.shape[0] != p.shape[1]:
        raise ValueError(f"propensity: expected a square (N, N) matrix, got shape {p.shape}")
    if p.shape[0] < 1:
        raise ValueError("propensity: need at least one actor")
    if not np.all(np.isfinite(p)):
        raise ValueError("propensity: contains NaN or infinite values")
    asym = float(np.max(np.abs(p - p.T)))
    if asym > SYMMETRY_TOL:
        raise ValueError(
            f"propensity: must be symmetric (max |p_ij - p_ji| = {asym:.3g} > {SYMMETRY_TOL:g})"
        )
    n = p.shape[0]
    s = np.asarray(sizes, dtype=float)
    if s.ndim != 1 or s.size != n:
        raise ValueError(
            f"sizes: expected a 1-D array of length {n} (one per actor), got shape {s.shape}"
        )
    if not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise ValueError("sizes: every size must be positive and finite")
    return s, p


def _weights(s: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``W = s s^T * p`` symmetrised, with a zero diagonal."""
    w = np.outer(s, s) * 0.5 * (p + p.T)
    np.fill_diagonal(w, 0.0)
    return w


def _tolerance(w: np.ndarray) -> float:
    """Energy changes smaller than this count as zero (rounding)."""
    return 1e-10 * max(1.0, float(np.abs(w).sum()))


def _as_assignments(assignments: Any, n: int, name: str) -> np.ndarray:
    """Validate a (C, N) or (N,) 0/1 array and return it as float (C, N)."""
    x = np.asarray(assignments)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2 or x.shape[1] != n:
        raise ValueError(f"{name}: expected shape (N,) or (C, N) with N = {n}, got {x.shape}")
    if x.dtype != bool and not np.all((x == 0) | (x == 1)):
        raise ValueError(f"{name}: bloc labels must be 0 or 1")
    return x.astype(float)


def _energies_w(x: np.ndarray, w: np.ndarray, r: np.ndarray) -> np.ndarray:
    """(C,) energies ``x.r - x^T W x`` of a float (C, N) batch."""
    return x @ r - np.einsum("cn,cn->c", x @ w, x)


def _flip_deltas(x: np.ndarray, w: np.ndarray, r: np.ndarray) -> np.ndarray:
    """(C, N) change in energy when each single actor switches bloc.

    The switch joins the pairs of ``k`` that were split and splits those that were joined:
    ``delta_k = r_k - 2 * split_k`` with ``split_k = sum_j w_kj [x_k != x_j]``, which is
    ``(W x)_k`` when ``x_k = 0`` and ``r_k - (W x)_k`` when ``x_k = 1``; hence
    ``delta_k = (1 - 2 x_k) (r_k - 2 (W x)_k)``.
    """
    return (1.0 - 2.0 * x) * (r - 2.0 * (x @ w))


def _canonical(x: np.ndarray) -> np.ndarray:
    """Relabel blocs so actor 0 is in bloc 0 (rows of a (C, N) 0/1 array)."""
    return np.where(x[:, :1] == 1, 1 - x, x)


# --------------------------------------------------------------------------------------------
# Energies
# --------------------------------------------------------------------------------------------


def energies(assignments: Any, sizes: Any, propensity: Any) -> np.ndarray:
    """Frustration of a batch of configurations.

    Parameters
    ----------
    assignments:
        ``(C, N)`` (or ``(N,)``) int or bool array of bloc labels 0/1.
    sizes:
        ``(N,)`` positive actor sizes.
    propensity:
        ``(N, N)`` symmetric propensity matrix; the diagonal is ignored.

    Returns
    -------
    numpy.ndarray
        ``(C,)`` energies ``E = sum_{i<j} s_i s_j p_ij [x_i != x_j]``.

    Raises
    ------
    ValueError
        If the shapes disagree, labels are not 0/1, ``sizes`` are not positive or
        ``propensity`` is not square and symmetric.
    """
    s, p = _validate(sizes, propensity)
    x = _as_assignments(assignments, s.size, "assignments")
    w = _weights(s, p)
    return _energies_w(x, w, w.sum(axis=1))


def energy(assignment: Any, sizes: Any, propensity: Any) -> float:
    """Frustration ``E(X) = sum_{i<j} s_i s_j p_ij d_ij(X)`` of one configuration.

    Parameters
    ----------
    assignment:
        ``(N,)`` int or bool array of bloc labels 0/1.
    sizes:
        ``(N,)`` positive actor sizes.
    propensity:
        ``(N, N)`` symmetric propensity matrix; the diagonal is ignored.

    Returns
    -------
    float
        The energy of the configuration.

    Raises
    ------
    ValueError
        As :func:`energies`, or if ``assignment`` is not one-dimensional.

    Examples
    --------
    A and B attract each other and both repel C; splitting C off is the least frustrated
    configuration:

    >>> import numpy as np
    >>> p = np.array([[0, 1, -1], [1, 0, -1], [-1, -1, 0]])
    >>> energy([0, 0, 1], [1, 1, 1], p), energy([0, 1, 1], [1, 1, 1], p)
    (-2.0, 0.0)
    """
    a = np.asarray(assignment)
    if a.ndim != 1:
        raise ValueError(f"assignment: expected a 1-D array of bloc labels, got shape {a.shape}")
    return float(energies(a, sizes, propensity)[0])


# --------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------


def _minima_tuple(
    configs: np.ndarray, values: np.ndarray
) -> tuple[tuple[tuple[int, ...], float], ...]:
    """Sorted ``(assignment tuple, energy)`` pairs (by energy, then assignment)."""
    pairs = [
        (tuple(int(v) for v in row), float(e)) for row, e in zip(configs, values, strict=True)
    ]
    pairs.sort(key=lambda item: (item[1], item[0]))
    return tuple(pairs)


def exhaustive_minimum(sizes: Any, propensity: Any, max_states: int = 22) -> LandscapeResult:
    """Global minimum and every local minimum, by enumerating all configurations.

    Actor 0 is fixed in bloc 0, which leaves ``2^(N-1)`` distinct configurations; they are
    generated from the bits of consecutive integers and evaluated in batches of ``2^16``
    (one batch per pattern of the high bits, reusing the low bits' share of ``W x``).

    Parameters
    ----------
    sizes:
        ``(N,)`` positive actor sizes.
    propensity:
        ``(N, N)`` symmetric propensity matrix.
    max_states:
        Largest ``N`` accepted (the cost doubles with every actor).

    Returns
    -------
    LandscapeResult
        ``method="exhaustive"``; ``local_minima`` lists every configuration from which no
        single switch lowers the energy, sorted by energy, the global minimum first.

    Raises
    ------
    ValueError
        If ``N > max_states`` or the inputs are invalid.
    """
    s, p = _validate(sizes, propensity)
    n = s.size
    if n > max_states:
        raise ValueError(
            f"exhaustive_minimum: {n} actors exceed max_states={max_states} "
            f"({2 ** (n - 1)} configurations); use local_search or raise max_states"
        )
    w = _weights(s, p)
    r = w.sum(axis=1)
    tol = _tolerance(w)
    # Actors 1..n_low take the low bits of the configuration code, the rest the high bits.
    # The low part of W x is computed once; each chunk (one high pattern) only adds a vector.
    n_low = min(n - 1, CHUNK_BITS)
    codes = np.arange(1 << n_low, dtype=np.int64)
    x_low = np.zeros((codes.size, n))
    x_low[:, 1 : n_low + 1] = (codes[:, None] >> np.arange(n_low, dtype=np.int64)) & 1
    wx_low = x_low @ w
    high = np.arange(n_low + 1, n)

    stable_x: list[np.ndarray] = []
    stable_e: list[np.ndarray] = []
    for code in range(1 << (n - 1 - n_low)):
        x_high = np.zeros(n)
        x_high[high] = (code >> np.arange(high.size)) & 1
        x = x_low + x_high
        wx = wx_low + w @ x_high
        # delta_k = r_k - 2 * split_k = (1 - 2 x_k) (r_k - 2 (W x)_k) for 0/1 labels.
        delta = (1.0 - 2.0 * x) * (r - 2.0 * wx)
        stable = np.all(delta >= -tol, axis=1)
        xs, wxs = x[stable], wx[stable]
        stable_x.append(xs.astype(np.int64))
        stable_e.append(xs @ r - np.einsum("cn,cn->c", xs, wxs))

    minima = _minima_tuple(np.concatenate(stable_x), np.concatenate(stable_e))
    best, best_e = minima[0]
    return LandscapeResult(
        assignment=np.array(best), energy=best_e, local_minima=minima, method="exhaustive"
    )


def local_search(
    sizes: Any, propensity: Any, rng: np.random.Generator, restarts: int = 50
) -> LandscapeResult:
    """Best stable configuration found by steepest descent from random starts.

    Every restart starts from independent fair-coin bloc labels and repeatedly makes the
    single switch that lowers the energy most, until no switch lowers it. All restarts run
    together as one batch, so the result depends only on the generator's state.

    Parameters
    ----------
    sizes:
        ``(N,)`` positive actor sizes.
    propensity:
        ``(N, N)`` symmetric propensity matrix.
    rng:
        Source of the random starts; the same seed gives the same result.
    restarts:
        Number of random starts (at least 1).

    Returns
    -------
    LandscapeResult
        ``method="local-search"``; ``local_minima`` holds the distinct stable configurations
        reached, sorted by energy, the best first.

    Raises
    ------
    ValueError
        If ``restarts < 1``, ``rng`` is not a generator or the inputs are invalid.
    """
    s, p = _validate(sizes, propensity)
    if not isinstance(rng, np.random.Generator):
        raise ValueError("rng: expected a numpy.random.Generator")
    if int(restarts) < 1:
        raise ValueError(f"restarts: must be at least 1, got {restarts}")
    n = s.size
    w = _weights(s, p)
    r = w.sum(axis=1)
    tol = _tolerance(w)

    x = rng.integers(0, 2, size=(int(restarts), n)).astype(float)
    rows = np.arange(x.shape[0])
    while True:
        delta = _flip_deltas(x, w, r)
        k = np.argmin(delta, axis=1)
        improving = delta[rows, k] < -tol
        if not improving.any():
            break
        idx = rows[improving]
        x[idx, k[improving]] = 1.0 - x[idx, k[improving]]

    found = np.unique(_canonical(x).astype(np.int64), axis=0)
    minima = _minima_tuple(found, _energies_w(found.astype(float), w, r))
    best, best_e = minima[0]
    return LandscapeResult(
        assignment=np.array(best), energy=best_e, local_minima=minima, method="local-search"
    )


def predicted_blocs(
    sizes: Any,
    propensity: Any,
    names: Sequence[str] | None = None,
    rng: np.random.Generator | None = None,
    exhaustive_up_to: int = 20,
) -> LandscapeResult:
    """The alignment landscape theory predicts: exhaustive when small, local search otherwise.

    Parameters
    ----------
    sizes:
        ``(N,)`` positive actor sizes.
    propensity:
        ``(N, N)`` symmetric propensity matrix.
    names:
        Optional ``N`` actor names, used by :meth:`LandscapeResult.blocs`.
    rng:
        Generator for :func:`local_search`; required when ``N > exhaustive_up_to``.
    exhaustive_up_to:
        Largest ``N`` solved by :func:`exhaustive_minimum`.

    Returns
    -------
    LandscapeResult
        The result of the chosen search, with ``names`` attached.

    Raises
    ------
    ValueError
        If ``rng`` is missing for a large system, ``names`` has the wrong length, or the
        inputs are invalid.

    Examples
    --------
    >>> import numpy as np
    >>> p = np.array([[0, 1, -1], [1, 0, -1], [-1, -1, 0]])
    >>> result = predicted_blocs([1, 1, 1], p, names=["A", "B", "C"])
    >>> result.blocs(), result.energy, result.method
    ((('A', 'B'), ('C',)), -2.0, 'exhaustive')
    """
    s, p = _validate(sizes, propensity)
    n = s.size
    if names is not None:
        if isinstance(names, str):
            raise ValueError("names: expected a sequence of names, got a single string")
        names_t = tuple(str(v) for v in names)
        if len(names_t) != n:
            raise ValueError(f"names: expected {n} names (one per actor), got {len(names_t)}")
    else:
        names_t = None
    if n <= exhaustive_up_to:
        result = exhaustive_minimum(s, p, max_states=max(int(exhaustive_up_to), 1))
    else:
        if rng is None:
            raise ValueError(
                f"rng: a numpy.random.Generator is required for local search "
                f"({n} actors > exhaustive_up_to={exhaustive_up_to})"
            )
        result = local_search(s, p, rng)
    return replace(result, names=names_t)


# --------------------------------------------------------------------------------------------
# Propensities from model variables
# --------------------------------------------------------------------------------------------


def _square(a: Any, name: str, n: int | None) -> np.ndarray:
    m = np.asarray(a, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"{name}: expected a square (N, N) matrix, got shape {m.shape}")
    if n is not None and m.shape[0] != n:
        raise ValueError(f"{name}: expected shape ({n}, {n}) to match trust, got {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError(f"{name}: contains NaN or infinite values")
    return m


def _off_diagonal(m: np.ndarray) -> np.ndarray:
    return m[~np.eye(m.shape[0], dtype=bool)]


def propensity_from_relations(
    trust: Any,
    belief: Any,
    shared_threat: Any | None = None,
    weights: Mapping[str, float] | None = None,
) -> np.ndarray:
    r"""Symmetric propensity matrix from trust, beliefs of aggressiveness and common threats.

    .. math::

        p_{ij} = w_t (\bar t_{ij} - 0.5) - w_b (\bar b_{ij} - 0.5) + w_x c_{ij},

    where ``t̄`` and ``b̄`` are the means of the two directions (``(m_ij + m_ji) / 2``) and ``c``
    is the symmetrised shared threat. The diagonal is 0.

    Parameters
    ----------
    trust:
        ``(N, N)`` trust in ``[0, 1]`` (0.5 is neutral); the diagonal is ignored.
    belief:
        ``(N, N)`` directed belief in ``[0, 1]`` that the other is aggressive (``belief[i, j]``
        is i's belief about j; 0.5 is neutral); the diagonal is ignored.
    shared_threat:
        Optional ``(N, N)`` non-negative measure of common enemies, e.g.
        ``sum_k threat[i, k] * threat[j, k]``; the diagonal is ignored.
    weights:
        Any of ``"trust"``, ``"belief"``, ``"threat"`` (non-negative); missing keys default
        to 1.0.

    Returns
    -------
    numpy.ndarray
        ``(N, N)`` symmetric propensity matrix with zero diagonal.

    Raises
    ------
    ValueError
        Naming the offending argument if a shape, range or weight is invalid.
    """
    t = _square(trust, "trust", None)
    n = t.shape[0]
    b = _square(belief, "belief", n)
    if np.any((_off_diagonal(t) < 0) | (_off_diagonal(t) > 1)):
        raise ValueError("trust: off-diagonal values must lie in [0, 1]")
    if np.any((_off_diagonal(b) < 0) | (_off_diagonal(b) > 1)):
        raise ValueError("belief: off-diagonal values must lie in [0, 1]")

    wts = dict(DEFAULT_WEIGHTS)
    if weights is not None:
        unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
        if unknown:
            raise ValueError(
                f"weights: unknown key(s) {unknown}; expected some of {sorted(DEFAULT_WEIGHTS)}"
            )
        for key, value in weights.items():
            v = float(value)
            if not np.isfinite(v) or v < 0:
                raise ValueError(f"weights: {key!r} must be finite and non-negative, got {value}")
            wts[key] = v

    p = wts["trust"] * (0.5 * (t + t.T) - 0.5) - wts["belief"] * (0.5 * (b + b.T) - 0.5)
    if shared_threat is not None:
        c = _square(shared_threat, "shared_threat", n)
        if np.any(_off_diagonal(c) < 0):
            raise ValueError("shared_threat: off-diagonal values must be non-negative")
        p = p + wts["threat"] * 0.5 * (c + c.T)
    np.fill_diagonal(p, 0.0)
    return p


def explain_split(result: LandscapeResult, propensity: Any) -> str | None:
    """Why a predicted split is degenerate (one empty bloc, or no frustration), or ``None``.

    An empty bloc means a single coalition of everyone has the least frustration: with no
    hostile pair (every propensity >= 0) splitting can only cost energy, and with hostile pairs
    their hostility is outweighed by the affinities around them. An energy of 0 with two blocs
    means the split cuts no affinity at all (no pair across the blocs has a propensity), so it
    is one of several equally good splits.

    >>> p = np.array([[0.0, 0.5, 0.2], [0.5, 0.0, 0.1], [0.2, 0.1, 0.0]])
    >>> res = exhaustive_minimum([1, 1, 1], p)
    >>> explain_split(res, p).split(":")[0]
    'one bloc of all 3 states'
    """
    p = np.asarray(propensity, dtype=float)
    n = result.n_actors
    labels = result.names if result.names is not None else tuple(str(i) for i in range(n))
    a, b = result.blocs()
    iu = np.triu_indices(n, 1)
    hostile = p[iu] < 0
    ties = sum(1 for _, e in result.local_minima[1:] if abs(e - result.energy) <= 1e-12)
    tied = f"; {ties} other stable split(s) are as good" if ties else ""
    if not a or not b:
        head = f"one bloc of all {n} states: the theory predicts no split"
        if not hostile.any():
            return f"{head} (no pair is hostile: every propensity is >= 0){tied}"
        worst = int(np.argmin(p[iu]))
        i, j = iu[0][worst], iu[1][worst]
        return (f"{head} (the hostility of {int(hostile.sum())} pair(s), the strongest {labels[i]}-{labels[j]} at "
                f"{p[i, j]:.3g}, is outweighed by the affinities around them){tied}")
    if abs(result.energy) <= 1e-12:
        return f"the split costs and saves nothing (energy 0: no pair across the blocs has any propensity){tied}"
    return None
