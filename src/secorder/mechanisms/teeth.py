"""Step 7b -- the clash between a forum with teeth and the alliance (O12).

A forum (or association) given "teeth" obliges its members to act against any aggressor,
members included. An allied state in such a body that also holds its own rivals -- the states
its alliance is really aimed at -- carries two obligations that can point at each other: the
forum may oblige it to restrain its ally, or to defend its rival. Its allies discount its
commitment, and the forum's members discount the forum. Each year the state's reliability
falls, and the forum's depth with it, in proportion to the clash: the forum's obligation x
strength, for an allied member that shares the forum with a rival. A forum without teeth
(no obligation aimed at any member) does not clash; an alliance without a rival inside the
forum does not either.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import allied, effective_target, rival_pairs
from secorder.params import Params
from secorder.world import ALLIANCE_TYPE_CODES, TARGET_CODES, World


def teeth(world: World) -> np.ndarray:
    """(R,K) each non-alliance institution's binding obligation on any aggressor: mean obligation x strength."""
    st = world.static
    aimed = (effective_target(st) == TARGET_CODES["any_member"]) & ~np.isin(st.inst_type, ALLIANCE_TYPE_CODES)
    obligation = st.inst_obligation.max(axis=1, initial=0.0) if st.n_institutions else np.zeros(0)
    return (aimed * obligation)[None, :] * world.strength


def clash(world: World) -> np.ndarray:
    """(R,K,N) clash of each allied member with a forum with teeth that also holds one of its rivals."""
    rival = rival_pairs(world).astype(float)  # (R,N,N)
    m = world.members.astype(float)  # (R,K,N)
    rival_inside = np.einsum("rij,rkj->rki", rival, m) > 0  # i has a rival among q's members
    has_ally = allied(world).any(axis=2)  # (R,N)
    return teeth(world)[:, :, None] * (world.members & rival_inside & has_ally[:, None, :])


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Reliability of torn allies and depth of the forum after this year's clash (step 7b)."""
    c = clash(world)
    if not c.any():
        return {}
    torn = c.max(axis=1)  # (R,N)
    reliability = world.reliability * (1.0 - params.teeth_clash_reliability * torn)
    n_members = np.maximum(world.members.sum(axis=2), 1)
    depth = world.depth * (1.0 - params.teeth_clash_depth * c.sum(axis=2) / n_members)
    return {"reliability": reliability, "depth": np.clip(depth, 0.0, 1.0)}
