"""Step 9a -- erratic and diversionary behaviour abroad of insecure regimes (rival to R1).

R1 says a government challenged at home seeks multilateral cooperation to secure its regime.
The rival hypothesis (diversionary war; Levy 1989, Gelpi 1997) says it lashes out abroad
instead. Here a government with a recent history of challenges (its decaying instability,
step 2) starts additional crises, on top of the onset hazard, against states it has a quarrel
with: the chance is ``diversion_rate`` x its insecurity (instability, capped at 1) x the
quarrel (the larger of its stake against the other and their animosity). A pair already in a
crisis this year, or whose dispute goes on from earlier years, gets no second one. Both channels run together; which one an insecure
government's record shows is an output.
"""

from __future__ import annotations

import numpy as np

from secorder.mechanisms.base import draw_at, nonzero
from secorder.params import Params
from secorder.world import OPEN, World


def diversion_probability(instability: np.ndarray, stakes: np.ndarray, animosity: np.ndarray,
                          params: Params) -> np.ndarray:
    """(R,N,N) chance insecure i starts an extra crisis against j: rate x insecurity_i x quarrel_ij."""
    insecurity = np.minimum(instability, 1.0)[:, :, None]
    return params.diversion_rate * insecurity * np.maximum(stakes, animosity)


def step(world: World, params: Params, draws: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Extra crises started by insecure governments this year (step 9a)."""
    p = diversion_probability(world.instability, world.stakes, world.animosity, params)
    p = np.where(world.crisis | np.swapaxes(world.crisis, 1, 2) | world.ongoing, 0.0, p)
    n = world.n_states
    p[:, np.arange(n), np.arange(n)] = 0.0
    r, i, j = nonzero(p > 0)
    if r.size == 0:
        return {}
    new = draw_at(draws, "divert", r, i, j) < p[r, i, j]
    r, i, j = r[new], i[new], j[new]
    # both directions drawn in one year: keep the lower-index challenger only (one crisis per pair)
    crisis = world.crisis.copy()
    crisis[r, i, j] = True
    both = crisis & np.swapaxes(crisis, 1, 2) & ~world.crisis & ~np.swapaxes(world.crisis, 1, 2)
    crisis &= ~(both & np.tril(np.ones((n, n), dtype=bool))[None])
    outcome = np.where(crisis & ~world.crisis, np.int8(OPEN), world.outcome).astype(np.int8)
    return {"crisis": crisis, "outcome": outcome}
