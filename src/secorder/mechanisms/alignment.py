"""Step 6 -- alignment, and the landscape-theory diagnostic.

Where the scenario (or architecture) lets alignment change (``system.alignment: free``),
each state reconsiders its commitments with a yearly chance. The propensity of i to commit to
j's defence combines balancing against a shared threat (Walt), bandwagoning with the strongest
state for profit (a weak, satisfied state; Schweller), binding a potential rival that shares
institutions with it, trust, and -- against it -- hostility and the fear of entrapment by a
partner that starts crises (Snyder's alliance security dilemma); a partner's unreliability
(abandonment) discounts its attraction. A commitment forms above the threshold and lapses
below half of it. Existing treaty alliances change only by exit (step 7).

Whatever the architecture, ``landscape_blocs`` gives the Axelrod-Bennett predicted blocs
over a propensity matrix built from the model's own variables, as a diagnostic.
"""

from __future__ import annotations

import numpy as np

from secorder.derived import capability, proximity, shared_membership
from secorder.params import Params
from secorder.world import ALL_TYPE_CODES, StateVar, World

STATE = (
    StateVar("aligned", ("runs", "states", "states"), float, 0.0, "commitments formed by alignment (i defends j)"),
    StateVar("initiation", ("runs", "states"), float, 0.0, "decaying record of crises each state started"),
)

INITIATION_MEMORY = 0.7  # yearly carry-over of a state's record of starting crises


def threat_matrix(world: World, params: Params, cap: np.ndarray) -> np.ndarray:
    """(R,N,N) threat i perceives from k: belief x proximity x k's capability share."""
    prox = proximity(world.static, params)[None]
    return world.belief * prox * cap[:, None, :]


def common_threat(t: np.ndarray) -> np.ndarray:
    """(R,N,N) the strongest common enemy of i and j: max over third states k of sqrt(t_ik * t_jk).

    Balance of threat (Walt 1987): states ally against the most threatening enemy they share, so
    the strongest one counts (a mean over all third states would shrink with the region's size).
    The geometric mean keeps the scale of the two threats.
    """
    n = t.shape[-1]
    out = np.zeros(t.shape)
    for k in range(n):  # a loop over states keeps memory at (R,N,N)
        common = np.sqrt(t[:, :, k, None] * t[:, None, :, k])
        common[:, k, :] = 0.0  # k is not its own common enemy
        common[:, :, k] = 0.0
        np.maximum(out, common, out=out)
    return out


def propensity(world: World, params: Params) -> np.ndarray:
    """(R,N,N) propensity of i to commit to j's defence (not symmetric)."""
    cap = capability(world, params)
    t = threat_matrix(world, params, cap)
    n = world.n_states
    shared_threat = common_threat(t)
    leader = cap == cap.max(axis=1, keepdims=True)
    bandwagon = (world.satisfaction * (1.0 - cap))[:, :, None] * leader[:, None, :]
    binding = shared_membership(world, ALL_TYPE_CODES) * world.belief
    hostility = np.maximum(world.belief - 0.5, 0.0) + world.animosity
    entrapment = world.initiation[:, None, :]
    attraction = (
        params.balancing_weight * shared_threat * 10.0
        + params.bandwagon_weight * bandwagon
        + params.binding_weight * binding
        + (world.trust - 0.5)
    ) * world.reliability[:, None, :]
    p = attraction - hostility - params.entrapment_weight * entrapment
    p[:, np.arange(n), np.arange(n)] = -np.inf
    return p


def realign(world: World, params: Params, u: np.ndarray) -> np.ndarray:
    """(R,N,N) alignment commitments after this year's reconsiderations."""
    p = propensity(world, params)
    reconsider = u < params.alignment_rate
    form = reconsider & (p > params.alignment_threshold)
    lapse = reconsider & (p < 0.5 * params.alignment_threshold)
    aligned = np.where(form, params.aligned_obligation, world.aligned)
    return np.where(lapse, 0.0, aligned)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Update initiation memory and, where alignment is free, re-draw the commitments (step 6)."""
    initiation = INITIATION_MEMORY * world.initiation + world.crisis.sum(axis=2)
    out = {"initiation": initiation}
    if world.static.alignment_free:
        out["aligned"] = realign(world.apply({"initiation": initiation}), params, draws["reconsider"])
    return out


def landscape_blocs(world: World, params: Params, run: int = 0, rng: np.random.Generator | None = None):
    """Axelrod-Bennett predicted two-bloc split of run ``run`` at this year.

    Sizes are capability shares; the propensity is built from trust, beliefs and shared
    threats by :func:`secorder.landscape.propensity_from_relations`. Exhaustive search up to
    20 states, local search (with ``rng``) beyond.
    """
    from secorder.landscape import predicted_blocs

    cap = capability(world, params)
    prop = bloc_propensity(world, params, run, cap)
    return predicted_blocs(cap[run], prop, names=list(world.static.codes), rng=rng, exhaustive_up_to=22)


def bloc_propensity(world: World, params: Params, run: int = 0, cap: np.ndarray | None = None) -> np.ndarray:
    """(N,N) landscape propensity of run ``run``: from trust, beliefs and shared threats."""
    from secorder.landscape import propensity_from_relations

    cap = capability(world, params) if cap is None else cap
    t = threat_matrix(world, params, cap)[run]
    shared = t @ t.T
    np.fill_diagonal(shared, 0.0)
    return propensity_from_relations(world.trust[run], world.belief[run], shared_threat=shared / max(shared.max(), 1e-12))
