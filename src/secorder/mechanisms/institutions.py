"""Step 7 -- institution dynamics: depth, cohesion, formation of a new regime, accession, exit.

- **Depth** grows with crises among members the institution helped end peacefully and with
  functional cooperation (members hit by shared transnational threats, weighted by their
  interdependence: spill-over), falls with crises among members that ended in a fatal dispute
  or war, and decays slowly without use. Institutions with a regime rule deepen further with
  their members' regime insecurity (R4: the same wish for regime security drives the move from
  non-interference to active cooperation).
- **Cohesion** = geometric mean of members' mean pairwise trust, mean reliability and mean satisfaction, each
  year. A multilateral institution's obligations and mediation bind in proportion to its
  cohesion and vanish below the cohesion floor (its *strength*); a bilateral alliance's bind
  fully (its members' reliability already discounts them).
- **Formation.** A scenario may list a ``potential`` regime (its members are the charter).
  Each year it forms with a logistic probability in the four feasibility conditions of F2,
  computed from the run for its charter by step 6c (:mod:`secorder.mechanisms.conditions`):
  (a) existing arrangements among the charter states, (b) their interdependence, (c) common
  threat, (d) support of the key actors (leadership and willingness to accept rules).
- **Formation by decision.** Whether the charter states would build it: each values it (step 6c:
  shared threat, trust, regime security, sovereignty cost, preference over its form); in a year
  with an initiative (the F2 chance above) it forms with the states that accept (value above 0)
  if they reach the quorum of its form (``quorum_*``) and include its leader and, for a concert,
  every major power of the charter.
- **Accession and exit** follow each institution's decision rule: a charter state outside an
  institution whose value to it is not negative joins with a chance rising with its worth to it (satisfaction, and the
  regime-security value of a regime rule for an insecure government, R1), if the deciding
  members trust it enough (all of them under consensus, on average under majority, the leader
  under hegemon). A member of a binding institution (one with obligations, or a concert) whose
  cohesion has fallen under the floor may leave, and so may a member whose value of it has turned
  negative (``leave_rate``; also either partner of a bilateral alliance, which then ends);
  dialogue forums and economic institutions bind no one and lose no members.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import (
    BILATERAL,
    coalition_commitment,
    cohesion,
    cohesion_of,
    dependence,
    effective_target,
    handled_counts,
    institution_strength,
    major_power,
    member_mean,
    pair_mean,
    pair_sum,
)
from secorder.mechanisms.base import institution_draw
from secorder.params import Params
from secorder.scenario.schema import FORMS
from secorder.world import (
    ALLIANCE_TYPE_CODES,
    CONDITIONS,
    DECISION_CODES,
    INST_TYPE_CODES,
    OUTCOME,
    REGIME_RULE_CODES,
    Setup,
    StateVar,
    World,
)

__all__ = [
    "CONDITIONS", "STATE", "coalition_commitment", "cohesion", "crisis_record", "deciding_trust", "effective_target",
    "formation_probability", "functional_cooperation", "handled_counts",
    "institution_strength", "new_depth", "pair_sum", "regime_value", "step",
]


def initial_members(setup: Setup) -> np.ndarray:
    """(K,N) the scenario's members of each institution; a potential regime and a design's slot start empty."""
    return setup.static.inst_charter & ~(setup.static.inst_potential | setup.static.inst_planned)[:, None]


def initial_depth(setup: Setup) -> np.ndarray:
    return np.array([i.depth for i in setup.scenario.institutions], dtype=float).reshape(setup.static.n_institutions)


def initial_cohesion(setup: Setup) -> np.ndarray:
    return cohesion_of(setup["members"][None], setup["trust"][None], setup["reliability"][None],
                       setup["satisfaction"][None])[0]


def initial_strength(setup: Setup) -> np.ndarray:
    return institution_strength(setup.static, setup["members"][None], setup["cohesion"][None], setup.params)[0]


STATE = (
    StateVar("members", ("runs", "institutions", "states"), bool, initial_members, "membership of each institution"),
    StateVar("depth", ("runs", "institutions"), float, initial_depth, "institutional depth, 0-1"),
    StateVar("cohesion", ("runs", "institutions"), float, initial_cohesion,
             "geometric mean of members' mean trust, reliability and satisfaction"),
    StateVar("strength", ("runs", "institutions"), float, initial_strength,
             "how much of each institution's obligation binds this year"),
)



def crisis_record(world: World) -> tuple[np.ndarray, np.ndarray]:
    """(R,K) last year's successes and failures of each institution.

    Success: a crisis the institution ended itself (forum prevention, concert mediation), or,
    for an alliance, an outsider's challenge to a member that ended in deterrence. Failure: a
    crisis between members (for an alliance: against a member by an outsider) that ended in a
    fatal dispute or war.
    """
    m = world.members.astype(float)
    alliance = np.isin(world.static.inst_type, ALLIANCE_TYPE_CODES)
    challenger_side = np.where(alliance[None, :, None], 1.0 - m, m)
    fought = (world.crisis & (world.outcome >= OUTCOME["dispute"])).astype(float)
    deterred = (world.crisis & (world.outcome == OUTCOME["deterrence"])).astype(float)
    success = np.where(alliance[None, :], pair_sum(deterred, 1.0 - m, m), handled_counts(world))
    return success, pair_sum(fought, challenger_side, m)


def functional_cooperation(world: World, params: Params) -> np.ndarray:
    """(R,K) members' shared threat exposure x their interdependence (capped at 1)."""
    dep = dependence(world.trade, world.gdp)
    lower = np.minimum(dep, np.swapaxes(dep, 1, 2))
    inter = np.minimum(pair_mean(lower, world.members) / params.interdependence_reference, 1.0)
    hit = member_mean(world.threat_hit.astype(float), world.members)
    return hit * inter


