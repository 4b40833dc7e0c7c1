"""Sets of states packed into bits: one uint64 word per 64 states along a trailing axis.

The crisis arrays ``joined`` and ``abandoned`` hold, for each crisis i -> j, the set of allies
that joined the target's side or stayed out. A set of N states is stored as
``words(N) = ceil(N / 64)`` uint64 words (bit ``k % 64`` of word ``k // 64`` for state ``k``),
so a region of up to 64 states costs one word per crisis cell, exactly as a plain bitmask, and
a larger one is never truncated.
"""

from __future__ import annotations

import numpy as np

WORD_BITS = 64
_ONE = np.uint64(1)


def words(n_states: int) -> int:
    """Number of uint64 words that hold a set of ``n_states`` states (at least one)."""
    return max(1, -(-int(n_states) // WORD_BITS))


def pack(flags: np.ndarray) -> np.ndarray:
    """Pack a (..., N) bool array into (..., words(N)) uint64 words (state k: bit k % 64 of word k // 64)."""
    n = flags.shape[-1]
    out = np.zeros((*flags.shape[:-1], words(n)), dtype=np.uint64)
    for w in range(out.shape[-1]):
        part = flags[..., w * WORD_BITS:(w + 1) * WORD_BITS]
        weights = np.left_shift(_ONE, np.arange(part.shape[-1], dtype=np.uint64))
        out[..., w] = (part.astype(np.uint64) * weights).sum(axis=-1, dtype=np.uint64)
    return out


def unpack(packed: np.ndarray, n_states: int) -> np.ndarray:
    """(..., words) uint64 words -> (..., n_states) bool membership; the inverse of :func:`pack`."""
    k = np.arange(n_states)
    bits = (k % WORD_BITS).astype(np.uint64)
    return ((packed[..., k // WORD_BITS] >> bits) & _ONE).astype(bool)


def decode(packed: np.ndarray, codes: list[str] | tuple[str, ...], sep: str = ";") -> list[str]:
    """(E, words) packed sets -> one string per row joining the members' codes ('' when empty).

    A one-dimensional (E,) array is read as one word per row.
    """
    packed = np.asarray(packed, dtype=np.uint64)
    if packed.ndim == 1:
        packed = packed[:, None]
    out = []
    cache: dict[bytes, str] = {}
    for row in packed:
        key = row.tobytes()
        if key not in cache:
            members = np.flatnonzero(unpack(row, len(codes)))
            cache[key] = sep.join(codes[k] for k in members)
        out.append(cache[key])
    return out
