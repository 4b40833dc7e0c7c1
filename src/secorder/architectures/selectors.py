"""Who is who in a scenario, as architectures see it: the leader, the major powers, quarrels.

Computed from the starting values only (capability at the stock's steady state), so an
overlay depends on the scenario alone, never on a run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from secorder.scenario.schema import Institution, Scenario


def capability_shares(sc: Scenario, military_weight: float = 0.5) -> np.ndarray:
    """Starting capability shares (the model's index with the stock at its steady state)."""
    gdp = np.array([s.gdp for s in sc.states])
    mil = np.array([s.military_spending for s in sc.states])
    return military_weight * mil / max(mil.sum(), 1e-12) + (1 - military_weight) * gdp / gdp.sum()


def leader(sc: Scenario) -> str:
    """The most capable state."""
    return sc.codes[int(np.argmax(capability_shares(sc)))]


def majors(sc: Scenario, threshold: float = 0.1) -> list[str]:
    """The major powers: the scenario's flag, else a capability share of ``threshold`` or more."""
    share = capability_shares(sc)
    return [s.code for k, s in enumerate(sc.states)
            if (s.major_power if s.major_power is not None else share[k] >= threshold)]


def quarrel(sc: Scenario, a: str, b: str) -> bool:
    """The pair have stakes on either side or animosity of 0.3 or more."""
    for d in sc.dyads:
        if set(d.states) == {a, b}:
            stakes = d.stakes.values() if isinstance(d.stakes, dict) else [d.stakes or 0.0]
            return any(v > 0 for v in stakes) or (d.animosity or 0.0) >= 0.3
    return sc.dyad_defaults.stakes > 0 or sc.dyad_defaults.animosity >= 0.3


def pair_trust(sc: Scenario, a: str, b: str) -> float:
    """The pair's starting trust (the scenario's dyad, else its default)."""
    for d in sc.dyads:
        if set(d.states) == {a, b} and d.trust is not None:
            return float(d.trust)
    return float(sc.dyad_defaults.trust)


def would_accept_alliance(sc: Scenario, lead: str, code: str, min_trust: float) -> bool:
    """Whether ``code`` would accept a bilateral alliance with the leader.

    A state already allied with the leader would; otherwise one that has no quarrel with it,
    is not itself a major power (a great power keeps its strategic autonomy: Russia, China)
    and trusts it at least ``min_trust``.
    """
    if code in leader_allies(sc):
        return True
    return (not quarrel(sc, lead, code) and code not in majors(sc)
            and pair_trust(sc, lead, code) >= min_trust)


def leader_allies(sc: Scenario, institutions: Sequence[Institution] | None = None) -> list[str]:
    """The leader's partners in bilateral alliances, in the order the alliances are listed."""
    lead = leader(sc)
    out: list[str] = []
    for inst in sc.institutions if institutions is None else institutions:
        if inst.type == "bilateral_alliance" and lead in inst.members:
            out += [m for m in inst.members if m != lead and m not in out]
    return out


# Member selectors an ``add`` operation may name instead of a list of codes.
SELECTORS: dict[str, tuple[str, Callable[[Scenario], list[str]]]] = {
    "all": ("every state", lambda sc: list(sc.codes)),
    "majors": ("the major powers", majors),
    "leader": ("the most capable state", lambda sc: [leader(sc)]),
    "leader-allies": ("the leader and its bilateral allies", lambda sc: [leader(sc), *leader_allies(sc)]),
}
