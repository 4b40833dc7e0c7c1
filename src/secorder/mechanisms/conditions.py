"""Step 6c -- the four F2 conditions of a regional regime, computed every year from the run.

For every institution's charter (the states it lists; a potential regime's prospective
members) and for the whole region, each year:

- **(a) arrangements**: the share of charter pairs that already share a security institution
  (existing arrangements that can evolve).
- **(b) interdependence**: the charter pairs' mean trade dependence (the lower side's
  trade / GDP, against ``interdependence_reference``); trade moves with GDP and disputes
  (step 3), so the condition does too. No trade, no interdependence.
- **(c) common threat**: ``1 - (1 - transnational)(1 - adversary)``. *Transnational*: the
  regional threat level, weighted up by the share of charter states hit by a threat event this
  year. *Adversary*: the strongest common hostility of the charter toward one outside state,
  the charter states' mean hostility toward it, where hostility is the belief that it is
  aggressive where the pair quarrel, or animosity; at least ``hostility_dispute`` after a
  fatal dispute last year, 1 after a war (Jervis 1985: concerts form among the powers that fought a would-be hegemon). A
  region-wide charter has no outsider, so only transnational threats count.
- **(d) support of the key actors** = sqrt(leadership x willingness):
  - *leadership*: the chance the most willing major power of the charter sponsors it. Each
    major power's gain from sponsoring is the threat it shares with the others, its trade
    dependence on them and its trust in them, less its hub-and-spoke alternative (the share
    of the charter it already holds in bilateral alliances; a regime dilutes that control)
    and the cost of leading; the chance is logistic in that net gain. A charter without a
    major power looks to its most capable state.
  - *willingness to accept rules*: the charter states' mean readiness to be bound: higher for
    governments whose authority is challenged (regime security, R1; 10 x the coup/challenge
    hazard) and with cooperative norms, lower with the sovereignty cost of the institution's
    obligations and formality, a cost that weighs less on states whose norms are cooperative.

A scenario's own settings enter only through the state they start from (the threat level,
trade, trust, norms, alliances); nothing here is an input constant.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import (
    BILATERAL,
    capability,
    dependence,
    major_power,
    rivalry,
    shared_membership,
)
from secorder.mechanisms.institutions import regime_value
from secorder.params import Params
from secorder.scenario.schema import FORMS
from secorder.world import (
    CONDITIONS,
    INST_TYPE_CODES,
    OUTCOME,
    SECURITY_TYPE_CODES,
    StateVar,
    World,
)

__all__ = [
    "CONDITIONS", "STATE", "charter_forms", "charters", "common_threat", "form_preference", "hostility",
    "interdependence", "leadership", "redundancy", "state_values", "step", "willingness", "yearly_conditions",
]

STATE = (
    StateVar("conditions", ("runs", len(CONDITIONS)), float, 0.0,
             "F2 conditions of the first potential regime (else the whole region): arrangements, "
             "interdependence, threat, support, leadership, willingness"),
    StateVar("inst_conditions", ("runs", "institutions", len(CONDITIONS)), float, 0.0,
             "F2 conditions of each institution's charter"),
    StateVar("inst_value", ("runs", "institutions", "states"), float, 0.0,
             "each charter state's value of each institution (it accepts or stays while positive)"),
)


def charters(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(M,N) charter sets: every institution's charter, then the whole region; and their (M,) obligation, informality.

    The whole region is judged as a consensus forum would be: no obligation, informality 0.5.
    """
    st = world.static
    sets = np.vstack([st.inst_charter, np.ones((1, st.n_states), dtype=bool)])
    obligation = np.append(st.inst_obligation.max(axis=1) if st.n_institutions else np.zeros(0), 0.0)
    informality = np.append(st.inst_informality, 0.5)
    return sets, obligation, informality


def charter_forms(world: World) -> np.ndarray:
    """(M,) the form (index in ``FORMS``, -1 for economic) of every institution, then the region's (a forum)."""
    return np.append(world.static.inst_form, FORMS.index("forum")).astype(int)


def form_preference(world: World, forms: np.ndarray) -> np.ndarray:
    """(M,N) each state's preference (-1..1) for the form of each charter's arrangement (0 for economic)."""
    pref = world.static.form_preference  # (N,F)
    return np.where(forms[:, None] >= 0, pref[:, np.maximum(forms, 0)].T, 0.0)