def new_depth(world: World, params: Params) -> np.ndarray:
    """(R,K) depth after this year's successes, failures, spill-over and decay."""
    st = world.static
    depth = world.depth.copy()
    regime_rule = (st.inst_regime_rule != REGIME_RULE_CODES["none"])[None, :]
    hazard = member_mean(world.hazard, world.members)
    functional = functional_cooperation(world, params)
    ok, bad = crisis_record(world)
    depth += params.depth_success_gain * ok - params.depth_failure_loss * bad
    room = 1.0 - world.depth
    depth += params.depth_spillover * functional * room
    depth += params.depth_spillover * params.depth_regime_security * 10.0 * hazard * regime_rule * room
    depth -= params.depth_decay * world.depth
    active = world.members.sum(axis=2) >= 2
    return np.where(active, np.clip(depth, 0.0, 1.0), world.depth)


def formation_probability(conditions: np.ndarray, params: Params) -> np.ndarray:
    """(R,) yearly chance a potential regime forms, logistic in the four conditions (a)-(d).

    ``conditions`` is (R, 4) or wider (the first four columns are used: leadership and
    willingness enter through (d) support).
    """
    w = np.array([
        params.formation_weight_arrangements, params.formation_weight_interdependence,
        params.formation_weight_threat, params.formation_weight_support,
    ])
    return 1.0 / (1.0 + np.exp(-(params.formation_intercept + conditions[..., :4] @ w)))


def regime_value(world: World, params: Params) -> np.ndarray:
    """(R,K,N) regime-security value of each institution to each state (R1-R3).

    A mutual-recognition rule shields an insecure government from interference; a
    regime-defining rule supports one that conforms and sanctions one that does not.
    Scaled by the government's hazard (x10), so only insecure governments weigh it much.
    """
    st = world.static
    rule = st.inst_regime_rule[None, :, None]
    conform = (world.regime >= params.regime_rule_threshold)[:, None, :]
    v = np.where(rule == REGIME_RULE_CODES["mutual_recognition"], 1.0, 0.0)
    v = v + np.where(rule == REGIME_RULE_CODES["defining"], np.where(conform, 1.0, -1.0), 0.0)
    return v * 10.0 * world.hazard[:, None, :]


def deciding_trust(world: World, q: int, candidate_trust: np.ndarray) -> np.ndarray:
    """(R,N) trust the deciding members place in each candidate, per the decision rule."""
    m = world.members[:, q, :]  # (R,N)
    rule = world.static.inst_decision[q]
    t = candidate_trust  # (R,N_member,N_candidate)
    if rule == DECISION_CODES["hegemon"] and world.static.inst_leader[q] >= 0:
        return t[:, world.static.inst_leader[q], :]
    from secorder.kernels import members_mean_rows, members_min_rows  # compiled: visit members only

    t = np.asarray(t, dtype=np.float64)
    if rule == DECISION_CODES["majority"]:
        return members_mean_rows(m, t)  # the members' mean
    return members_min_rows(m, t)  # consensus: every member must agree


QUORUM_PARAMETER = {form: f"quorum_{form}" for form in FORMS}


