"""The yearly step: mechanisms registered by name in a fixed order (docs/model.md, section 2).

``REGISTRY`` lists every step of the yearly loop in order, each with the state it owns, the
variables it reads and writes, the claims it serves (docs/model.md, section 10), its sources
and the named uniforms it draws. ``Mechanism.active=False`` marks a slot that changes nothing (none in this
version); such a slot says so in ``secorder mechanisms list``.

A mechanism is one module: ``step(world, params, draws) -> updates`` and ``STATE``, the
:class:`~secorder.world.StateVar` declarations of the variables it owns (name, axes, dtype,
initial value from the scenario). Registering it here (``owns=module.STATE``) is all the
world needs: :func:`initial_world` assembles the world from the declarations, its draws get
streams of their own (:mod:`secorder.rng`), and the conformance suite checks that it reads and
writes only what it declares. Shared derived quantities belong in :mod:`secorder.derived`.
"""

from __future__ import annotations

import numpy as np

from secorder.mechanisms import (
    alignment,
    arms,
    beliefs,
    bookkeeping,
    concert,
    conditions,
    constitutional,
    counterbalancing,
    denial,
    deterrence,
    disillusion,
    diversion,
    economy,
    escalation,
    exclusion,
    institutions,
    onset,
    prevention,
    reassurance,
    regime,
    shocks,
    socialisation,
    stalling,
    teeth,
    war,
)
from secorder.mechanisms.base import Mechanism
from secorder.params import Params
from secorder.scenario.schema import Scenario
from secorder.world import StateVar, World, assemble_world

