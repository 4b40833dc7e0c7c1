"""Derived quantities: small pure functions of the world that several mechanisms need.

Capability, major powers, commitments, shared memberships, trade dependence, rivalry,
perceived threat, institution cohesion and strength are used by the mechanisms and the
measures alike.

They sit below the mechanisms (which import them) and above :mod:`secorder.world` (which
they read). Several are needed by more than one mechanism each year but change only when
their inputs change; the step loop hands each year's world a :class:`YearCache` that keeps the
last value of each quantity keyed by the *identity* of its input arrays. Mechanisms never
mutate arrays in place (they return new ones), so identity is a safe key, and a world without
a cache (``world.cache is None``, e.g. in tests) simply computes everything afresh: the cache
changes the speed, never a value.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from secorder.params import Params
from secorder.world import (
    ALLIANCE_TYPE_CODES,
    FORUM_TYPE_CODE,
    INST_TYPE_CODES,
    REGIME_RULE_CODES,
    SECURITY_TYPE_CODES,
    TARGET_CODES,
    Static,
    World,
)

BILATERAL = INST_TYPE_CODES["bilateral_alliance"]


class YearCache:
    """Derived quantities of one year, each kept with the input arrays it was computed from."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[object, ...], np.ndarray]] = {}

    def get(self, name: str, deps: tuple[object, ...], compute: Callable[[], np.ndarray]) -> np.ndarray:
        """``name``'s value, recomputed with ``compute`` unless cached for these very ``deps`` arrays."""
        hit = self._entries.get(name)
        if hit is not None and len(hit[0]) == len(deps) and all(a is b for a, b in zip(hit[0], deps, strict=True)):
            return hit[1]
        value = compute()
        self._entries[name] = (deps, value)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def next_year(self, world: World) -> YearCache:
        """A cache for the coming year, keeping the values whose input arrays are still the world's.

        For example shared memberships, unchanged until institutions move in step 7.
        """
        current = {id(v) for v in world.values().values() if isinstance(v, np.ndarray)}
        nxt = YearCache()
        nxt._entries = {
            name: (deps, value) for name, (deps, value) in self._entries.items()
            if all(id(d) in current for d in deps if isinstance(d, np.ndarray))
        }
        return nxt


def _cached(world: World, name: str, deps: tuple[object, ...], compute: Callable[[], np.ndarray]) -> np.ndarray:
    cache = world.cache
    return compute() if cache is None else cache.get(name, deps, compute)


# --------------------------------------------------------------------------------------------
# Power


def proximity(static: Static, params: Params) -> np.ndarray:
    """(N,N) loss-of-strength factor exp(-distance / decay); 1 on the diagonal."""
    return np.exp(-static.distance_km / params.distance_decay_km)


def capability(world: World, params: Params) -> np.ndarray:
    """(R,N) capability share: weighted mix of military-stock and GDP shares (CINC-style)."""
    return _cached(world, "capability", (world.mil_stock, world.gdp, params),
                   lambda: capability_share(world.mil_stock, world.gdp, params))


def capability_share(mil_stock: np.ndarray, gdp: np.ndarray, params: Params) -> np.ndarray:
    """(R,N) capability: weighted shares of the region's military stock and GDP."""
    w = params.capability_military_weight
    mil = mil_stock / np.maximum(mil_stock.sum(axis=1, keepdims=True), 1e-12)
    eco = gdp / gdp.sum(axis=1, keepdims=True)
    return w * mil + (1.0 - w) * eco


def major_power(world: World, params: Params, cap: np.ndarray | None = None) -> np.ndarray:
    """(R,N) major-power flag: the scenario's setting, else a capability share above a threshold."""
    cap = capability(world, params) if cap is None else cap
    derived = cap >= params.major_power_share
    override = world.static.major_override
    return np.where(override < 0, derived, override == 1)


# --------------------------------------------------------------------------------------------
# Relations


def dependence(trade: np.ndarray, gdp: np.ndarray) -> np.ndarray:
    """(R,N,N) i's dependence on trade with j: trade_ij / gdp_i."""
    return trade / gdp[:, :, None]


def rivalry(stakes: np.ndarray, animosity: np.ndarray) -> np.ndarray:
    """(R,N,N) bool: the pair have a quarrel (a stake on either side, or animosity)."""
    return (stakes > 0) | (np.swapaxes(stakes, -1, -2) > 0) | (animosity > 0)


def rival_pairs(world: World) -> np.ndarray:
    """:func:`rivalry` of the world's stakes and animosity (cached: several mechanisms read it each year)."""
    return _cached(world, "rivalry", (world.stakes, world.animosity), lambda: rivalry(world.stakes, world.animosity))


def md_exposure(strike: np.ndarray, rival: np.ndarray) -> np.ndarray:
    """(R,N,N) how much j's missile defence threatens i's deterrent: i's strike force, if rivals.

    Zero when i has no strike force or no quarrel with j, so a defence deployed by a state
    with no rival in range changes nothing.
    """
    return strike[None, :, None] * rival


