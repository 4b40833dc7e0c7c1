"""The yearly step: mechanisms registered by name in the fixed order of DESIGN.md section 3.

``REGISTRY`` lists every slot of the yearly loop in order. A slot whose mechanism is not in
this version is registered with ``active=False``: it changes nothing, draws nothing, and says
so in ``secorder mechanisms list`` and in the docs.
"""

from __future__ import annotations

from secorder.mechanisms import arms, beliefs, bookkeeping, deterrence, economy, escalation, onset, shocks, war
from secorder.mechanisms.base import Mechanism, inactive_step

NOT_YET = "Inactive in this version: the slot is kept in the yearly order and changes nothing."

REGISTRY: tuple[Mechanism, ...] = (
    Mechanism(
        name="shocks", step="1", title="Shocks", func=shocks.step,
        reads=("gdp", "threat"), writes=("growth", "gdp", "threat", "threat_hit"),
        claims=("F2c",), sources=("World Bank WDI growth volatility",),
        draws={"growth": "state", "threat": "run", "threat_hit": "state"},
        summary="GDP growth around trend with noise; shared transnational threat events.",
    ),
    Mechanism(
        name="regime", step="2", title="Domestic regime security", func=inactive_step,
        reads=(), writes=(), claims=("R1", "R2", "R3", "R4"), active=False,
        summary=NOT_YET + " Regime challenges, interference, mutual-recognition and regime-defining rules.",
    ),
    Mechanism(
        name="economy", step="3", title="Economy and interdependence", func=economy.step,
        reads=("trade", "growth", "fought_last", "members", "depth"), writes=("trade",),
        claims=("O8", "O9", "F2b"), sources=("Head & Mayer 2014", "Li & Sacko 2002", "Glick & Taylor 2010"),
        summary="Gravity trade growth, opening up, economic institutions, damping after disputes and wars.",
    ),
    Mechanism(
        name="beliefs", step="4", title="Beliefs", func=beliefs.step,
        reads=("belief", "milex", "milex_prev", "missile_defense", "fought_last", "members", "depth"),
        writes=("belief",), claims=("O11", "O12", "C3"), sources=("Jervis 1976", "Kydd 2005", "Fearon 1995"),
        draws={"noise": "dyad"},
        summary="Belief that the other is aggressive, from arms growth, missile defence, disputes; "
        "forum transparency shrinks misperception.",
    ),
    Mechanism(
        name="socialisation", step="5", title="Socialisation and identity", func=inactive_step,
        reads=(), writes=(), claims=("O8", "O9", "C4"), active=False,
        summary=NOT_YET + " Norm internalisation; trust and identity from transactions and memberships.",
    ),
    Mechanism(
        name="alignment", step="6", title="Alignment", func=inactive_step,
        reads=(), writes=(), claims=("O6", "O10"), active=False,
        summary=NOT_YET + " Re-choosing alliance commitments; landscape-theory blocs.",
    ),
    Mechanism(
        name="institutions", step="7", title="Institution dynamics", func=inactive_step,
        reads=(), writes=(), claims=("F1", "F2", "O3"), active=False,
        summary=NOT_YET + " Depth, cohesion (held at 1), formation of a new regime, accession and exit.",
    ),
    Mechanism(
        name="arms", step="8", title="Arms", func=arms.step,
        reads=("milex", "belief", "trust", "missile_defense", "members", "reliability", "norms", "gdp"),
        writes=("milex", "milex_prev", "mil_stock"), claims=("C1", "O11", "C3", "O6"),
        sources=("Richardson 1960", "Intriligator & Brito 1984"),
        summary="Richardson reaction to perceived threat with fatigue and a budget ceiling; "
        "the missile-defence deterrence gap.",
    ),
    Mechanism(
        name="onset", step="9", title="Crisis onset", func=onset.step,
        reads=("regime", "trade", "gdp", "mil_stock", "peace_years", "stakes", "animosity", "belief",
               "satisfaction", "growth", "members"),
        writes=("crisis", "outcome", "fight", "deaths", "joined", "abandoned", "ally_cost"),
        claims=("O7", "O10", "C1"), sources=("DESIGN.md section 5 dyadic logit", "Organski & Kugler 1980"),
        draws={"onset": "dyad"},
        summary="Directed dyadic logit hazard with power-transition multipliers.",
    ),
    Mechanism(
        name="prevention", step="10a", title="Prevention (cooperative forum)", func=inactive_step,
        reads=(), writes=(), claims=("M2", "M4", "O12"), active=False,
        summary=NOT_YET + " A shared forum settling a crisis before it is militarised.",
    ),
    Mechanism(
        name="concert", step="10b", title="Concert mediation", func=inactive_step,
        reads=(), writes=(), claims=("O2", "O4"), active=False,
        summary=NOT_YET + " Great-power mediation when a concert is cohesive.",
    ),
    Mechanism(
        name="deterrence", step="10c", title="Deterrence and bargaining", func=deterrence.step,
        reads=("outcome", "mil_stock", "gdp", "members", "reliability", "satisfaction", "depth"),
        writes=("outcome", "fight"), claims=("M4", "O6", "C1"),
        sources=("Fearon 1995", "Huth & Russett 1984", "Leeds, Long & Mitchell 2000"),
        draws={"bargain": "dyad"},
        summary="Extended deterrence with allied help; take-it-or-leave-it bargaining under private information.",
    ),
    Mechanism(
        name="escalation", step="10d", title="Escalation, entrapment and abandonment", func=escalation.step,
        reads=("outcome", "fight", "members", "reliability"),
        writes=("outcome", "joined", "abandoned", "reliability"), claims=("O6", "M4"),
        sources=("Snyder 1984 (alliance security dilemma)", "Vasquez 1993"),
        draws={"honour": "dyad", "escalate": "dyad"},
        summary="Allies join or stay out; a fight becomes a fatal dispute or a war.",
    ),
    Mechanism(
        name="war", step="11", title="War and its costs", func=war.step,
        reads=("outcome", "joined", "gdp", "mil_stock", "trust", "animosity"),
        writes=("deaths", "gdp", "mil_stock", "trust", "animosity", "ally_cost"),
        claims=("C1",), sources=("Richardson 1948", "Clauset 2018", "Glick & Taylor 2010"),
        draws={"severity": "dyad"},
        summary="Power-law battle deaths; GDP and military losses; trust collapses, animosity rises.",
    ),
    Mechanism(
        name="bookkeeping", step="12", title="Bookkeeping", func=bookkeeping.step,
        reads=("outcome", "milex", "milex_prev", "growth", "stakes", "animosity"),
        writes=("fought_last", "peace_years", "race_years", "missile_defense_prev", "year"),
        sources=("Horn 1987",),
        summary="Peace years, arms-race spells, the year counter.",
    ),
)


def get(name: str) -> Mechanism:
    for m in REGISTRY:
        if m.name == name:
            return m
    raise KeyError(f"unknown mechanism {name!r}; known: {', '.join(m.name for m in REGISTRY)}")


__all__ = ["REGISTRY", "Mechanism", "get"]
