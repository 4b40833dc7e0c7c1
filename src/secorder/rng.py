"""The one place where seeds become random numbers: named, counter-based random streams.

The simulation draws its uniforms from Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011), a
counter-based generator: a uniform is a pure function of a *key* and a *counter*, so any
uniform can be computed directly, in any order, vectorised over runs, without building or
advancing a generator.

- **key** = (run index, seed word 0): every run has its own key, so run ``r`` gets the same
  numbers alone, in a batch of 10,000, in any chunk and by any worker;
- **counter** = (block, year, stream, institution), the last three mixed with seed words 1-3:
  ``stream`` is a stable 32-bit hash of ``"mechanism.draw"`` (say ``"onset.onset"``), so each
  named draw of each mechanism is a stream of its own; adding a draw to one mechanism changes
  no other mechanism's numbers. ``institution`` is a stable hash of the institution's id
  (0 for draws that belong to no institution), so adding an institution (an architecture)
  leaves every other institution's draws as they were: comparisons stay on common random
  numbers;
- ``block`` numbers the groups of four 32-bit outputs within one draw's array for one run;
  element ``e`` of the array is lane ``e % 4`` of block ``e // 4``.

Each uniform is ``(x + 0.5) / 2**32`` for a 32-bit output ``x``: it lies strictly inside
(0, 1) with a resolution of 2.3e-10, finer than any probability the model compares it with.
The seed words come from the experiment's :class:`numpy.random.SeedSequence`, so any
non-negative integer seed (or a ``SeedSequence``) gives its own streams.

:class:`Streams` holds the keys of a batch of runs; :meth:`Streams.draws` hands a mechanism a
:class:`Draws` for one year, which draws a named array only when the mechanism asks for it
(``draws["noise"]``) and, for draws read at a few places (the crises of the year),
only there (``draws.at("severity", r, i, j)``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np

SeedLike = int | np.random.SeedSequence | None
RNGLike = int | np.random.SeedSequence | np.random.Generator | None


def as_generator(seed: RNGLike) -> np.random.Generator:
    """Turn ``None``/int/``SeedSequence``/``Generator`` into a ``Generator``.

    ``None`` means fresh OS entropy; ``0`` is a seed like any other.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    return np.random.default_rng(np.random.SeedSequence(int(seed)))


def root_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """The experiment's root ``SeedSequence``; an int seed is used as its entropy."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise ValueError(f"must be a non-negative whole number, got {seed!r}")
    return np.random.SeedSequence(int(seed))


def stable_key(name: str) -> int:
    """A stable 32-bit integer for a name (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "little")


# --------------------------------------------------------------------------------------------
# Philox4x32-10, vectorised over NumPy arrays of 32-bit words held in uint64. The streams
# below use the compiled element-by-element form (secorder.kernels), which gives the same
# words; this one is the readable reference, checked against the published test vectors.

PHILOX_M = (np.uint64(0xD2511F53), np.uint64(0xCD9E8D57))  # round multipliers
PHILOX_W = (0x9E3779B9, 0xBB67AE85)  # Weyl increments of the key between rounds
ROUNDS = 10