# --------------------------------------------------------------------------------------------
# Institutions: shared memberships, cohesion, strength, commitments


def max_shared(members: np.ndarray, strength: np.ndarray, selected: np.ndarray) -> np.ndarray:
    """(R,N,N) max over selected institutions of strength[k] for pairs that are both members.

    Compiled (:func:`secorder.kernels.pair_max`): it visits only each institution's member
    pairs, so the cost grows with the memberships rather than with K x N x N.
    """
    from secorder.kernels import pair_max

    return pair_max(members, np.asarray(strength, dtype=np.float64), np.asarray(selected, dtype=np.bool_))


def shared_membership(world: World, type_codes: tuple[int, ...]) -> np.ndarray:
    """(R,N,N) deepest shared membership among institutions of the given types (0 if none)."""
    sel = np.isin(world.static.inst_type, type_codes)
    return _cached(world, f"shared_membership{tuple(sorted(type_codes))}", (world.static, world.members, world.depth),
                   lambda: max_shared(world.members, world.depth, sel))


def shared_transparency(world: World) -> np.ndarray:
    """(R,N,N) strongest transparency x depth of a cooperative forum both belong to."""
    st = world.static
    forum = st.inst_type == FORUM_TYPE_CODE
    weight = np.where(forum, st.inst_transparency, 0.0)
    return _cached(world, "shared_transparency", (world.static, world.members, world.depth),
                   lambda: max_shared(world.members, world.depth * weight[None, :], forum))


def rule_selection(static: Static, rule: str) -> np.ndarray:
    """(K,) institutions carrying a regime rule (by rule, or by type for the two association types)."""
    by_type = {"mutual_recognition": "mutual_recognition", "defining": "regime_defining"}[rule]
    return (static.inst_regime_rule == REGIME_RULE_CODES[rule]) | (static.inst_type == INST_TYPE_CODES[by_type])


def shared_rule_depth(world: World, rule: str) -> np.ndarray:
    """(R,N,N) deepest shared membership in institutions with the given regime rule."""
    sel = rule_selection(world.static, rule)
    return _cached(world, f"shared_rule_{rule}", (world.static, world.members, world.depth),
                   lambda: max_shared(world.members, world.depth, sel))


def member_rule_depth(world: World, rule: str) -> np.ndarray:
    """(R,N) deepest membership of each state in an institution with the given regime rule."""
    sel = rule_selection(world.static, rule)
    if not sel.any():
        return np.zeros_like(world.gdp)
    return np.max(world.members[:, sel, :] * world.depth[:, sel, None], axis=1)