def _pairs(sets: np.ndarray) -> np.ndarray:
    """(M,N,N) ordered pairs of distinct charter states."""
    n = sets.shape[1]
    return sets[:, :, None] & sets[:, None, :] & ~np.eye(n, dtype=bool)[None]


def _pair_mean(values: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """(R,M) mean of (R,N,N) values over each charter's pairs (0 for a charter of one)."""
    npairs = np.maximum(pairs.sum(axis=(1, 2)), 1)
    return np.einsum("rij,mij->rm", values, pairs.astype(float)) / npairs


def interdependence(world: World, params: Params, pairs: np.ndarray) -> np.ndarray:
    """(R,M) condition (b): mean over charter pairs of the lower side's trade dependence, capped at 1."""
    dep = dependence(world.trade, world.gdp)
    lower = np.minimum(dep, np.swapaxes(dep, 1, 2))
    return _pair_mean(np.minimum(lower / params.interdependence_reference, 1.0), pairs)


def hostility(world: World, params: Params) -> np.ndarray:
    """(R,N,N) how hostile i is toward j, 0-1: belief in a quarrel, animosity, last year's fighting.

    A war last year counts fully, a fatal dispute as ``hostility_dispute``.
    """
    quarrel = rivalry(world.stakes, world.animosity)
    fought = np.maximum(world.fought_last, np.swapaxes(world.fought_last, 1, 2))
    h = np.clip(np.maximum(world.belief * quarrel, world.animosity), 0.0, 1.0)
    h = np.where(fought >= OUTCOME["dispute"], np.maximum(h, params.hostility_dispute), h)
    return np.where(fought >= OUTCOME["war"], 1.0, h)


def common_threat(world: World, sets: np.ndarray, hostile: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Condition (c) of each charter, (R,M), with its parts.

    Also returns (R,M,N) each outsider's mean hostility from the charter (0 for insiders) and
    (R,M) the transnational part.
    """
    size = np.maximum(sets.sum(axis=1), 1)
    hit_share = (world.threat_hit[:, None, :] & sets[None]).sum(axis=2) / size  # (R,M)
    transnational = world.threat[:, None] * (0.5 + 0.5 * hit_share)
    toward = np.einsum("rik,mi->rmk", hostile, sets.astype(float)) / size[None, :, None]
    toward = toward * ~sets[None]  # only outsiders are common adversaries
    adversary = toward.max(axis=2)
    transnational = np.clip(transnational, 0.0, 1.0)
    return 1.0 - (1.0 - transnational) * (1.0 - adversary), toward, transnational


def charter_trust(world: World, pairs: np.ndarray) -> np.ndarray:
    """(R,M,N) each state's mean trust in the other states of each charter."""
    return np.einsum("rij,mij->rmi", world.trust, pairs.astype(float)) / np.maximum(pairs.sum(axis=2), 1)[None]


def shared_threat(hostile: np.ndarray, toward: np.ndarray, sets: np.ndarray) -> np.ndarray:
    """(R,M,N) the threat i shares with each charter: an outsider both it and the other charter states fear.

    max over outsiders k of min(h_ik, mean of h_jk over the other charter states j); one charter
    at a time to keep memory at R x N x N.
    """
    size = sets.sum(axis=1)
    out = np.empty(toward.shape[:2] + (hostile.shape[1],))
    for m in range(toward.shape[1]):
        total = toward[:, m, :] * max(size[m], 1)  # (R,K): sum of the charter's hostility toward each state
        others = (total[:, None, :] - hostile * sets[m][None, :, None]) / max(size[m] - 1, 1)
        out[:, m] = (np.minimum(hostile, others) * ~sets[m][None, None, :]).max(axis=2)
    return out


BINDING_FORMS = tuple(FORMS.index(f) for f in ("bilateral", "multilateral_alliance", "concert",
                                                  "collective_security"))
# transnational threats (terrorism, piracy, disasters) are what forums and regimes work on (F2c);
# alliances, concerts and collective security answer a state's military threat
TRANSNATIONAL_FORMS = tuple(FORMS.index(f) for f in ("forum", "regime"))
BINDING_TYPE_CODES = tuple(INST_TYPE_CODES[t] for t in ("bilateral_alliance", "collective_defense", "concert",
                                                        "collective_security"))


def binding_pairs(world: World) -> np.ndarray:
    """(R,N,N) number of binding arrangements (alliances, concerts, collective bodies) each pair shares."""
    sel = np.isin(world.static.inst_type, BINDING_TYPE_CODES)
    m = world.members[:, sel, :].astype(np.float32)
    return np.einsum("rki,rkj->rij", m, m)


def redundancy(world: World, pairs: np.ndarray) -> np.ndarray:
    """(R,M,N) share of each charter's other states i already shares a binding arrangement with, besides it.

    A new alliance with partners one is already allied to adds little protection; an
    institution's own membership does not count toward itself.
    """
    sel = np.isin(world.static.inst_type, BINDING_TYPE_CODES)
    m = world.members[:, sel, :].astype(np.float32)
    count = binding_pairs(world)
    k_of = np.flatnonzero(sel)
    out = np.empty((world.n_runs, pairs.shape[0], world.n_states))
    denom = np.maximum(pairs.sum(axis=2), 1)
    for c in range(pairs.shape[0]):
        own = count
        if c < world.static.n_institutions and sel[c]:
            mine = m[:, int(np.searchsorted(k_of, c)), :]
            own = count - mine[:, :, None] * mine[:, None, :]
        out[:, c] = ((own > 0) & pairs[c][None]).sum(axis=2) / denom[c]
    return out


def state_values(world: World, params: Params, sets: np.ndarray, pairs: np.ndarray, hostile: np.ndarray,
                 toward: np.ndarray,
                 transnational: np.ndarray, obligation: np.ndarray, informality: np.ndarray,
                 preference: np.ndarray, forms: np.ndarray) -> np.ndarray:
    """(R,M,N) each state's value of each charter's arrangement (the decision rule to accept, join or stay).

    The threat it shares with the charter (a common outside adversary; for a forum or a regime
    transnational threats too; for a binding arrangement also its own threat from outsiders no
    other charter state is bound to, times the share of the charter's capability the others
    bring), less the share of it already met by binding
    arrangements with the same partners (for the binding forms); its trust in the other charter
    states (above or below 0.5); the regime-security value of a regime rule to an insecure
    government (R1, institutions only); less the sovereignty cost of the arrangement's
    obligations and formality for a state of uncooperative norms; plus its preference over the
    arrangement's form.
    """
    shared = shared_threat(hostile, toward, sets)
    # a weaker member values protection against its own threats, in proportion to what the others add
    # (the asymmetric alliance: security for autonomy, Morrow 1991)
    # (not against an outsider another charter state is itself bound to: it would not fight its own ally)
    bound = binding_pairs(world) > 0  # (R,N,N)
    own = np.stack([(hostile * (~sets[m][None, :] & ~bound[:, sets[m], :].any(axis=1))[:, None, :]).max(axis=2)
                    for m in range(sets.shape[0])], axis=1)
    cap = capability(world, params)  # (R,N)
    total = (cap[:, None, :] * sets[None]).sum(axis=2)  # (R,M); no BLAS: same sums in any batch
    help_ = np.clip(1.0 - cap[:, None, :] / np.maximum(total[:, :, None], 1e-12), 0.0, 1.0)
    security = np.where(np.isin(forms, BINDING_FORMS)[None, :, None], np.maximum(shared, own * help_), shared)
    functional = np.isin(forms, TRANSNATIONAL_FORMS)[None, :, None]
    threat = np.where(functional, 1.0 - (1.0 - transnational[:, :, None]) * (1.0 - shared), security)
    covered = np.where(np.isin(forms, BINDING_FORMS)[None, :, None], redundancy(world, pairs), 0.0)
    sovereignty = (obligation + (1.0 - informality))[None, :, None] * (1.0 - world.norms[:, None, :])
    rv = np.zeros_like(threat)
    rv[:, :-1] = regime_value(world, params)  # the region-wide charter carries no rule
    return (params.form_threat_weight * threat * (1.0 - covered) + (charter_trust(world, pairs) - 0.5) + rv
            - params.willingness_sovereignty_cost * sovereignty + params.form_preference_weight * preference[None])


def leadership(world: World, params: Params, sets: np.ndarray, pairs: np.ndarray, hostile: np.ndarray,
               toward: np.ndarray, sponsor_value: np.ndarray | None = None) -> np.ndarray:
    """(R,M) condition (d1): the largest chance that a key actor of the charter sponsors it.

    ``sponsor_value`` (R,M,N), if given, is added to each state's net gain (e.g. its preference
    over the institution's form).
    """
    denom = np.maximum(pairs.sum(axis=2), 1)[None]  # number of other charter states
    dep = np.minimum(dependence(world.trade, world.gdp) / params.interdependence_reference, 1.0)
    inter = np.einsum("rij,mij->rmi", dep, pairs.astype(float)) / denom
    trust = charter_trust(world, pairs)
    shared = shared_threat(hostile, toward, sets)
    bilateral = (shared_membership(world, (BILATERAL,)) > 0).astype(float)
    hub = np.einsum("rij,mij->rmi", bilateral, pairs.astype(float)) / denom
    gain = (params.leadership_threat_weight * shared + params.leadership_trade_weight * inter
            + (trust - 0.5) - params.leadership_hub_weight * hub - params.leadership_cost)
    if sponsor_value is not None:
        gain = gain + sponsor_value
    p = 1.0 / (1.0 + np.exp(-params.leadership_slope * gain))
    cap = capability(world, params)
    major = major_power(world, params, cap)
    key = major[:, None, :] & sets[None]
    strongest = np.where(sets[None], cap[:, None, :], -np.inf)
    fallback = strongest == strongest.max(axis=2, keepdims=True)
    key = np.where(key.any(axis=2, keepdims=True), key, fallback & sets[None])
    return np.where(key, p, 0.0).max(axis=2)


def state_willingness(world: World, params: Params, obligation: np.ndarray, informality: np.ndarray) -> np.ndarray:
    """(R,M,N) each state's readiness, 0-1, to accept the rules of each charter's institution."""
    norms = world.norms[:, None, :]
    sovereignty = (obligation + (1.0 - informality))[None, :, None] * (1.0 - norms)
    w = (0.5 + params.willingness_regime_security * 10.0 * world.hazard[:, None, :]
         + params.willingness_norms * (norms - 0.5) - params.willingness_sovereignty_cost * sovereignty)
    return np.clip(w, 0.0, 1.0)


def willingness(world: World, params: Params, sets: np.ndarray, obligation: np.ndarray,
                informality: np.ndarray) -> np.ndarray:
    """(R,M) condition (d2): the charter states' mean willingness to accept the rules."""
    w = state_willingness(world, params, obligation, informality)
    return (w * sets[None]).sum(axis=2) / np.maximum(sets.sum(axis=1), 1)[None]


def conditions_and_values(world: World, params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Conditions and values of every charter (institutions, then the whole region).

    Returns (R,M,6) the conditions in ``CONDITIONS`` order and (R,M,N) every state's value of
    each charter's arrangement.
    """
    sets, obligation, informality = charters(world)
    pairs = _pairs(sets)
    forms = charter_forms(world)
    preference = form_preference(world, forms)  # (M,N)
    arrangements = _pair_mean(shared_membership(world, SECURITY_TYPE_CODES).astype(float), pairs)
    inter = interdependence(world, params, pairs)
    hostile = hostility(world, params)
    threat, toward, transnational = common_threat(world, sets, hostile)
    # a major power's own preference over the form enters its gain from sponsoring
    lead = leadership(world, params, sets, pairs, hostile, toward, params.form_preference_weight * preference[None])
    will = willingness(world, params, sets, obligation, informality)
    support = np.sqrt(lead * will)
    values = state_values(world, params, sets, pairs, hostile, toward, transnational, obligation, informality, preference,
                          forms)
    return np.stack([arrangements, inter, threat, support, lead, will], axis=2), values


def yearly_conditions(world: World, params: Params) -> np.ndarray:
    """(R,M,6) the conditions of every charter (institutions, then the whole region), in ``CONDITIONS`` order."""
    return conditions_and_values(world, params)[0]


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Compute the F2 conditions and the states' values of every institution's charter (step 6c)."""
    c, values = conditions_and_values(world, params)
    potential = np.flatnonzero(world.static.inst_potential)
    headline = c[:, potential[0]] if potential.size else c[:, -1]
    return {"conditions": headline, "inst_conditions": c[:, :-1], "inst_value": values[:, :-1]}