def accepting(world: World, params: Params, q: int) -> np.ndarray:
    """(R,N) the charter states of institution ``q`` that would accept it now (value above 0, step 6c)."""
    return world.static.inst_charter[q][None, :] & (world.inst_value[:, q, :] > 0)


def needed_members(world: World, params: Params, q: int) -> np.ndarray:
    """(R,N) the charter states without whom ``q`` cannot form: its leader; for a concert every major power."""
    st = world.static
    needed = np.zeros((world.n_runs, st.n_states), dtype=bool)
    if st.inst_leader[q] >= 0:
        needed[:, st.inst_leader[q]] = True
    if st.inst_type[q] == INST_TYPE_CODES["concert"]:
        needed |= major_power(world, params) & st.inst_charter[q][None, :]
    return needed


def quorum_met(world: World, params: Params, q: int, accept: np.ndarray) -> np.ndarray:
    """(R,) whether enough of ``q``'s charter accepts: its form's quorum share, at least two, every needed member."""
    st = world.static
    size = int(st.inst_charter[q].sum())
    form = st.inst_form[q]
    share = getattr(params, QUORUM_PARAMETER[FORMS[form]]) if form >= 0 else 0.5
    n = accept.sum(axis=1)
    return (n >= max(2, int(np.ceil(share * size - 1e-9)))) & ~(needed_members(world, params, q) & ~accept).any(axis=1)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Institutions' depth, members, cohesion and strength after this year, and new formations (step 7)."""
    st = world.static
    depth = new_depth(world, params)
    members = world.members.copy()

    # Formation of potential institutions: an initiative with the chance the F2 conditions of their
    # charter give (step 6c), then the charter states decide; it forms if the quorum accepts.
    for q in np.flatnonzero(st.inst_potential):
        unformed = members[:, q, :].sum(axis=1) < 2
        initiative = institution_draw(draws, "form", q) < formation_probability(world.inst_conditions[:, q], params)
        accept = accepting(world, params, q)
        forms = unformed & initiative & quorum_met(world, params, q, accept)
        members[forms, q, :] = accept[forms]
        depth[forms, q] = params.formation_depth

    # Accession and exit for institutions that exist (formed this year or before).
    coh_now = cohesion(world)
    value = regime_value(world, params)
    for q in range(st.n_institutions):
        alive = world.members[:, q, :].sum(axis=1) >= 2
        if not alive.any():
            continue
        accede = institution_draw(draws, "accede", q)  # (R,N), the institution's own stream
        # A state leaves a binding arrangement (an alliance, a concert, one with obligations) with a
        # chance rising with how negative its value has turned (step 6c).
        # institutionalised arrangements outlast the interests that made them (Keohane 1984): depth
        # counts for staying
        stay = world.inst_value[:, q, :] + params.leave_persistence * world.depth[:, q, None]
        leave_p = params.leave_rate * np.clip(-stay, 0.0, 1.0)
        binding = st.inst_obligation[q].max() > 0 or st.inst_type[q] == INST_TYPE_CODES["concert"]
        if st.inst_type[q] == BILATERAL:  # no accession; either partner may end it
            leaves = world.members[:, q, :] & (accede < leave_p)
            members[:, q, :] &= ~leaves
            continue
        outside = st.inst_charter[q][None, :] & ~world.members[:, q, :] & alive[:, None]
        willing = np.clip(0.5 * world.satisfaction + value[:, q, :], 0.0, 1.0)
        admitted = deciding_trust(world, q, world.trust) >= params.accession_trust
        joins = outside & admitted & (world.inst_value[:, q, :] >= 0) & (accede < params.accession_rate * willing)
        # Leaving costs little and gains little where membership binds no one (dialogue forums,
        # economic institutions); members leave binding ones that have lost their cohesion.
        weak = np.clip((params.cohesion_floor - coh_now[:, q]) / max(params.cohesion_floor, 1e-9), 0.0, 1.0)
        leave_p = binding * (leave_p + params.exit_rate * (1.0 - world.satisfaction) * weak[:, None] * (
            1.0 - np.clip(value[:, q, :], 0, 1)))
        leaves = world.members[:, q, :] & (accede < leave_p)
        members[:, q, :] = (members[:, q, :] | joins) & ~leaves

    updated = world.apply({"members": members, "depth": depth})
    coh = cohesion(updated)
    return {
        "members": members,
        "depth": depth,
        "cohesion": coh,
        "strength": institution_strength(st, members, coh, params),
    }