def philox4x32(
    counter: Sequence[np.ndarray | int], key: Sequence[np.ndarray | int], rounds: int = ROUNDS
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The four uint32 output words of Philox4x32 for (broadcastable) counter and key words.

    Each round multiplies two words by 32-bit constants into 64-bit products; their high and
    low halves are read through uint32 views of the products, so a round is two multiplies
    and four exclusive-ors over the batch.
    """
    c = [np.asarray(w, dtype=np.uint64) & np.uint64(0xFFFFFFFF) for w in counter]
    k = [np.asarray(w, dtype=np.uint64) & np.uint64(0xFFFFFFFF) for w in key]
    shape = np.broadcast_shapes(*(w.shape for w in (*c, *k)))
    x0, x1, x2, x3 = (np.broadcast_to(w, shape).astype(np.uint32) for w in c)
    keys = [
        tuple(((kw + np.uint64(n * w)) & np.uint64(0xFFFFFFFF)).astype(np.uint32) for kw, w in zip(k, PHILOX_W, strict=True))
        for n in range(rounds)
    ]
    size = int(np.prod(shape))
    p0, p1 = np.empty(size, dtype=np.uint64), np.empty(size, dtype=np.uint64)
    halves0, halves1 = p0.view(np.uint32).reshape(*shape, 2), p1.view(np.uint32).reshape(*shape, 2)
    lo0, hi0, lo1, hi1 = halves0[..., 0], halves0[..., 1], halves1[..., 0], halves1[..., 1]  # little-endian
    if np.little_endian is False:  # pragma: no cover - big-endian machines swap the halves
        lo0, hi0, lo1, hi1 = hi0, lo0, hi1, lo1
    p0, p1 = p0.reshape(shape), p1.reshape(shape)
    for k0, k1 in keys:
        np.multiply(x0, PHILOX_M[0], out=p0, dtype=np.uint64, casting="unsafe")
        np.multiply(x2, PHILOX_M[1], out=p1, dtype=np.uint64, casting="unsafe")
        # x0' = hi(x2 * M1) ^ x1 ^ k0,  x1' = lo(x2 * M1),  x2' = hi(x0 * M0) ^ x3 ^ k1,  x3' = lo(x0 * M0)
        np.bitwise_xor(hi1, x1, out=x0)
        x0 ^= k0
        np.bitwise_xor(hi0, x3, out=x2)
        x2 ^= k1
        np.copyto(x1, lo1)
        np.copyto(x3, lo0)
    return x0, x1, x2, x3


def to_uniform(words: np.ndarray) -> np.ndarray:
    """32-bit words to float64 uniforms strictly inside (0, 1): (x + 0.5) / 2**32."""
    return (words.astype(np.float64) + 0.5) * (1.0 / 4294967296.0)


# --------------------------------------------------------------------------------------------
# Named streams


def stream_key(name: str) -> int:
    """The stream number of a named draw, e.g. ``stream_key("onset.onset")``."""
    return stable_key(name)


class Streams:
    """The random streams of a batch of runs: one Philox key per run, seed words shared.

    ``runs`` are the global run indices (not positions in the batch), ``institution_ids`` the
    ids of the scenario's institutions in order.
    """

    def __init__(self, seed: SeedLike, runs: Sequence[int] | np.ndarray, n_states: int,
                 institution_ids: Sequence[str] = ()):
        words = root_sequence(seed).generate_state(4, np.uint32).astype(np.uint64)
        self.seed_words = tuple(int(w) for w in words)
        self.runs = np.asarray(runs, dtype=np.uint64).reshape(-1)
        self.n_states = int(n_states)
        self.institution_keys = tuple(stable_key(i) for i in institution_ids)

    @property
    def n_runs(self) -> int:
        """Number of runs drawn for."""
        return self.runs.size

    def _counter(self, year: int, stream: int, institution: int) -> tuple[int, int, int]:
        w = self.seed_words
        return (int(year) ^ w[1], int(stream) ^ w[2], int(institution) ^ w[3])

    def dense(self, year: int, stream: int, size: int, institution: int = 0) -> np.ndarray:
        """(R, size) uniforms: elements 0..size-1 of the stream for every run."""
        from secorder.kernels import philox_uniforms  # compiled; same words as philox4x32

        c1, c2, c3 = (np.uint64(c) for c in self._counter(year, stream, institution))
        return philox_uniforms(self.runs, np.uint64(self.seed_words[0]), c1, c2, c3, int(size))

    def sparse(self, year: int, stream: int, runs: np.ndarray, elements: np.ndarray,
               institution: int = 0) -> np.ndarray:
        """Uniforms at (batch position ``runs``, element ``elements``), broadcast together."""
        runs, elements = np.broadcast_arrays(np.asarray(runs), np.asarray(elements, dtype=np.int64))
        if runs.size == 0:
            return np.zeros(runs.shape)
        from secorder.kernels import philox_uniforms_at  # compiled; same words as philox4x32

        c1, c2, c3 = (np.uint64(c) for c in self._counter(year, stream, institution))
        keys = np.ascontiguousarray(self.runs[runs].reshape(-1))
        flat = np.ascontiguousarray(elements.reshape(-1))
        out = philox_uniforms_at(keys, flat, np.uint64(self.seed_words[0]), c1, c2, c3)
        return out.reshape(runs.shape)

    def draws(self, mechanism: str, kinds: Mapping[str, str], year: int) -> Draws:
        """The draws of one mechanism in one year (``year`` counts from 0 at the start)."""
        return Draws(self, mechanism, kinds, year)


class Draws(Mapping):
    """One mechanism's uniforms for one year, drawn from its named streams on demand.

    ``draws[name]`` is the whole array of the declared kind -- ``(R,)`` run, ``(R, N)`` state,
    ``(R, N, N)`` dyad, ``(R, K)`` institution, ``(R, K, N)`` membership -- drawn once and
    kept. ``draws.at(name, r, i, j)`` gives the uniforms at some places only (the same
    numbers as the whole array there), ``draws.institution(name, q)`` those of institution
    ``q`` alone. A plain dict of arrays works as well for mechanisms that index with
    :func:`secorder.mechanisms.base.draw_at`, which is how the kernels are tested.
    """

    def __init__(self, streams: Streams, mechanism: str, kinds: Mapping[str, str], year: int):
        self.streams, self.mechanism, self.kinds, self.year = streams, mechanism, dict(kinds), int(year)
        self._full: dict[str, np.ndarray] = {}

    def __iter__(self):
        return iter(self.kinds)

    def __len__(self) -> int:
        return len(self.kinds)

    def stream(self, name: str) -> int:
        """The key of this mechanism's stream ``name`` (a ``KeyError`` if it declares no such draw)."""
        if name not in self.kinds:
            raise KeyError(f"mechanism {self.mechanism!r} declares no draw {name!r}")
        return stream_key(f"{self.mechanism}.{name}")

    def _per_run_shape(self, name: str) -> tuple[int, ...]:
        n = self.streams.n_states
        return {"run": (), "state": (n,), "dyad": (n, n), "institution": (), "membership": (n,)}[self.kinds[name]]

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._full:
            stream, shape, s = self.stream(name), self._per_run_shape(name), self.streams
            size = int(np.prod(shape)) if shape else 1
            if self.kinds[name] in ("institution", "membership"):
                per = [s.dense(self.year, stream, size, key) for key in s.institution_keys]
                full = np.stack(per, axis=1) if per else np.zeros((s.n_runs, 0, size))
                full = full.reshape((s.n_runs, len(per), *shape))
            else:
                full = s.dense(self.year, stream, size).reshape((s.n_runs, *shape))
            self._full[name] = full
        return self._full[name]

    def institution(self, name: str, q: int) -> np.ndarray:
        """(R,) or (R, N) uniforms of institution ``q`` (its own stream, keyed by its id)."""
        if name in self._full:
            return self._full[name][:, q]
        stream, shape, s = self.stream(name), self._per_run_shape(name), self.streams
        size = int(np.prod(shape)) if shape else 1
        return s.dense(self.year, stream, size, s.institution_keys[q]).reshape((s.n_runs, *shape))

    def at(self, name: str, *index: np.ndarray) -> np.ndarray:
        """Uniforms at integer index arrays (run first, then the kind's own axes), broadcast."""
        if name in self._full:
            return self._full[name][index]
        kind = self.kinds[name]
        if kind in ("institution", "membership"):
            raise ValueError(f"draw {name!r} is per institution: use draws.institution(name, q)")
        shape = self._per_run_shape(name)
        if len(index) != 1 + len(shape):
            raise ValueError(f"draw {name!r} takes {1 + len(shape)} indices, got {len(index)}")
        element = np.ravel_multi_index(tuple(np.asarray(i) for i in index[1:]), shape) if shape else 0
        return self.streams.sparse(self.year, self.stream(name), np.asarray(index[0]), element)