REGISTRY: tuple[Mechanism, ...] = (
    Mechanism(
        name="shocks", step="1", title="Shocks", func=shocks.step, owns=shocks.STATE,
        reads=("gdp", "threat", "trend"), writes=("growth", "gdp", "trend", "threat", "threat_hit"),
        claims=("F2c", "O7"), sources=("World Bank WDI growth volatility", "Pritchett & Summers 2014"),
        draws={"growth": "state", "threat": "run", "threat_hit": "state"},
        summary="GDP growth around each state's trend with noise, trends converging to a long-run rate; "
        "shared transnational threat events.",
    ),
    Mechanism(
        name="constitutional", step="1a", title="Constitutional rule of regime-defining associations",
        func=constitutional.step, owns=constitutional.STATE,
        reads=("seized", "removed", "members", "depth"), writes=("seized", "rule_log_hazard"),
        claims=("R2", "R3"), sources=("Powell, Lasley & Schiel 2016", "Thyne et al. 2018"),
        summary="A rule against unconstitutional seizures of power deters challengers in members and sanctions "
        "a government that seized power (counter-channel; sign not fixed).",
    ),
    Mechanism(
        name="regime", step="2", title="Domestic regime security", func=regime.step, owns=regime.STATE,
        reads=("regime_hazard", "growth", "trend", "gdp", "instability", "regime", "animosity", "trust", "members",
               "depth", "rule_log_hazard"),
        writes=("hazard", "interference", "challenge", "removed", "regime", "instability"),
        claims=("R1", "R2", "R3", "R4", "O2"),
        sources=("Londregan & Poole 1990", "Salehyan 2009", "Pevehouse 2005", "Acharya 2001"),
        draws={"challenge": "state", "success": "state", "direction": "state"},
        summary="Coups and armed challenges from each state's hazard: economic shocks, hostile neighbours' "
        "interference, the coup trap; mutual-recognition shields, regime-defining rules support or sanction.",
    ),
    Mechanism(
        name="economy", step="3", title="Economy and interdependence", func=economy.step, owns=economy.STATE,
        reads=("trade", "growth", "fought_last", "members", "depth"), writes=("trade",),
        claims=("O8", "O9", "F2b"), sources=("Head & Mayer 2014", "Li & Sacko 2002", "Glick & Taylor 2010"),
        summary="Gravity trade growth, opening up, economic institutions, damping after disputes and wars.",
    ),
    Mechanism(
        name="beliefs", step="4", title="Beliefs", func=beliefs.step, owns=beliefs.STATE,
        reads=("belief", "belief_anchor", "milex", "milex_prev", "missile_defense", "missile_defense_prev", "trend",
               "stakes", "animosity", "fought_last", "members", "depth"),
        writes=("belief",), claims=("O11", "O12", "C3"), sources=("Jervis 1976", "Kydd 2005", "Fearon 1995"),
        draws={"noise": "dyad"},
        summary="Belief that the other is aggressive, from arms growth, missile defence, disputes; "
        "forum transparency shrinks misperception.",
    ),
    Mechanism(
        name="counterbalancing", step="4a", title="Balancing against concentrated capability",
        func=counterbalancing.step,
        reads=("belief", "mil_stock", "gdp", "members", "depth"), writes=("belief",),
        claims=("O7", "O1"), sources=("Waltz 1979", "Layne 1993", "Ikenberry 2001"),
        summary="Others' belief that a concentrated power is aggressive rises with its excess capability share, "
        "discounted by the institutions binding it (restraint can fail).",
    ),
    Mechanism(
        name="reassurance", step="4b", title="Reassurance by an ally's presence",
        func=reassurance.step,
        reads=("belief", "mil_stock", "gdp", "members", "strength", "aligned"), writes=("belief",),
        claims=("O6",), sources=("Christensen 1999",),
        summary="A state a stronger ally has committed to defend is read as less aggressive by the others.",
    ),
    Mechanism(
        name="socialisation", step="5", title="Socialisation and identity", func=socialisation.step, owns=socialisation.STATE,
        reads=("norms", "regime", "members", "depth", "trust", "trust_anchor", "trade", "gdp", "threat_hit",
               "fought_last", "peace_years"),
        writes=("norms", "trust", "community"), claims=("O8", "O9", "C4", "O2"),
        sources=("Deutsch et al. 1957", "Adler & Barnett 1998", "Johnston 2008", "Acharya 2001"),
        summary="Norms move toward institutions' group norms (faster in informal consensus bodies, slower for "
        "closed regimes); trust grows with trade, deep memberships and joint threat work; communities detected.",
    ),
    Mechanism(
        name="alignment", step="6", title="Alignment", func=alignment.step, owns=alignment.STATE,
        reads=("belief", "trust", "animosity", "satisfaction", "reliability", "crisis", "members", "depth", "aligned",
               "initiation", "gdp", "mil_stock"),
        writes=("initiation", "aligned"), claims=("O6", "O7", "O10"),
        sources=("Walt 1987", "Schweller 1994", "Snyder 1984", "Axelrod & Bennett 1993"),
        draws={"reconsider": "dyad"},
        summary="Where alignment is free: commitments formed and dropped by balancing, bandwagoning, binding, "
        "entrapment and abandonment fears; landscape-theory blocs as a diagnostic.",
    ),
    Mechanism(
        name="conditions", step="6c", title="F2 conditions of a regional regime", func=conditions.step,
        owns=conditions.STATE,
        reads=("threat", "threat_hit", "trade", "gdp", "mil_stock", "members", "depth", "stakes", "animosity",
               "belief", "fought_last", "trust", "hazard", "norms", "regime"),
        writes=("conditions", "inst_conditions", "inst_value"), claims=("F2", "M3"),
        sources=("Jervis 1985", "Keohane 1984", "Cha 2010", "Kim (R1)"),
        summary="Each year, for every institution's charter and the region: existing arrangements, trade "
        "interdependence, common threat (shared threat events, a common outside adversary), leadership (a "
        "major power's gain from sponsoring against its hub and spokes) and willingness to accept rules.",
    ),
    Mechanism(
        name="institutions", step="7", title="Institution dynamics", func=institutions.step, owns=institutions.STATE,
        reads=("members", "depth", "crisis", "outcome", "handled_by", "trust", "reliability", "satisfaction",
               "hazard", "regime", "threat_hit", "trade", "gdp", "mil_stock", "inst_conditions", "inst_value"),
        writes=("members", "depth", "cohesion", "strength"), claims=("F1", "F2", "O3", "R1", "R4"),
        sources=("Haas 1958", "Keohane 1984", "Kim (R1-R4)"),
        draws={"form": "institution", "accede": "membership"},
        summary="Depth from successes, failures and spill-over; cohesion = geometric mean of trust, reliability, satisfaction; "
        "formation of a potential regime from the four F2 conditions; accession and exit by decision rule.",
    ),
    Mechanism(
        name="exclusion", step="7a", title="Institutions that exclude rising powers",
        func=exclusion.step, owns=exclusion.STATE,
        reads=("growth", "gdp", "mil_stock", "members", "depth", "satisfaction", "satisfaction_anchor"),
        writes=("depth", "satisfaction"), claims=("O10",), sources=("Organski & Kugler 1980", "Johnston 2003"),
        summary="Multilateral security institutions decay with the capability of the rising powers they leave "
        "out, and the excluded risers grow dissatisfied.",
    ),
    Mechanism(
        name="teeth", step="7b", title="Forum with teeth against the alliance",
        func=teeth.step,
        reads=("stakes", "animosity", "members", "strength", "aligned", "reliability", "depth"),
        writes=("reliability", "depth"), claims=("O12",), sources=("Snyder 1997",),
        summary="An allied state in a forum with teeth that also holds its rival is torn: its reliability and "
        "the forum's depth fall.",
    ),
    Mechanism(
        name="arms", step="8", title="Arms", func=arms.step, owns=arms.STATE,
        reads=("milex", "belief", "trust", "stakes", "animosity", "missile_defense", "members", "depth",
               "strength", "aligned", "reliability", "norms", "gdp", "threat_response_start", "reaction_scale", "start_burden", "mil_stock"),
        writes=("milex", "milex_prev", "mil_stock"), claims=("C1", "O11", "C3", "O6"),
        sources=("Richardson 1960", "Intriligator & Brito 1984", "Dunne & Perlo-Freeman 2003"),
        summary="Richardson reaction to perceived threat with fatigue and a budget ceiling, anchored to a "
        "constant burden of a growing economy; the missile-defence deterrence gap.",
    ),
    Mechanism(
        name="onset", step="9", title="Crisis onset", func=onset.step, owns=onset.STATE,
        reads=("regime", "trade", "gdp", "mil_stock", "peace_years", "stakes", "animosity", "belief",
               "satisfaction", "growth", "members", "strength", "aligned", "dispute_years"),
        writes=("crisis", "outcome", "fight", "deaths", "joined", "abandoned", "ally_cost", "handled_by",
                "ongoing", "disputed_last"),
        claims=("O7", "O10", "C1"), sources=("Dyadic logit of MID onset 1951-2010 (docs/model.md, section 8)",
                                             "Organski & Kugler 1980", "COW MID 5.0 dispute durations"),
        draws={"onset": "dyad", "persist": "dyad"},
        summary="Active disputes go on or end (MID durations); directed dyadic logit hazard with power-transition "
        "multipliers where no dispute goes on.",
    ),
    Mechanism(
        name="diversion", step="9a", title="Diversion by insecure regimes",
        func=diversion.step,
        reads=("instability", "stakes", "animosity", "crisis", "ongoing", "outcome"), writes=("crisis", "outcome"),
        claims=("R1",), sources=("Levy 1989", "Gelpi 1997", "Oakes 2012"),
        draws={"divert": "dyad"},
        summary="Governments with recent regime challenges start extra crises against states they quarrel "
        "with (rival hypothesis to R1).",
    ),
    Mechanism(
        name="denial", step="9b", title="Missile defence: deterrence by denial",
        func=denial.step,
        reads=("outcome", "missile_defense"), writes=("outcome",),
        claims=("O11", "C3"), sources=("Snyder 1961",),
        draws={"deny": "dyad"},
        summary="A challenger relying on missiles backs down against a target that can intercept them "
        "(the defensive side of missile defence).",
    ),
    Mechanism(
        name="prevention", step="10a", title="Prevention (cooperative forum)", func=prevention.step,
        reads=("outcome", "handled_by", "members", "depth", "norms", "trust"), writes=("outcome", "handled_by"),
        claims=("M2", "M4", "O12", "M1"), sources=("ARF Concept Paper 1995",),
        draws={"prevent": "dyad"},
        summary="A shared forum may settle a crisis before it is militarised (depth, transparency, norms, trust).",
    ),
    Mechanism(
        name="concert", step="10b", title="Concert mediation", func=concert.step,
        reads=("outcome", "handled_by", "members", "strength"), writes=("outcome", "handled_by"),
        claims=("O2", "O3", "O4"), sources=("Elrod 1976", "Jervis 1985"),
        draws={"mediate": "dyad"},
        summary="Great-power mediation by a concert whose cohesion is above the floor.",
    ),
    Mechanism(
        name="deterrence", step="10c", title="Deterrence and bargaining", func=deterrence.step,
        reads=("outcome", "mil_stock", "gdp", "members", "strength", "aligned", "reliability", "satisfaction", "depth"),
        writes=("outcome", "fight"), claims=("M4", "O6", "C1"),
        sources=("Fearon 1995", "Huth & Russett 1984", "Leeds, Long & Mitchell 2000", "Snyder 1965"),
        draws={"bargain": "dyad", "limited": "dyad"},
        summary="Extended deterrence with allied help; take-it-or-leave-it bargaining under private information; "
        "limited fatal incidents below war.",
    ),
    Mechanism(
        name="escalation", step="10d", title="Escalation, entrapment and abandonment", func=escalation.step, owns=escalation.STATE,
        reads=("outcome", "fight", "members", "strength", "aligned", "reliability", "joined", "abandoned"),
        writes=("outcome", "joined", "abandoned", "reliability"), claims=("O6", "M4"),
        sources=("Snyder 1984 (alliance security dilemma)", "Vasquez 1993"),
        draws={"honour": "dyad", "escalate": "dyad"},
        summary="Allies join or stay out; a fight becomes a fatal dispute or a war.",
    ),
    Mechanism(
        name="stalling", step="10e", title="Forums used for stalling",
        func=stalling.step, owns=stalling.STATE,
        reads=("stakes", "stakes_anchor", "outcome", "handled_by", "satisfaction", "depth"), writes=("stakes",),
        claims=("M2",), sources=("Johnston 2003",),
        draws={"stall": "dyad"},
        summary="A dissatisfied challenger may use a shallow forum's settlement to stall: its stake grows "
        "(fait accompli); stakes relax back over time.",
    ),
    Mechanism(
        name="war", step="11", title="War and its costs", func=war.step, owns=war.STATE,
        reads=("outcome", "joined", "gdp", "mil_stock", "trust", "animosity", "ally_cost"),
        writes=("deaths", "gdp", "mil_stock", "trust", "animosity", "ally_cost"),
        claims=("C1",), sources=("Richardson 1948", "Clauset 2018", "Glick & Taylor 2010"),
        draws={"severity": "dyad"},
        summary="Power-law battle deaths; GDP and military losses; trust collapses, animosity rises.",
    ),
    Mechanism(
        name="disillusion", step="11a", title="Trust lost to failure, free-riding and broken commitments",
        func=disillusion.step, owns=disillusion.STATE,
        reads=("trust", "outcome", "members", "depth", "milex", "gdp", "reliability", "reliability_seen",
               "strength", "aligned"),
        writes=("trust", "reliability_seen"), claims=("O8", "O9"),
        sources=("Olson & Zeckhauser 1966", "Crescenzi 2018", "Haas 1958"),
        summary="Trust falls among members of an institution whose members fought, toward free-riders and "
        "toward states that broke commitments.",
    ),
    Mechanism(
        name="bookkeeping", step="12", title="Bookkeeping", func=bookkeeping.step, owns=bookkeeping.STATE,
        reads=("outcome", "milex", "milex_prev", "growth", "stakes", "animosity", "missile_defense", "peace_years",
               "race_years", "year", "ongoing", "dispute_years", "dispute_level"),
        writes=("fought_last", "peace_years", "race_years", "missile_defense_prev", "year", "dispute_years",
                "dispute_level"),
        sources=("Horn 1987", "COW MID 5.0 (disputes spanning years)"),
        summary="Disputes that start or go on, peace years, arms-race spells, the year counter.",
    ),
)


