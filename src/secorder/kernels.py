"""Compiled loops (numba) for the few places where NumPy's whole-array form wastes work.

Each kernel here computes exactly what its NumPy counterpart computes, value for value:
maxima and integer arithmetic are exact, and every floating-point product is formed from
the same two operands as in the array form, so the results are bit-identical (no fastmath).

- :func:`pair_max` and :func:`pair_max_weighted` replace the dense (R,N,N) maximum taken once
  per institution (``out = max(out, w_a * m_a * m_b)``): they visit only the member pairs of
  each institution, so the cost grows with the members, not with K x N x N.
- :func:`philox_uniforms` and :func:`philox_uniforms_at` evaluate Philox4x32-10 element by
  element, without the dozens of temporary arrays of the vectorised NumPy form.

This module is imported only when a simulation runs (never by ``secorder --help``); the
kernels are compiled on first use and cached on disk (``cache=True``), so the compile cost
(a few seconds) is paid once per installation, not per process or per worker.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_MASK32 = np.uint64(0xFFFFFFFF)
_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = np.uint64(0x9E3779B9)
_W1 = np.uint64(0xBB67AE85)
_INV32 = 1.0 / 4294967296.0


# --------------------------------------------------------------------------------------------
# Shared membership: the maximum over institutions, visiting member pairs only


@njit(cache=True)
def pair_max(members: np.ndarray, strength: np.ndarray, selected: np.ndarray) -> np.ndarray:
    """(R,N,N) max over selected institutions q of strength[r,q] for pairs both members of q (else 0)."""
    r_n, k_n, n = members.shape
    out = np.zeros((r_n, n, n))
    idx = np.empty(n, dtype=np.int64)
    for r in range(r_n):
        for q in range(k_n):
            if not selected[q]:
                continue
            c = 0
            for a in range(n):
                if members[r, q, a]:
                    idx[c] = a
                    c += 1
            s = strength[r, q]
            for x in range(c):
                a = idx[x]
                for y in range(c):
                    b = idx[y]
                    if s > out[r, a, b]:
                        out[r, a, b] = s
    return out


@njit(cache=True)
def pair_max_weighted(members: np.ndarray, weight: np.ndarray, selected: np.ndarray) -> np.ndarray:
    """(R,N,N) max over selected institutions q of weight[r,q,a] for pairs (a,b) both members of q (else 0).

    ``weight`` is (R,K,N): a member's own row value, such as its obligation times the
    institution's strength (the row member is the one committed).
    """
    r_n, k_n, n = members.shape
    out = np.zeros((r_n, n, n))
    idx = np.empty(n, dtype=np.int64)
    for r in range(r_n):
        for q in range(k_n):
            if not selected[q]:
                continue
            c = 0
            for a in range(n):
                if members[r, q, a]:
                    idx[c] = a
                    c += 1
            for x in range(c):
                a = idx[x]
                s = weight[r, q, a]
                for y in range(c):
                    b = idx[y]
                    if s > out[r, a, b]:
                        out[r, a, b] = s
    return out


# --------------------------------------------------------------------------------------------
# Philox4x32-10, one element at a time


@njit(cache=True, inline="always")
def _philox_block(x0, x1, x2, x3, k0, k1):
    for _ in range(10):
        p0 = x0 * _M0
        p1 = x2 * _M1
        y0 = ((p1 >> np.uint64(32)) ^ x1 ^ k0) & _MASK32
        y2 = ((p0 >> np.uint64(32)) ^ x3 ^ k1) & _MASK32
        x1 = p1 & _MASK32
        x3 = p0 & _MASK32
        x0 = y0
        x2 = y2
        k0 = (k0 + _W0) & _MASK32
        k1 = (k1 + _W1) & _MASK32
    return x0, x1, x2, x3


@njit(cache=True)
def philox_uniforms(runs: np.ndarray, key1: np.uint64, c1: np.uint64, c2: np.uint64, c3: np.uint64,
                    size: int) -> np.ndarray:
    """(R, size) uniforms (x + 0.5) / 2**32: element e of run r is lane e % 4 of block e // 4."""
    r_n = runs.shape[0]
    out = np.empty((r_n, size))
    k1 = key1 & _MASK32
    c1, c2, c3 = c1 & _MASK32, c2 & _MASK32, c3 & _MASK32
    for r in range(r_n):
        k0 = runs[r] & _MASK32
        for block in range((size + 3) // 4):
            w0, w1, w2, w3 = _philox_block(np.uint64(block) & _MASK32, c1, c2, c3, k0, k1)
            e = 4 * block
            out[r, e] = (np.float64(w0) + 0.5) * _INV32
            if e + 1 < size:
                out[r, e + 1] = (np.float64(w1) + 0.5) * _INV32
            if e + 2 < size:
                out[r, e + 2] = (np.float64(w2) + 0.5) * _INV32
            if e + 3 < size:
                out[r, e + 3] = (np.float64(w3) + 0.5) * _INV32
    return out


@njit(cache=True)
def philox_uniforms_at(run_keys: np.ndarray, elements: np.ndarray, key1: np.uint64, c1: np.uint64,
                       c2: np.uint64, c3: np.uint64) -> np.ndarray:
    """Uniforms at (run key, element) pairs given as two flat arrays of equal length."""
    m = run_keys.shape[0]
    out = np.empty(m)
    k1 = key1 & _MASK32
    c1, c2, c3 = c1 & _MASK32, c2 & _MASK32, c3 & _MASK32
    for i in range(m):
        e = elements[i]
        w = _philox_block(np.uint64(e >> 2) & _MASK32, c1, c2, c3, run_keys[i] & _MASK32, k1)
        lane = e & 3
        x = w[0] if lane == 0 else (w[1] if lane == 1 else (w[2] if lane == 2 else w[3]))
        out[i] = (np.float64(x) + 0.5) * _INV32
    return out


# --------------------------------------------------------------------------------------------
# Counting codes per run (crisis outcomes, the institution that ended a crisis)


@njit(cache=True)
def code_counts(codes: np.ndarray, n_codes: int) -> np.ndarray:
    """(R, n_codes) how often each code 0..n_codes-1 occurs in each run's cells (other values ignored)."""
    r_n = codes.shape[0]
    flat = codes.reshape(r_n, -1)
    out = np.zeros((r_n, n_codes))
    for r in range(r_n):
        for e in range(flat.shape[1]):
            c = flat[r, e]
            if 0 <= c < n_codes:
                out[r, c] += 1.0
    return out


@njit(cache=True)
def masked_code_counts(mask: np.ndarray, codes: np.ndarray, n_codes: int) -> np.ndarray:
    """(R, n_codes) :func:`code_counts` over the cells where ``mask`` is set (e.g. the year's crises)."""
    r_n = codes.shape[0]
    flat = codes.reshape(r_n, -1)
    keep = mask.reshape(r_n, -1)
    out = np.zeros((r_n, n_codes))
    for r in range(r_n):
        for e in range(flat.shape[1]):
            c = flat[r, e]
            if keep[r, e] and 0 <= c < n_codes:
                out[r, c] += 1.0
    return out


# --------------------------------------------------------------------------------------------
# Coalitions: who is obliged to defend the target of each crisis


@njit(cache=True)
def coalition_max(commit: np.ndarray, members: np.ndarray, strength: np.ndarray, obligation: np.ndarray,
                  active: np.ndarray, outsiders_only: np.ndarray, r: np.ndarray, i: np.ndarray,
                  j: np.ndarray) -> None:
    """Raise commit[f,k] (in place) to obligation[q,k] x strength[r_f,q] for the members k of q.

    For every active institution q of which the target j_f is a member and, where q is aimed
    at outsiders only, the challenger i_f is not.
    """
    k_n = members.shape[1]
    n = members.shape[2]
    for f in range(r.shape[0]):
        rf, jf, i_f = r[f], j[f], i[f]
        for q in range(k_n):
            if not active[q] or not members[rf, q, jf]:
                continue
            if outsiders_only[q] and members[rf, q, i_f]:
                continue
            s = strength[rf, q]
            for k in range(n):
                if members[rf, q, k]:
                    v = obligation[q, k] * s
                    if v > commit[f, k]:
                        commit[f, k] = v


# --------------------------------------------------------------------------------------------
# Institutions' decisions on candidates


@njit(cache=True)
def members_mean_rows(members: np.ndarray, values: np.ndarray) -> np.ndarray:
    """(R,N) sum over members a of values[r,a,:], in member order, divided by max(#members, 1).

    The same additions in the same order as ``(values * members[:, :, None]).sum(axis=1)``
    (a non-member adds an exact zero there).
    """
    r_n, n = members.shape
    out = np.zeros((r_n, values.shape[2]))
    for r in range(r_n):
        cnt = 0
        for a in range(n):
            if members[r, a]:
                cnt += 1
                for b in range(values.shape[2]):
                    out[r, b] += values[r, a, b]
        d = max(cnt, 1)
        for b in range(values.shape[2]):
            out[r, b] = out[r, b] / d
    return out


@njit(cache=True)
def members_min_rows(members: np.ndarray, values: np.ndarray) -> np.ndarray:
    """(R,N) minimum over members a of values[r,a,:] (infinity where there are no members)."""
    r_n, n = members.shape
    out = np.full((r_n, values.shape[2]), np.inf)
    for r in range(r_n):
        for a in range(n):
            if members[r, a]:
                for b in range(values.shape[2]):
                    if values[r, a, b] < out[r, b]:
                        out[r, b] = values[r, a, b]
    return out


# --------------------------------------------------------------------------------------------
# Institutions whose members fought each other


@njit(cache=True)
def failed_pair_max(members: np.ndarray, selected: np.ndarray, fatal: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """(R,N,N) max over selected institutions q that failed this year of depth[r,q], for q's member pairs.

    q failed in run r if some pair of its members (a,b) has fatal[r,a,b] set. The
    dense form is ``max_q (failed[r,q] * depth[r,q]) * m_a * m_b`` with an initial 0, which this
    equals for depth >= 0 (a failed institution's weight is depth itself, times 1.0).
    """
    r_n, k_n, n = members.shape
    out = np.zeros((r_n, n, n))
    idx = np.empty(n, dtype=np.int64)
    for r in range(r_n):
        for q in range(k_n):
            if not selected[q]:
                continue
            c = 0
            for a in range(n):
                if members[r, q, a]:
                    idx[c] = a
                    c += 1
            failed = False
            for x in range(c):
                for y in range(c):
                    if fatal[r, idx[x], idx[y]]:
                        failed = True
                        break
                if failed:
                    break
            if not failed:
                continue
            s = 1.0 * depth[r, q]
            for x in range(c):
                a = idx[x]
                for y in range(c):
                    b = idx[y]
                    if s > out[r, a, b]:
                        out[r, a, b] = s
    return out


# --------------------------------------------------------------------------------------------
# Crisis onset: the logit of every directed pair in one pass


@njit(cache=True)
def onset_eta(coef: np.ndarray, regime: np.ndarray, trade: np.ndarray, gdp: np.ndarray, allied: np.ndarray,
              cap_ratio: np.ndarray, major: np.ndarray, noncontig: np.ndarray, log_dist: np.ndarray,
              peace_years: np.ndarray, peace_cap: float, stakes: np.ndarray, animosity: np.ndarray,
              belief: np.ndarray, satisfaction: np.ndarray, cap: np.ndarray, growth: np.ndarray,
              band: float, inv_band: float, log_parity: float, log_overtaking: float) -> np.ndarray:
    """(R,N,N) onset logit: the terms of ``secorder.mechanisms.onset.onset_logit`` per cell.

    The terms are formed from the same operands and added in the same order as the array
    form (intercept first, the transition multiplier last), so every cell is bit-identical;
    only the (R,N,N) temporaries of the array form are gone. ``coef`` holds, in order: the
    intercept, lower and higher democracy, trade dependence, alliance, capability ratio,
    non-contiguity, log distance, both minor, peace years (t, t^2/100, t^3/1000 already
    scaled), stakes, animosity, misperception and dissatisfaction.
    """
    r_n, n = regime.shape
    out = np.empty((r_n, n, n))
    for r in range(r_n):
        for i in range(n):
            ri, gi, ci = regime[r, i], gdp[r, i], cap[r, i]
            for j in range(n):
                rj = regime[r, j]
                lower = rj if rj < ri else ri  # np.minimum / np.maximum of two finite numbers
                higher = rj if rj > ri else ri
                d_ij = trade[r, i, j] / gi
                d_ji = trade[r, j, i] / gdp[r, j]
                lower_dep = d_ji if d_ji < d_ij else d_ij
                both_minor = (not major[r, i]) and (not major[r, j])
                t = peace_years[r, i, j]
                t = peace_cap if peace_cap < t else t
                spline = t * (coef[9] + t * (coef[10] + t * coef[11]))
                cj = cap[r, j]
                ratio = ci / (cj if cj > 1e-12 else 1e-12)
                parity = ratio <= band and ratio >= inv_band
                overtaking = parity and ci < cj and growth[r, i] > growth[r, j] and satisfaction[r, i] < 0.5
                transition = (1.0 if parity else 0.0) * log_parity + (1.0 if overtaking else 0.0) * log_overtaking
                misperception = belief[r, i, j] - 0.5
                misperception = misperception if misperception > 0.0 else 0.0
                out[r, i, j] = (
                    coef[0]
                    + coef[1] * lower
                    + coef[2] * higher
                    + coef[3] * lower_dep
                    + coef[4] * (1.0 if allied[r, i, j] else 0.0)
                    + coef[5] * cap_ratio[r, i, j]
                    + coef[6] * (1.0 if noncontig[i, j] else 0.0)
                    + coef[7] * log_dist[i, j]
                    + coef[8] * (1.0 if both_minor else 0.0)
                    + spline
                    + coef[12] * stakes[r, i, j]
                    + coef[13] * animosity[r, i, j]
                    + coef[14] * misperception
                    + coef[15] * (1.0 - satisfaction[r, i])
                    + transition
                )
    return out


# --------------------------------------------------------------------------------------------
# Trust: transactions, memberships, joint threat work and disputes, in one pass


@njit(cache=True)
def trust_update(trust: np.ndarray, anchor: np.ndarray, trade: np.ndarray, gdp: np.ndarray, shared: np.ndarray,
                 threat_hit: np.ndarray, fought_last: np.ndarray, trade_rate: float, membership_rate: float,
                 threat_rate: float, decay: float, tense_from: int, tense_to: int, tense_factor: float) -> np.ndarray:
    """(R,N,N) ``secorder.mechanisms.socialisation.update_trust`` cell by cell.

    The same operations on the same operands in the same order as the array form: growth from
    the lower trade dependence, the deepest shared membership and joint threat work; the
    update toward 1 less the decay toward the anchor; the factor for a tense pair; clipped to
    [0, 1], with 1 on the diagonal.
    """
    r_n, n = gdp.shape
    out = np.empty((r_n, n, n))
    for r in range(r_n):
        for i in range(n):
            for j in range(n):
                if i == j:
                    out[r, i, j] = 1.0
                    continue
                d_ij = trade[r, i, j] / gdp[r, i]
                d_ji = trade[r, j, i] / gdp[r, j]
                lower = d_ji if d_ji < d_ij else d_ij
                s = shared[r, i, j]
                joint = threat_hit[r, i] and threat_hit[r, j] and s > 0
                growth = trade_rate * lower + membership_rate * s + threat_rate * (1.0 if joint else 0.0)
                t = trust[r, i, j]
                v = t + (1.0 - t) * growth - decay * (t - anchor[r, i, j])
                f = fought_last[r, i, j]
                v = v * (tense_factor if (f >= tense_from and f < tense_to) else 1.0)
                out[r, i, j] = 0.0 if v < 0.0 else (1.0 if v > 1.0 else v)
    return out
