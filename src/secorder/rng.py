"""The one place where seeds become NumPy generators.

Seeding is hierarchical: an experiment seed becomes a :class:`numpy.random.SeedSequence`, and
run ``r`` always gets child ``r`` of it (``SeedSequence(entropy, spawn_key=(r,))``, which is
what ``SeedSequence.spawn`` yields for the r-th child). So run ``r`` sees the same random
stream whether it is simulated alone, in a batch of 10,000, in any chunk, by any worker, and
under any architecture -- the basis of common-random-number comparisons.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

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


def run_sequences(seed: SeedLike, runs: Sequence[int]) -> list[np.random.SeedSequence]:
    """Child sequences for the given run indices (child ``r`` of the root for run ``r``)."""
    root = root_sequence(seed)
    return [
        np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, int(r)), pool_size=root.pool_size)
        for r in runs
    ]


def run_generators(seed: SeedLike, runs: Sequence[int]) -> list[np.random.Generator]:
    """One independent ``Generator`` per run index."""
    return [np.random.Generator(np.random.PCG64(s)) for s in run_sequences(seed, runs)]


def stable_key(name: str) -> int:
    """A stable 32-bit integer for a name (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "little")


def institution_generators(
    seed: SeedLike, runs: Sequence[int], institution_ids: Sequence[str]
) -> list[list[np.random.Generator]]:
    """``[run][institution]`` generators keyed by the institution's id, not its position.

    Institution-level draws (formation, accession) come from these, so an architecture that
    adds or removes institutions leaves every other stream -- and every other institution's --
    exactly as it was: comparisons stay on common random numbers.
    """
    root = root_sequence(seed)
    keys = [stable_key(i) for i in institution_ids]
    return [
        [
            np.random.Generator(np.random.PCG64(np.random.SeedSequence(
                root.entropy, spawn_key=(*root.spawn_key, int(r), 1, k), pool_size=root.pool_size)))
            for k in keys
        ]
        for r in runs
    ]
