"""The kind of security order, read each run-year from observables (O1, O2, O3, O5).

Kinds, checked from the most to the least demanding; the first that holds is the order:

Coverage counts the region's *pairs* of states an institution spans (see :func:`coverage`).

1. ``security_community`` -- an institution whose members form a detected pluralistic security
   community (step 5) and span at least ``order_coverage`` of the region's pairs;
2. ``collective_security`` -- a collective-security organisation (or a forum with teeth) with
   cohesion >= ``order_cohesion`` covering the region;
3. ``common_security`` -- a regime-defining association with cohesion >= ``order_cohesion``
   covering the region (a common security association);
4. ``concert`` -- a concert with cohesion >= ``order_cohesion`` that includes at least three
   quarters of the major powers;
5. ``hegemonic`` -- the leading state holds >= ``hegemony_share`` of capability, is committed
   to >= ``hegemony_network`` of the other states that do not see it as a threat (hub and
   spokes: clients, not a rival it has a pact with), and is not balanced: the states that see
   it as a threat (belief above even odds) are not, together, at parity with it (within
   ``parity_band``, the parity band of power-transition theory);
6. ``balance_of_power`` -- none of the above.

``layered`` marks a hegemonic or balance-of-power order with multilateral layers on top: an
active cooperative forum, concert, association or collective-security body covering the
region, whatever its cohesion (O5's "layered mixture"). The ``order_index`` runs from balance
of power (0) to community (1): the mean of mean trust, one minus the mean belief that others
are aggressive, and the share of pairs trusting above the community threshold.

Nothing here is scripted by the architecture: the same observables are read in every run.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import capability, commitments, major_power
from secorder.params import Params
from secorder.world import INST_TYPE_CODES, TARGET_CODES, World

ORDER_KINDS = (
    "balance_of_power", "hegemonic", "concert", "common_security", "collective_security", "security_community",
)
ORDER_CODE = {k: c for c, k in enumerate(ORDER_KINDS)}
THREAT_BELIEF = 0.5  # a belief that a state is aggressive above even odds reads it as a threat (as in onset)
MULTILATERAL = tuple(
    INST_TYPE_CODES[t] for t in
    ("cooperative_forum", "concert", "collective_security", "regime_defining", "mutual_recognition")
)


def coverage(world: World) -> np.ndarray:
    """(R,K) share of the region's pairs of states that are pairs of members.

    An order is a pattern of relations between the region's states, so an institution orders
    the region in proportion to the relations it spans: m members of n states span
    m(m-1) / (n(n-1)) of the pairs. A two-member arrangement in a four-state region spans one
    pair in six, not half the region (counting states would read a community of two as the
    region's order).
    """
    n = world.n_states
    m = world.members.sum(axis=2).astype(float)
    return m * (m - 1) / max(n * (n - 1), 1)


def threatened_by(world: World, leader: np.ndarray) -> np.ndarray:
    """(R,N) states that believe the run's leading state more likely aggressive than not."""
    runs = np.arange(world.n_runs)
    return world.belief[runs, :, leader] > THREAT_BELIEF


def collective_security_like(world: World) -> np.ndarray:
    """(K,) collective-security organisations, and forums or associations given teeth."""
    st = world.static
    cs = st.inst_type == INST_TYPE_CODES["collective_security"]
    teeth = (st.inst_target == TARGET_CODES["any_member"]) & (st.inst_obligation.max(axis=1) > 0)
    return cs | teeth


def classify(world: World, params: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(R,) order code, (R,) layered flag and (R,) order index for the current year."""
    st = world.static
    cov = coverage(world)
    wide = cov >= params.order_coverage
    cohesive = world.cohesion >= params.order_cohesion
    major = major_power(world, params)

    community = (world.community & wide).any(axis=1)
    cs = (collective_security_like(world)[None, :] & cohesive & wide).any(axis=1)
    rd = ((st.inst_type == INST_TYPE_CODES["regime_defining"])[None, :] & cohesive & wide).any(axis=1)
    concert_type = st.inst_type == INST_TYPE_CODES["concert"]
    majors_in = np.einsum("rkn,rn->rk", world.members.astype(float), major.astype(float)) / np.maximum(
        major.sum(axis=1, keepdims=True), 1)
    concert = (concert_type[None, :] & cohesive & (majors_in >= 0.75)).any(axis=1)

    cap = capability(world, params)
    leader = cap.argmax(axis=1)
    runs = np.arange(world.n_runs)
    commit = commitments(world)[runs, leader, :]  # leader -> others
    wary = threatened_by(world, leader)
    wary[runs, leader] = False
    # hub and spokes: the leader's clients, states it is committed to that do not fear it ...
    network = ((commit > 0) & ~wary).sum(axis=1) / max(world.n_states - 1, 1)
    # ... and unbalanced: the states that fear it are not, together, at parity with it
    unbalanced = cap[runs, leader] > params.parity_band * (cap * wary).sum(axis=1)
    hegemonic = (cap[runs, leader] >= params.hegemony_share) & (network >= params.hegemony_network) & unbalanced

    code = np.full(world.n_runs, ORDER_CODE["balance_of_power"], dtype=np.int8)
    for flag, kind in (
        (hegemonic, "hegemonic"), (concert, "concert"), (rd, "common_security"),
        (cs, "collective_security"), (community, "security_community"),
    ):  # later (more demanding) kinds override earlier ones
        code[flag] = ORDER_CODE[kind]
    multilateral = np.isin(st.inst_type, MULTILATERAL)[None, :] & wide & (world.members.sum(axis=2) >= 2)
    layered = (code <= ORDER_CODE["hegemonic"]) & multilateral.any(axis=1)
    return code, layered, order_index(world, params)


def order_index(world: World, params: Params) -> np.ndarray:
    """(R,) 0 = balance of power .. 1 = community, from trust and threat perception."""
    n = world.n_states
    off = ~np.eye(n, dtype=bool)
    trust = np.ascontiguousarray(world.trust[:, off])  # contiguous: same sums whatever the batch size
    belief = np.ascontiguousarray(world.belief[:, off])
    return (trust.mean(axis=1) + (1.0 - belief.mean(axis=1)) + (trust >= params.community_trust).mean(axis=1)) / 3.0