def pair_sum(values: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(R,K) sum over i,j of a[k,i] * values[i,j] * b[k,j], as a batched matrix product."""
    return (np.matmul(a, values) * b).sum(axis=2)


def pair_mean(values: np.ndarray, members: np.ndarray) -> np.ndarray:
    """(R,K) mean of a (R,N,N) pair variable over each institution's distinct member pairs."""
    m = members.astype(float)
    diag = np.diagonal(values, axis1=1, axis2=2)  # (R,N)
    total = pair_sum(values, m, m) - np.einsum("rkn,rn->rk", m, diag)
    cnt = m.sum(axis=2)
    pairs = cnt * (cnt - 1)
    return np.where(pairs > 0, total / np.maximum(pairs, 1), 0.0)


def member_mean(values: np.ndarray, members: np.ndarray) -> np.ndarray:
    """(R,K) mean of a (R,N) state variable over each institution's members (0 if none)."""
    cnt = members.sum(axis=2)
    return np.where(cnt > 0, np.einsum("rkn,rn->rk", members, values) / np.maximum(cnt, 1), 0.0)


def cohesion(world: World) -> np.ndarray:
    """(R,K) geometric mean of members' mean trust, mean reliability and mean satisfaction (0 if empty)."""
    return cohesion_of(world.members, world.trust, world.reliability, world.satisfaction)


def cohesion_of(members: np.ndarray, trust: np.ndarray, reliability: np.ndarray, satisfaction: np.ndarray) -> np.ndarray:
    """:func:`cohesion` from the arrays themselves.

    A geometric mean, as in composite indices such as the UNDP's Human Development Index (2010
    method): on the scale of its three components (three halves give one half, so the cohesion
    floor and ``order_cohesion`` read on that scale), and 0 when any component is 0.
    """
    product = pair_mean(trust, members) * member_mean(reliability, members) * member_mean(satisfaction, members)
    return np.cbrt(product)


def institution_strength(static: Static, members: np.ndarray, coh: np.ndarray, params: Params) -> np.ndarray:
    """(R,K) share of an institution's obligations and mediation that binds this year.

    Bilateral alliances bind fully; every other institution in proportion to its cohesion,
    and not at all below the cohesion floor or without members.
    """
    active = members.sum(axis=2) >= 2
    bilateral = (static.inst_type == BILATERAL)[None, :]
    multilateral = np.where(coh >= params.cohesion_floor, coh, 0.0)
    return np.where(active, np.where(bilateral, 1.0, multilateral), 0.0)


def commitments(world: World) -> np.ndarray:
    """(R,N,N) directed commitment of i to defend j against an outsider.

    The strongest alliance obligation linking them, each weighted by how much of the alliance
    binds this year (its strength), and any commitment formed by alignment.
    """
    return _cached(world, "commitments", (world.static, world.members, world.strength, world.aligned),
                   lambda: np.maximum(_alliance_commitments(world), world.aligned))


def _alliance_commitments(world: World) -> np.ndarray:
    st = world.static
    is_alliance = np.isin(st.inst_type, ALLIANCE_TYPE_CODES)
    shape = world.aligned.shape  # (R,N,N)
    if not is_alliance.any():
        return np.zeros(shape)
    from secorder.kernels import pair_max_weighted

    # i's obligation to the alliance, as much of it as binds: the row of each member pair (i, j)
    ob = st.inst_obligation * world.strength[:, :, None]  # (R,K,N)
    commit = pair_max_weighted(world.members, ob, is_alliance)
    n = st.n_states
    commit[:, np.arange(n), np.arange(n)] = 0.0
    return commit


def allied(world: World) -> np.ndarray:
    """(R,N,N) bool: the pair share an alliance (either direction)."""
    c = commitments(world)
    return (c > 0) | (np.swapaxes(c, 1, 2) > 0)


def effective_target(static: Static) -> np.ndarray:
    """(K,) whom each institution's obligation is aimed at.

    Alliances at outsiders, collective security at any aggressor, others as the scenario says
    ('none' means no military obligation).
    """
    target = static.inst_target.copy()
    alliance = np.isin(static.inst_type, ALLIANCE_TYPE_CODES)
    target[alliance & (target == TARGET_CODES["none"])] = TARGET_CODES["outside"]
    target[static.inst_type == INST_TYPE_CODES["collective_security"]] = TARGET_CODES["any_member"]
    return target


def coalition_commitment(world: World, r: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """(F,N) commitment of each state k to defend target j[f] against challenger i[f] in run r[f].

    An institution obliges its members to defend a member target if it is aimed at outsiders
    and the challenger is not a member (alliances, collective defence), or at any aggressor
    (collective security; a forum or association given "teeth"). Each obligation is scaled by
    the institution's strength; alignment commitments add to it. Neither party defends itself.
    """
    st = world.static
    target = effective_target(st)
    from secorder.kernels import coalition_max

    commit = np.ascontiguousarray(world.aligned[r, :, j], dtype=np.float64)  # (F,N) k -> j, a copy
    r, i, j = (np.asarray(x, dtype=np.int64).reshape(-1) for x in (r, i, j))
    coalition_max(commit, world.members, world.strength, st.inst_obligation, target != TARGET_CODES["none"],
                  target == TARGET_CODES["outside"], r, i, j)
    f = np.arange(r.size)
    commit[f, i] = 0.0
    commit[f, j] = 0.0
    return commit


def handled_counts(world: World) -> np.ndarray:
    """(R,K) crises each institution ended itself (prevention or mediation) this year."""
    from secorder.kernels import code_counts

    return _cached(world, "handled_counts", (world.handled_by,),
                   lambda: code_counts(np.ascontiguousarray(world.handled_by), world.static.n_institutions))


# --------------------------------------------------------------------------------------------
# Threat


def md_gap(missile_defense: np.ndarray, weight: float) -> np.ndarray:
    """(R,N) extra weight on a state's spending in its rivals' threat: weight * md / (1 - md)."""
    md = np.clip(missile_defense, 0.0, 0.95)
    return weight * md / (1.0 - md)


def threat_weights(world: World, params: Params) -> np.ndarray:
    """(R,N,N) weight of j's spending in i's perceived threat."""
    prox = proximity(world.static, params)[None]
    rival = rival_pairs(world)
    gap = md_gap(world.missile_defense, params.arms_md_gap)[:, None, :]
    exposure = md_exposure(world.static.strike, rival)
    w = world.belief * prox * (1.0 - world.trust) * (1.0 + gap * exposure)
    binding = shared_membership(world, SECURITY_TYPE_CODES)
    return w * (1.0 - params.arms_binding_damping * binding)


def perceived_threat(world: World, params: Params) -> np.ndarray:
    """(R,N) net threat T_i in bn USD: weighted rivals' spending less credible allied help."""
    w = threat_weights(world, params)
    raw = np.einsum("rij,rj->ri", w, world.milex)
    commit = commitments(world)  # commit[r, k, i]: k defends i
    prox = proximity(world.static, params)[None]
    help_ = np.einsum("rki,rk,rk->ri", commit * prox, world.reliability, world.milex)
    return np.maximum(raw - params.arms_ally_substitution * help_, 0.0)
