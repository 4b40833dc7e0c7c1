"""Step 11a -- trust that falls: institutional failure, free-riding, broken commitments (O8, O9).

Trust in step 5 only grows with trade, shared memberships and joint threat work. Liberal
institutions can also disappoint, and members learn from it:

- *institutional failure*: a crisis between two members of a security institution that ended
  in a fatal dispute or a war shows the institution did not hold; trust between all its member
  pairs falls in proportion to its depth (the deeper the promise, the larger the letdown);
- *free-riding*: a member of an alliance or a collective arrangement that spends a smaller
  share of its GDP on defence than the members' mean loses its partners' trust in proportion to
  the shortfall;
- *broken commitments*: a state whose reliability fell this year (it stayed out when called on,
  step 10d) loses the trust of every state it had committed to defend, in proportion to the fall.

Trust stays symmetric: a pair loses the larger of the two sides' losses.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import commitments
from secorder.params import Params
from secorder.world import (
    ALLIANCE_TYPE_CODES,
    INST_TYPE_CODES,
    OUTCOME,
    SECURITY_TYPE_CODES,
    SameAs,
    StateVar,
    World,
)

COLLECTIVE = (*ALLIANCE_TYPE_CODES, INST_TYPE_CODES["collective_security"])

STATE = (
    StateVar("reliability_seen", ("runs", "states"), float, SameAs("reliability"),
             "each state's reliability as last seen after a year's crises"),
)


def failure_loss(fatal: np.ndarray, members: np.ndarray, depth: np.ndarray, security: np.ndarray) -> np.ndarray:
    """(R,N,N) trust loss share from security institutions whose members fought each other this year.

    The depth of each security institution in which a member pair had a fatal crisis, taken
    for every pair of its members (the largest such depth). Compiled: visits member pairs only.
    """
    from secorder.kernels import failed_pair_max

    return failed_pair_max(members, security, fatal, depth)


def free_riding(burden: np.ndarray, members: np.ndarray, collective: np.ndarray) -> np.ndarray:
    """(R,N,N) shortfall of j's defence burden below its co-members' mean, for pairs in a collective institution."""
    m = (members & collective[None, :, None]).astype(float)  # (R,K,N)
    count = m.sum(axis=2)
    mean = np.where(count >= 2, (m * burden[:, None, :]).sum(axis=2) / np.maximum(count, 1), 0.0)  # (R,K)
    shortfall = np.clip(1.0 - burden[:, None, :] / np.maximum(mean[:, :, None], 1e-12), 0.0, 1.0) * m  # (R,K,N)
    from secorder.kernels import pair_max_weighted

    # (R,i,j): the largest shortfall of j in an institution both belong to; the kernel takes the
    # row member's value, so it is asked for (j,i) and transposed (a view, same numbers)
    return pair_max_weighted(members, shortfall, collective).transpose(0, 2, 1)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Trust after this year's institutional failures, free-riding and broken commitments (step 11a)."""
    st = world.static
    fatal = world.outcome >= OUTCOME["dispute"]
    security = np.isin(st.inst_type, SECURITY_TYPE_CODES)
    collective = np.isin(st.inst_type, COLLECTIVE)
    fail = failure_loss(fatal, world.members, world.depth, security)
    ride = free_riding(world.milex / np.maximum(world.gdp, 1e-12), world.members, collective)
    seen = world.reliability_seen
    fall = np.clip((seen - world.reliability) / np.maximum(seen, 1e-12), 0.0, 1.0)  # (R,N)
    broken = (commitments(world) > 0) * fall[:, :, None]  # (R,k,j): k committed to j and fell
    # two pairwise maxima, not np.maximum.reduce over a list (which first stacks the three arrays)
    loss = np.maximum(np.maximum(params.failure_trust_loss * fail, params.free_riding_trust_loss * ride),
                      params.broken_commitment_trust_loss * broken)
    loss = np.clip(np.maximum(loss, np.swapaxes(loss, 1, 2)), 0.0, 1.0)
    trust = world.trust * (1.0 - loss)
    n = world.n_states
    trust[:, np.arange(n), np.arange(n)] = 1.0
    return {"trust": trust, "reliability_seen": world.reliability.copy()}