def state_declarations(mechanisms: tuple[Mechanism, ...] = REGISTRY) -> tuple[StateVar, ...]:
    """Every state variable the mechanisms own, in the order of the yearly step."""
    return tuple(v for m in mechanisms for v in m.owns)


def owner(variable: str, mechanisms: tuple[Mechanism, ...] = REGISTRY) -> Mechanism:
    """The mechanism that declares a state variable."""
    for m in mechanisms:
        if any(v.name == variable for v in m.owns):
            return m
    raise KeyError(f"no mechanism declares the state variable {variable!r}")


def initial_world(scenario: Scenario, params: Params, runs: int, mechanisms: tuple[Mechanism, ...] = REGISTRY) -> World:
    """The world at the scenario's start year, replicated over ``runs`` runs.

    It is assembled from the state the mechanisms declare (each variable's initial value
    computed from the scenario).
    """
    return assemble_world(scenario, params, runs, state_declarations(mechanisms))


AXIS_SYMBOLS = {"runs": "R", "states": "N", "institutions": "K", "state_words": "W"}


def state_table(mechanisms: tuple[Mechanism, ...] = REGISTRY) -> str:
    """The state variables as a Markdown table, generated from the declarations (docs/model.md)."""
    rows = ["| Variable | Shape | Type | Declared by | Written by | Read by | Meaning |", "|---|---|---|---|---|---|---|"]
    for m in mechanisms:
        for v in m.owns:
            axes = [AXIS_SYMBOLS.get(a, str(a)) for a in v.axes]
            shape = "scalar" if not axes else "(" + ", ".join(axes) + ("," if len(axes) == 1 else "") + ")"
            writers = ", ".join(w.step for w in mechanisms if v.name in w.writes) or "—"
            readers = ", ".join(r.step for r in mechanisms if v.name in r.reads) or "—"
            rows.append(f"| `{v.name}` | `{shape}` | {np.dtype(v.dtype).name} | {m.step} `{m.name}` | {writers} | "
                        f"{readers} | {v.doc} |")
    return "\n".join(rows) + "\n"


def get(name: str) -> Mechanism:
    """The registered mechanism ``name`` (a ``KeyError`` lists the known names)."""
    for m in REGISTRY:
        if m.name == name:
            return m
    raise KeyError(f"unknown mechanism {name!r}; known: {', '.join(m.name for m in REGISTRY)}")


__all__ = ["REGISTRY", "Mechanism", "get", "initial_world", "owner", "state_declarations", "state_table"]
