"""Every model coefficient: one frozen, documented structure.

Each parameter carries its meaning, default, a plausible range (used for validation and for
sensitivity analysis) and its source. Scenarios override values under ``parameters:``;
``Params().replace(name=value)`` returns a validated copy.

Sources cited by short name are listed in ``docs/model.md``. "Modelling choice" marks a
coefficient with no published estimate: its range is wide and experiments report how much a
verdict depends on it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from secorder.errors import ParameterError


def _p(default: float, lo: float, hi: float, meaning: str, source: str, mechanism: str) -> Any:
    return field(
        default=default,
        metadata={"range": (lo, hi), "meaning": meaning, "source": source, "mechanism": mechanism},
    )


@dataclass(frozen=True)
class Params:
    """The model's coefficients. Use :meth:`replace` to change them; see :meth:`table`."""

    # --- 1 shocks -------------------------------------------------------------------------
    growth_noise_sd: float = _p(
        0.02, 0.0, 0.08, "SD of yearly real GDP growth around each state's trend",
        "World Bank WDI, East Asia & Pacific 1990-2019: SD of annual growth about 2 pp", "shocks")
    growth_long_run: float = _p(
        0.035, 0.0, 0.08, "Long-run real GDP growth rate every state's trend converges toward",
        "Anders, Fariss & Markowitz 2020 GDP estimates: mean decade growth of states' real GDP 3.4-3.8% "
        "(1960-2016)", "shocks")
    growth_convergence: float = _p(
        0.05, 0.0, 0.5, "Share of the gap between a state's trend growth and the long-run rate closed each year",
        "Pritchett & Summers 2014 (regression to the mean of growth rates); modelling choice. Decade-on-decade "
        "growth in the Anders-Fariss-Markowitz estimates (1950-2016) regresses with slope 0.21, which would "
        "imply about 0.45 but is biased toward fast reversion by noise in the estimated series", "shocks")
    threat_persistence: float = _p(
        0.7, 0.0, 0.95, "AR(1) persistence of the regional transnational-threat level",
        "Modelling choice", "shocks")
    threat_noise_sd: float = _p(
        0.1, 0.0, 0.4, "SD of yearly innovations in the transnational-threat level",
        "Modelling choice", "shocks")
    threat_hit_rate: float = _p(
        0.5, 0.0, 1.0, "Chance a state is hit by a transnational threat event, per unit threat level",
        "Modelling choice", "shocks")

    # --- 2 domestic regime security -------------------------------------------------------------
    regime_shock_effect: float = _p(
        0.4, 0.0, 1.5, "Log-hazard rise per SD of growth below trend (recessions breed challenges)",
        "Londregan & Poole 1990; Miguel, Satyanath & Sergenti 2004", "regime")
    regime_interference_effect: float = _p(
        1.0, 0.0, 3.0, "Log-hazard rise per unit of interference from hostile neighbours",
        "Salehyan 2009 (rebels without borders); Gleditsch 2007", "regime")
    regime_instability_effect: float = _p(
        0.8, 0.0, 3.0, "Log-hazard rise per unit of recent instability (challenges decay yearly)",
        "Londregan & Poole 1990: the coup trap", "regime")
    regime_instability_decay: float = _p(
        0.5, 0.0, 0.95, "Share of last year's instability carried into this year", "Modelling choice", "regime")
    mutual_recognition_shield: float = _p(
        0.8, 0.0, 1.0, "Share of co-members' interference removed by a mutual-recognition association of full depth",
        "Acharya 2001; Kim (R2): non-interference norms", "regime")
    regime_rule_threshold: float = _p(
        6.0, -10.0, 10.0, "Polity2 score a regime-defining association requires of its members",
        "Pevehouse 2005 (democratising IOs); modelling choice", "regime")
    democracy_condition: float = _p(
        0.0, 0.0, 1.0, "Weight of the democracy condition (the Polity threshold) in a regime-defining "
        "association's support and sanctions; 0: the association defines only the constitutional rule (step 1a)",
        "Seed R3 (a rule against unconstitutional seizures, not a democracy test); Pevehouse 2005 for 1", "regime")
    regime_support_effect: float = _p(
        0.7, 0.0, 2.0, "Log-hazard fall for a conforming member of a regime-defining association of full depth",
        "Pevehouse 2005: IOs lock in democratic regimes", "regime")
    regime_sanction_effect: float = _p(
        0.7, 0.0, 2.0, "Log-hazard rise for a member breaking the rule of a regime-defining association of full depth",
        "Hafner-Burton 2005; modelling choice", "regime")
    challenge_success_share: float = _p(
        0.475, 0.0, 1.0, "Share of regime challenges that remove the government",
        "Reference figures (docs/model.md, 8): irregular removals 1.9% vs civil-conflict onsets 2.1% per country-year (1990-2015)", "regime")
    regime_shift_size: float = _p(
        5.0, 0.0, 20.0, "Polity2 points a successful challenge moves the regime score",
        "Polity5 median change in irregular transitions; modelling choice", "regime")
    regime_shift_autocratic_share: float = _p(
        0.6, 0.0, 1.0, "Share of successful challenges that move the regime toward autocracy",
        "Geddes, Wright & Frantz 2014 (coups mostly install autocracies)", "regime")

    # --- 3 economy and interdependence ------------------------------------------------------
    trade_gdp_elasticity: float = _p(
        1.0, 0.5, 1.3, "Elasticity of bilateral trade to the partners' GDP (gravity)",
        "Head & Mayer 2014, gravity meta-analysis: median GDP elasticity about 0.9-1.0", "economy")
    dispute_trade_damping: float = _p(
        0.15, 0.0, 0.5, "Log-drop in a dyad's trade the year after a militarised dispute",
        "Li & Sacko 2002; Keshk, Pollins & Reuveny 2004: disputes cut trade 10-20%", "economy")
    war_trade_damping: float = _p(
        0.6, 0.0, 1.5, "Log-drop in a dyad's trade the year after a war between them",
        "Glick & Taylor 2010: wars cut belligerents' trade sharply and persistently", "economy")
    econ_institution_trade_growth: float = _p(
        0.01, 0.0, 0.05, "Extra yearly trade growth between members of an economic institution",
        "Rose 2004; Tomz, Goldstein & Rivers 2007: small positive effect", "economy")

    # --- 4 beliefs --------------------------------------------------------------------------
    belief_persistence: float = _p(
        0.8, 0.3, 0.98, "Weight of last year's belief (logit) against its long-run anchor",
        "Jervis 1976: images of others are sticky; modelling choice", "beliefs")
    belief_arms_signal: float = _p(
        4.0, 0.0, 10.0, "Logit shift per unit of another's arms growth beyond its GDP growth",
        "Kydd 2005 (costly signals of type); modelling choice", "beliefs")
    belief_md_signal: float = _p(
        2.0, 0.0, 6.0, "Logit shift per unit increase of a rival's missile-defence coverage",
        "Intriligator & Brito 1984; Glaser & Fetter 2001: defences read as offensive intent", "beliefs")
    belief_dispute_signal: float = _p(
        0.8, 0.0, 3.0, "Logit shift when the other militarised a dispute against one last year",
        "Modelling choice; Colaresi, Rasler & Thompson 2007 (rivalry updating)", "beliefs")
    belief_war_signal: float = _p(
        2.0, 0.0, 5.0, "Logit shift after a war with the other last year",
        "Modelling choice", "beliefs")
    belief_noise_sd: float = _p(
        0.3, 0.0, 1.0, "SD of misperception noise in yearly belief updates (logit scale)",
        "Jervis 1976; Fearon 1995 (private information); modelling choice", "beliefs")
    transparency_precision: float = _p(
        0.8, 0.0, 1.0, "Share of misperception noise removed by a shared forum of full transparency and depth",
        "Kydd 2005; confidence-building literature (Krepon 1995); modelling choice", "beliefs")

    # --- 5 socialisation and identity ----------------------------------------------------------
    socialisation_rate: float = _p(
        0.05, 0.0, 0.3, "Yearly share of the gap to an institution's group norm closed by a member",
        "Johnston 2008 (social states; ARF socialisation); modelling choice", "socialisation")
    socialisation_lift: float = _p(
        0.5, 0.0, 1.0, "How far above its members' mean norm an institution of full depth pulls them",
        "Acharya 2001; modelling choice", "socialisation")
    closed_regime_damping: float = _p(
        0.6, 0.0, 1.0, "How much slower the most closed regime (Polity2 -10) is socialised than the most open",
        "O8: open, pluralist states respond most (Ikenberry 2001); modelling choice", "socialisation")
    trust_trade_rate: float = _p(
        0.5, 0.0, 3.0, "Yearly trust growth per unit of the lower trade dependence (transactions)",
        "Deutsch et al. 1957 (transactionalism); modelling choice", "socialisation")
    trust_membership_rate: float = _p(
        0.03, 0.0, 0.2, "Yearly trust growth from a shared institution of full depth",
        "Adler & Barnett 1998; modelling choice", "socialisation")
    trust_threat_rate: float = _p(
        0.02, 0.0, 0.2, "Yearly trust growth when two co-members are both hit by a transnational threat",
        "C4; Acharya 2001 (cooperation on non-traditional threats); modelling choice", "socialisation")
    trust_decay: float = _p(
        0.05, 0.0, 0.5, "Yearly pull of trust back toward its starting level", "Modelling choice", "socialisation")
    community_trust: float = _p(
        0.7, 0.3, 1.0, "Trust every pair must exceed for a pluralistic security community",
        "Adler & Barnett 1998 (dependable expectations of peaceful change); modelling choice", "socialisation")
    community_peace_years: float = _p(
        10.0, 1.0, 50.0, "Years without a militarised dispute among the members of a community",
        "Deutsch et al. 1957; modelling choice", "socialisation")

    # --- 6 alignment ---------------------------------------------------------------------------
    alignment_rate: float = _p(
        0.2, 0.0, 1.0, "Yearly chance a state re-considers a commitment when alignment is free",
        "Modelling choice", "alignment")
    balancing_weight: float = _p(
        1.0, 0.0, 3.0, "Propensity to ally from a shared threat (balance of threat)",
        "Walt 1987", "alignment")
    bandwagon_weight: float = _p(
        0.3, 0.0, 3.0, "Propensity of a weak, satisfied state to align with the strongest (bandwagoning for profit)",
        "Schweller 1994", "alignment")
    binding_weight: float = _p(
        0.3, 0.0, 3.0, "Propensity to bind a potential rival through shared institutions",
        "Schroeder 1976; Ikenberry 2001", "alignment")
    entrapment_weight: float = _p(
        1.0, 0.0, 3.0, "Propensity lost per unit of a partner's recent crisis initiation (fear of entrapment)",
        "Snyder 1984 (alliance security dilemma)", "alignment")
    alignment_threshold: float = _p(
        0.3, 0.0, 2.0, "Propensity above which a commitment forms and below half of which it lapses",
        "Modelling choice", "alignment")
    aligned_obligation: float = _p(
        0.6, 0.0, 1.0, "Obligation of a commitment formed by alignment", "Modelling choice", "alignment")

    # --- counter-channels (steps 1a, 4a, 4b, 7a, 7b, 9a, 9b, 10e, 11a) ------------------------
    constitutional_deterrence: float = _p(
        0.5, 0.0, 2.0, "Log-hazard fall of a regime challenge in a member of a regime-defining association of full "
        "depth (challengers expect a seized government to be isolated)",
        "Seed R3; Powell, Lasley & Schiel 2016 (the AU anti-coup norm and fewer coup attempts)", "constitutional")
    constitutional_sanction: float = _p(
        0.5, 0.0, 2.0, "Log-hazard rise for a government that seized power, in a regime-defining association of "
        "full depth (sanctions invite counter-challenges)",
        "Thyne et al. 2018 (reactions to coups); modelling choice", "constitutional")
    seizure_persistence: float = _p(
        0.7, 0.0, 0.95, "Share of last year's memory of a seizure of power carried into this year",
        "Modelling choice", "constitutional")
    concentration_threshold: float = _p(
        0.3, 0.1, 0.9, "Capability share above which others read a state's concentrated power as a threat",
        "Waltz 1979; Layne 1993 (unipolar illusion); modelling choice", "counterbalancing")
    concentration_balancing: float = _p(
        0.5, 0.0, 3.0, "Yearly log-odds rise in others' belief that a concentrated power is aggressive, per unit of "
        "its capability share above the threshold",
        "O7 realist counter-claim (Waltz 1979); Brooks & Wohlforth 2008 argue it is small; modelling choice",
        "counterbalancing")
    restraint_discount: float = _p(
        0.7, 0.0, 1.0, "Share of the balancing signal removed by a shared security institution of full depth "
        "with the concentrated power (1: restraint always works)",
        "Ikenberry 2001 (strategic restraint); modelling choice", "counterbalancing")
    ally_reassurance: float = _p(
        0.2, 0.0, 1.0, "Yearly log-odds fall in others' belief that a state is aggressive, per unit of a stronger "
        "ally's commitment to defend it",
        "O6; Christensen 1999 (the alliance as a 'bottle cap' on Japan); modelling choice", "reassurance")
    exclusion_decay: float = _p(
        0.1, 0.0, 1.0, "Yearly share of a multilateral security institution's depth lost per unit of capability "
        "share of the rising powers it leaves out",
        "O10; modelling choice", "exclusion")
    exclusion_grievance: float = _p(
        0.1, 0.0, 0.5, "Yearly share of a rising power's satisfaction lost per unit of depth of the security "
        "institutions it is left out of",
        "O10; Organski & Kugler 1980 (dissatisfied risers); Johnston 2003; modelling choice", "exclusion")
    satisfaction_recovery: float = _p(
        0.1, 0.0, 1.0, "Yearly pull of satisfaction back toward its starting level", "Modelling choice", "exclusion")
    teeth_clash_reliability: float = _p(
        0.1, 0.0, 1.0, "Yearly share of an allied state's reliability lost per unit of clash with a forum with "
        "teeth that holds its rival",
        "O12; Snyder 1997 (alliance politics); modelling choice", "teeth")
    teeth_clash_depth: float = _p(
        0.05, 0.0, 0.5, "Yearly share of a forum with teeth's depth lost per unit of its members' mean clash",
        "O12; modelling choice", "teeth")
    failure_trust_loss: float = _p(
        0.1, 0.0, 0.5, "Share of trust lost by the member pairs of a security institution of full depth whose "
        "members fought a fatal dispute or war",
        "O8/O9 counter-channel; Haas 1958 (spill-back); modelling choice", "disillusion")
    free_riding_trust_loss: float = _p(
        0.05, 0.0, 0.5, "Share of trust lost toward an alliance member spending nothing on defence "
        "(in proportion to its shortfall below the members' mean burden)",
        "Olson & Zeckhauser 1966 (free riding in alliances); modelling choice", "disillusion")
    broken_commitment_trust_loss: float = _p(
        0.3, 0.0, 1.0, "Share of trust lost toward a state whose reliability fell by all of it (pro rata)",
        "Crescenzi 2018 (reputation for reliability); Gibler 2008; modelling choice", "disillusion")
    stalling_share: float = _p(
        0.3, 0.0, 1.0, "Chance a fully dissatisfied challenger used a forum of no depth to stall, per settlement",
        "M2 (cheap talk); Johnston 2003 on ARF talk shops; modelling choice", "stalling")
    stalling_stake_gain: float = _p(
        0.1, 0.0, 0.5, "Share of the gap to 1 a stalling challenger's stake grows (fait accompli)",
        "Modelling choice", "stalling")
    stake_relaxation: float = _p(
        0.05, 0.0, 0.5, "Yearly pull of stakes back toward their starting level", "Modelling choice", "stalling")
    diversion_rate: float = _p(
        0.05, 0.0, 0.5, "Yearly chance a fully insecure government starts an extra crisis against a state it has a "
        "full quarrel with",
        "Rival to R1: Levy 1989; Gelpi 1997; Oakes 2012 (mixed evidence); modelling choice", "diversion")
    denial_effect: float = _p(
        0.3, 0.0, 1.0, "Chance a challenger relying fully on missiles backs down against a target intercepting "
        "all of them",
        "Snyder 1961 (deterrence by denial); O11/C3 counter-channel; modelling choice", "denial")

    # --- 7 institutions ------------------------------------------------------------------------
    depth_success_gain: float = _p(
        0.02, 0.0, 0.2, "Depth gained per crisis an institution ends itself (an alliance: deters)",
        "Haas 1958 (spill-over); Keohane 1984; modelling choice", "institutions")
    depth_failure_loss: float = _p(
        0.05, 0.0, 0.3, "Depth lost per crisis among members (an alliance: against one) ending in a fight",
        "Modelling choice", "institutions")
    depth_spillover: float = _p(
        0.02, 0.0, 0.2, "Yearly depth gained from functional cooperation (shared threats x interdependence)",
        "Haas 1958; Mitrany 1943; modelling choice", "institutions")
    depth_regime_security: float = _p(
        0.5, 0.0, 3.0, "Extra deepening of regime-rule institutions per unit of members' mean regime hazard (R4)",
        "Kim (R1-R4): regime security drives deeper cooperation; modelling choice", "institutions")
    depth_decay: float = _p(
        0.01, 0.0, 0.2, "Yearly depth decay without use", "Modelling choice", "institutions")
    cohesion_floor: float = _p(
        0.25, 0.0, 1.0, "Cohesion below which a multilateral institution's coalition, mediation and effects vanish",
        "O3; modelling choice", "institutions")
    formation_intercept: float = _p(
        -6.0, -15.0, 0.0, "Logit intercept of a new regional security regime forming in a year",
        "Modelling choice (F2; a regime forms rarely)", "institutions")
    formation_weight_arrangements: float = _p(
        3.0, 0.0, 10.0, "Logit weight of condition (a): existing arrangements that can evolve", "F2a; modelling choice", "institutions")
    formation_weight_interdependence: float = _p(
        3.0, 0.0, 10.0, "Logit weight of condition (b): economic interdependence", "F2b; modelling choice", "institutions")
    formation_weight_threat: float = _p(
        3.0, 0.0, 10.0, "Logit weight of condition (c): commonly perceived transnational threats", "F2c; modelling choice", "institutions")
    formation_weight_support: float = _p(
        3.0, 0.0, 10.0, "Logit weight of condition (d): support of the key actors", "F2d; modelling choice", "institutions")
    interdependence_reference: float = _p(
        0.03, 0.001, 0.2, "Trade dependence (trade/GDP) at which condition (b) counts as fully met",
        "Modelling choice (East Asian intra-regional dependence about 2-5% of GDP)", "institutions")
    formation_depth: float = _p(0.1, 0.0, 1.0, "Depth of a newly formed regime", "Modelling choice", "institutions")

    # --- 6c F2 conditions computed from the run ---------------------------------------------------
    leadership_slope: float = _p(
        6.0, 0.5, 20.0, "Logistic slope of a major power's chance to sponsor a regime in its net gain",
        "Modelling choice (F2d: the key actors' support)", "conditions")
    leadership_cost: float = _p(
        0.3, 0.0, 1.0, "Cost of leading a regime (providing its public goods), in units of net gain",
        "Kindleberger 1973; Keohane 1984 (leadership supplies public goods); modelling choice", "conditions")
    leadership_threat_weight: float = _p(
        1.0, 0.0, 3.0, "Weight of the threat a major power shares with the charter in its gain from sponsoring",
        "Jervis 1985 (concerts after a common war); F2c; modelling choice", "conditions")
    leadership_trade_weight: float = _p(
        0.5, 0.0, 3.0, "Weight of a major power's trade dependence on the charter in its gain from sponsoring",
        "F2b; Keohane 1984; modelling choice", "conditions")
    leadership_hub_weight: float = _p(
        0.5, 0.0, 3.0, "Value to a major power of its hub-and-spoke alternative, per share of the charter it "
        "already holds in bilateral alliances", "Cha 2010 (powerplay: the US preference for bilateral control); "
        "modelling choice", "conditions")
    willingness_regime_security: float = _p(
        1.0, 0.0, 3.0, "Weight of a government's regime insecurity (10 x hazard) in its willingness to accept rules",
        "Kim (R1); modelling choice", "conditions")
    willingness_norms: float = _p(
        0.5, 0.0, 2.0, "Weight of cooperative norms (above 0.5) in a state's willingness to accept rules",
        "Acharya 2001; Johnston 2008; modelling choice", "conditions")
    willingness_sovereignty_cost: float = _p(
        0.3, 0.0, 2.0, "Weight of an institution's sovereignty cost (obligation + formality) in unwillingness, "
        "scaled by the state's uncooperative norms", "Abbott & Snidal 2000 (hard and soft law); modelling choice",
        "conditions")
    hostility_dispute: float = _p(
        0.5, 0.0, 1.0, "Hostility of a state toward one it fought a fatal dispute with last year (a war: 1)",
        "Modelling choice (a dispute is a weaker signal of a common enemy than a war; Jervis 1985)", "conditions")
    form_preference_weight: float = _p(
        0.5, 0.0, 2.0, "Weight of a state's preference over an arrangement's form (-1..1) in its value of it, "
        "and in a major power's gain from sponsoring it", "Cha 2010; Hemmer & Katzenstein 2002; Acharya 2001 "
        "(preferences for bilateralism, hub and spokes, consensus forums); modelling choice", "conditions")
    form_threat_weight: float = _p(
        1.0, 0.0, 3.0, "Weight of the threat a state shares with an arrangement's charter in its value of it",
        "Walt 1987 (alliances against shared threats); modelling choice", "conditions")
    quorum_bilateral: float = _p(
        1.0, 0.5, 1.0, "Share of a bilateral alliance's charter that must accept for it to form",
        "Modelling choice (both partners)", "institutions")
    quorum_multilateral_alliance: float = _p(
        0.75, 0.0, 1.0, "Share of a collective-defence charter that must accept for it to form (the leader always)",
        "Modelling choice (a NATO-type treaty is founded by most of its intended members)", "institutions")
    quorum_concert: float = _p(
        1.0, 0.0, 1.0, "Share of a concert's charter that must accept for it to form (every major power always)",
        "Jervis 1985 (a concert needs every great power); modelling choice", "institutions")
    quorum_collective_security: float = _p(
        0.75, 0.0, 1.0, "Share of a collective-security charter that must accept for it to form",
        "Modelling choice (near-universal membership)", "institutions")
    quorum_forum: float = _p(
        0.5, 0.0, 1.0, "Share of a cooperative forum's charter that must accept for it to form (others may join later)",
        "Modelling choice (ARF 1994: ASEAN plus its dialogue partners, others acceded)", "institutions")
    quorum_regime: float = _p(
        0.67, 0.0, 1.0, "Share of a regime's (regime-defining or mutual-recognition) charter that must accept "
        "for it to form", "Modelling choice", "institutions")
    leave_rate: float = _p(
        0.05, 0.0, 1.0, "Yearly chance a member leaves a binding arrangement (an alliance, a concert, one with "
        "obligations), per unit of negative value to it", "Modelling choice", "institutions")
    leave_persistence: float = _p(
        0.5, 0.0, 2.0, "Value of staying in an arrangement per unit of its depth (institutionalised arrangements "
        "outlast the interests that made them)", "Keohane 1984 (institutions persist: the cost of building anew); "
        "modelling choice", "institutions")
    accession_rate: float = _p(
        0.1, 0.0, 1.0, "Yearly chance a charter state outside an institution joins, per unit of its value",
        "Modelling choice", "institutions")
    exit_rate: float = _p(
        0.05, 0.0, 1.0, "Yearly chance a member leaves, per unit of its dissatisfaction with the institution",
        "Modelling choice", "institutions")
    accession_trust: float = _p(
        0.3, 0.0, 1.0, "Trust toward a candidate the deciding members need (all under consensus, "
        "the mean under majority, the leader under hegemon)", "Modelling choice", "institutions")

    # --- 8 arms -----------------------------------------------------------------------------
    arms_reaction: float = _p(
        0.1, 0.0, 0.4, "Richardson reaction k: spending response per unit perceived threat",
        "Reference figures (docs/model.md, 8): ROK<-DPRK 0.16, DPRK<-ROK 0.14, US<-USSR 0.06, PRC<->JPN about 0", "arms")
    arms_fatigue: float = _p(
        0.15, 0.02, 0.6, "Richardson fatigue alpha: yearly pull of spending back toward its baseline",
        "Richardson 1960; Intriligator & Brito 1984 (stable if k1*k2 < a1*a2)", "arms")
    arms_md_gap: float = _p(
        1.0, 0.0, 4.0, "Weight of the missile-defence deterrence gap md/(1-md) in a rival's threat",
        "Intriligator & Brito 1984: retaliatory arsenal needed rises as 1/(1-interception)", "arms")
    arms_ally_substitution: float = _p(
        0.1, 0.0, 0.6, "Share of allies' credible committed spending that substitutes for one's own",
        "Olson & Zeckhauser 1966; Sandler & Hartley 2001 (weak free riding)", "arms")
    arms_norm_damping: float = _p(
        0.5, 0.0, 1.0, "How far full cooperative-norm internalisation damps the arms reaction",
        "Modelling choice (constructivist channel: Acharya 2001)", "arms")
    arms_binding_damping: float = _p(
        0.5, 0.0, 1.0, "How far a shared binding institution of full depth damps the reaction to a co-member",
        "Ikenberry 2001 (binding); modelling choice", "arms")
    arms_floor_share: float = _p(
        0.3, 0.0, 1.0, "Floor on spending as a share of the starting military burden (standing forces "
        "are not disbanded overnight)", "Modelling choice (bureaucratic inertia: Rattinger 1975)", "arms")
    max_burden: float = _p(
        0.25, 0.05, 0.5, "Budget ceiling: largest military spending as a share of GDP",
        "SIPRI: DPRK and Cold War peaks about 20-25% of GDP", "arms")
    military_depreciation: float = _p(
        0.1, 0.02, 0.3, "Yearly depreciation of the military stock (perpetual inventory)",
        "Standard perpetual-inventory rates for military equipment (about 10%/yr)", "arms")
    capability_military_weight: float = _p(
        0.5, 0.0, 1.0, "Weight of military stock (vs GDP) in the capability index",
        "CINC-style composite (Singer, Bremer & Stuckey 1972); modelling choice", "arms")
    distance_decay_km: float = _p(
        6000.0, 500.0, 30000.0, "Distance (km) over which projected power falls by a factor e",
        "Boulding 1962 loss-of-strength gradient; modelling choice", "arms")

    # --- 9 crisis onset ---------------------------------------------------------------------
    onset_intercept: float = _p(
        0.339, -12.0, 6.0, "Logit intercept of directed crisis onset",
        "Calibrated: 17.1 new disputes per 1,000 politically relevant dyad-years (1990-2010) "
        "on asia-pacific-2000; see secorder.calibration", "onset")
    onset_lower_democracy: float = _p(
        -0.10, -0.3, 0.1, "Per Polity2 point of the less democratic side", "Reference figures (docs/model.md, 8): COW/Polity dyadic logit, 1951-2010", "onset")
    onset_higher_democracy: float = _p(
        0.04, -0.1, 0.2, "Per Polity2 point of the more democratic side", "Reference figures (docs/model.md, 8)", "onset")
    onset_trade_dependence: float = _p(
        -25.0, -80.0, 0.0, "Per unit of the lower trade/GDP dependence", "Reference figures (docs/model.md, 8)", "onset")
    onset_alliance: float = _p(
        -0.09, -1.0, 0.5, "If the pair share an alliance (n.s. in the data)", "Reference figures (docs/model.md, 8)", "onset")
    onset_capability_ratio: float = _p(
        -0.21, -1.0, 0.2, "Per unit ln(stronger/weaker capability)", "Reference figures (docs/model.md, 8)", "onset")
    onset_noncontiguous: float = _p(
        -2.35, -4.0, 0.0, "If the pair are not contiguous (land or sea)", "Reference figures (docs/model.md, 8)", "onset")
    onset_log_distance: float = _p(
        -0.41, -1.0, 0.0, "Per unit ln(capital distance, km)", "Reference figures (docs/model.md, 8)", "onset")
    onset_both_minor: float = _p(
        -2.18, -4.0, 0.0, "If neither side is a major power", "Reference figures (docs/model.md, 8)", "onset")
    onset_peace_t: float = _p(-0.21, -0.5, 0.0, "Per year of peace t", "Reference figures (docs/model.md, 8)", "onset")
    onset_peace_t2: float = _p(0.34, 0.0, 1.0, "Per t^2/100", "Reference figures (docs/model.md, 8)", "onset")
    onset_peace_t3: float = _p(-0.015, -0.1, 0.0, "Per t^3/1000", "Reference figures (docs/model.md, 8)", "onset")
    dispute_continue_first: float = _p(
        0.22, 0.05, 0.6, "Chance a dispute active in its first year goes on into the next year",
        "COW MID 5.0 dyadic disputes begun 1946-2010: 464 of 2,094 were active in a second calendar "
        "year (0.22; 0.235 for 1990-2010)", "onset")
    dispute_continue_later: float = _p(
        0.49, 0.1, 0.9, "Chance a dispute active for two years or more goes on into the next year",
        "COW MID 5.0 dyadic disputes begun 1946-2010: yearly continuation after the second year, pooled "
        "(0.49; 0.48 for 1990-2010)", "onset")
    onset_stakes: float = _p(
        1.5, 0.0, 4.0, "Per unit of the challenger's issue stakes (territorial/status claims)",
        "Hensel et al. 2008 (ICOW): salient claims raise MID odds several-fold; modelling choice", "onset")
    onset_animosity: float = _p(
        1.0, 0.0, 3.0, "Per unit of historical animosity (rivalry)",
        "Colaresi, Rasler & Thompson 2007: strategic rivals dispute far more often; modelling choice", "onset")
    onset_misperception: float = _p(
        1.0, 0.0, 3.0, "Per unit the challenger's belief that the target is aggressive exceeds 0.5",
        "Jervis 1976 (spiral model); modelling choice", "onset")
    onset_dissatisfaction: float = _p(
        0.5, 0.0, 2.0, "Per unit of the challenger's dissatisfaction with the status quo",
        "Lemke & Werner 1996; modelling choice", "onset")
    parity_band: float = _p(
        1.25, 1.0, 2.0, "Capability ratio (stronger/weaker) under which a pair counts as at parity",
        "Organski & Kugler 1980; Lemke 2002 (0.8-1.25 band)", "onset")
    transition_parity_multiplier: float = _p(
        2.0, 1.0, 5.0, "Hazard multiplier for a pair at parity",
        "Kim 1992; Lemke & Werner 1996: parity about doubles the risk", "onset")
    transition_overtaking_multiplier: float = _p(
        1.5, 1.0, 5.0, "Extra multiplier when the weaker side grows faster and is dissatisfied",
        "Organski & Kugler 1980; Lemke & Werner 1996", "onset")

    # --- 10a prevention, 10b concert -----------------------------------------------------------
    prevention_rate: float = _p(
        0.5, 0.0, 1.0, "Chance a shared forum of full depth and transparency, with fully socialised and "
        "trusting parties, settles a crisis before it is militarised",
        "M2/M4: preventive diplomacy (ARF concept paper 1995); modelling choice", "prevention")
    concert_mediation_rate: float = _p(
        0.6, 0.0, 1.0, "Chance a fully cohesive concert settles a crisis by great-power mediation",
        "Elrod 1976; Jervis 1985 (Concert of Europe); modelling choice", "concert")
    concert_member_party_factor: float = _p(
        0.5, 0.0, 1.0, "Mediation chance multiplier when a party is itself a concert member",
        "Modelling choice: a concert restrains outsiders more easily than its own", "concert")

    # --- 10c deterrence and bargaining --------------------------------------------------------
    war_cost: float = _p(
        0.25, 0.02, 0.8, "Challenger's expected cost of war as a share of the disputed good",
        "Fearon 1995; modelling choice", "deterrence")
    nuclear_cost_multiplier: float = _p(
        0.5, 0.0, 6.0, "Extra war cost (relative) when the target, or a committed ally, is nuclear",
        "Jervis 1989 (nuclear revolution); set low against COW MID 5.0 dyadic onsets 1946-2010: against a "
        "nuclear target 33% of disputes were fatal and 11% wars, against others 32% and 11%; between two "
        "nuclear states 29% and 6% (docs/model.md, section 8)", "deterrence")
    limited_force_rate: float = _p(
        0.2, 0.0, 0.6, "Chance a crisis that ends in deterrence or settlement is still a fatal use of force "
        "below war (a limited incident)",
        "COW MID 5.0 dyadic disputes begun 1946-2010: 20% had fatalities at hostility level 4 (use of force "
        "short of war; 18% for 1990-2010); Snyder 1965 (stability-instability paradox)", "deterrence")
    private_info_range: float = _p(
        0.6, 0.05, 2.0, "c_bar: upper bound of the target's war cost as the challenger sees it",
        "Fearon 1995: P(war|crisis) = max(0, (1 - c_A/c_bar)/2)", "deterrence")
    transparency_info_effect: float = _p(
        0.5, 0.0, 1.0, "Share of c_bar removed by a shared forum of full transparency and depth",
        "Modelling choice (forums shrink private information)", "deterrence")
    status_quo_share: float = _p(
        0.5, 0.0, 1.0, "Share of the disputed good a fully satisfied challenger already holds",
        "Powell 1999 (status quo in bargaining); modelling choice", "deterrence")
    reliability_initial: float = _p(
        0.75, 0.0, 1.0, "Initial chance an ally honours its commitment",
        "Leeds, Long & Mitchell 2000: commitments honoured about 75% of the time", "deterrence")
    reliability_learning: float = _p(
        0.3, 0.0, 1.0, "Weight of each new test in a state's reliability record",
        "Modelling choice (reputation: Crescenzi 2007)", "deterrence")

    # --- 10d escalation ----------------------------------------------------------------------
    war_given_fight: float = _p(
        0.075, 0.005, 0.4, "Chance a fight (bargaining breakdown) becomes a war",
        "Reference figures (docs/model.md, 8): 2.3% of disputes became wars and about 31% were fatal (1990-2010)", "escalation")
    ally_join_escalation: float = _p(
        1.5, 1.0, 4.0, "Multiplier on war escalation when allies join a fight",
        "Vasquez 1993 (steps to war: alliances widen and escalate disputes)", "escalation")
    offense_defense_escalation: float = _p(
        0.5, 0.0, 2.0, "Log-multiplier on war escalation per unit of offence dominance",
        "Jervis 1978; Van Evera 1999", "escalation")

    # --- 11 war and its costs ------------------------------------------------------------------
    battle_deaths_exponent: float = _p(
        1.5, 1.2, 2.5, "Power-law exponent of war battle deaths (density)",
        "Richardson 1948; Clauset 2018: alpha about 1.5", "war")
    war_min_deaths: float = _p(1000.0, 1000.0, 1000.0, "Battle deaths at which a fight is a war", "COW definition", "war")
    battle_deaths_cap: float = _p(
        2.0e7, 1.0e5, 1.0e8, "Upper cap on battle deaths of one war (truncates the power law)",
        "Order of the Second World War's battle deaths", "war")
    war_gdp_loss: float = _p(
        0.03, 0.0, 0.2, "GDP share lost by each belligerent per order of magnitude of battle deaths above 100",
        "Glick & Taylor 2010; Collier 1999", "war")
    war_military_loss: float = _p(
        0.15, 0.0, 0.6, "Share of a belligerent's military stock destroyed in a war", "Modelling choice", "war")
    ally_cost_share: float = _p(
        0.5, 0.0, 1.0, "Share of the belligerents' war costs borne by an ally that joins", "Modelling choice", "war")
    war_trust_loss: float = _p(0.7, 0.0, 1.0, "Share of trust lost between belligerents in a war", "Modelling choice", "war")
    dispute_trust_loss: float = _p(0.1, 0.0, 0.5, "Share of trust lost after a fatal dispute", "Modelling choice", "war")
    war_animosity_gain: float = _p(0.3, 0.0, 1.0, "Animosity added by a war", "Modelling choice", "war")

    # --- 12 bookkeeping ----------------------------------------------------------------------
    arms_race_growth: float = _p(
        0.08, 0.02, 0.2, "Yearly spending growth of both rivals (and above GDP growth) that counts toward an arms race",
        "Horn 1987; Gibler, Rider & Hutchison 2005", "bookkeeping")
    arms_race_years: float = _p(3.0, 2.0, 6.0, "Consecutive years of mutual growth that make an arms race", "Horn 1987", "bookkeeping")
    major_power_share: float = _p(
        0.1, 0.02, 0.5, "Capability share of the region above which a state counts as a major power "
        "(when the scenario does not say)", "Modelling choice (COW major-power list for the built-ins)", "bookkeeping")

    # --- orders -------------------------------------------------------------------------------
    hegemony_share: float = _p(
        0.4, 0.2, 0.9, "Capability share of the leading state above which an order can be hegemonic",
        "Modelling choice (Gilpin 1981; Organski 1958)", "bookkeeping")
    hegemony_network: float = _p(
        0.2, 0.0, 1.0, "Share of other states the leader is committed to (hub and spokes) for a hegemonic order",
        "Cha 2010 (powerplay); modelling choice", "bookkeeping")
    order_cohesion: float = _p(
        0.25, 0.0, 1.0, "Cohesion a concert, association or collective-security organisation needs to order a region",
        "Set to the cohesion floor (an institution that still binds); checked on known cases: the Concert of "
        "Europe 1816-22 reads as a concert (Jervis 1985; tests/test_known_orders.py)", "bookkeeping")
    order_coverage: float = _p(
        0.5, 0.0, 1.0, "Share of the region's pairs of states an institution must span to order it",
        "Modelling choice; pairs, not states, so a two-member group does not order a four-state region "
        "(tests/test_known_orders.py)", "bookkeeping")

    # ------------------------------------------------------------------------------------------
    def __post_init__(self) -> None:
        # A Params object cannot exist with an unknown-range or non-finite value, however it
        # was made (constructor, replace, dataclasses.replace): the registry's one check runs.
        check_values(dataclasses.asdict(self))

    def replace(self, _field: str = "parameters", **changes: float) -> Params:
        """A validated copy with some values changed.

        Raises :class:`~secorder.errors.ParameterError` naming each unknown name, non-number,
        non-finite or out-of-range value (``_field`` prefixes the names in messages).
        """
        return dataclasses.replace(self, **check_values(changes, _field))

    def changed(self) -> dict[str, float]:
        """The values that differ from the registry's defaults (name -> value)."""
        meta = self.metadata()
        return {k: v for k, v in self.to_dict().items() if v != meta[k]["default"]}

    @classmethod
    def metadata(cls) -> dict[str, dict[str, Any]]:
        """Name -> {range, meaning, source, mechanism, default}."""
        return {
            f.name: {**f.metadata, "default": f.default}
            for f in dataclasses.fields(cls)
        }

    def to_dict(self) -> dict[str, float]:
        """Every parameter's value by name."""
        return dataclasses.asdict(self)

    def hash(self) -> str:
        """A short, stable hash of all values (recorded in every result's manifest)."""
        blob = json.dumps(self.to_dict(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    @classmethod
    def table(cls) -> list[dict[str, Any]]:
        """One row per parameter, for documentation and the CLI."""
        return [
            {"name": n, "mechanism": m["mechanism"], "default": m["default"], "range": m["range"],
             "meaning": m["meaning"], "source": m["source"]}
            for n, m in cls.metadata().items()
        ]


def check_values(values: Mapping[str, Any], field: str = "parameters") -> dict[str, float]:
    """Check parameter values against the registry; the one place parameters are validated.

    Every name must be a registered parameter and every value a finite real number inside
    the parameter's documented range. Returns the values as floats; raises
    :class:`~secorder.errors.ParameterError` listing every problem, each named
    ``{field}.{name}`` (``{field}{name}`` when ``field`` ends in ``": "``) so the user can find it.

    >>> check_values({"arms_reaction": 0.2})
    {'arms_reaction': 0.2}
    >>> check_values({"arms_reaction": float("nan")}, "--set")
    Traceback (most recent call last):
    ...
    secorder.errors.ParameterError: --set.arms_reaction: must be a finite number, got nan
    """
    if not isinstance(values, Mapping):
        raise ParameterError([(field, f"must be a mapping of parameter name -> value, got {type(values).__name__}")])
    meta = _METADATA or Params.metadata()
    problems: list[tuple[str, str]] = []
    out: dict[str, float] = {}
    for name, value in values.items():
        where = f"{field}{name}" if field.endswith(": ") or not field else f"{field}.{name}"
        if name not in meta:
            problems.append((where, "unknown parameter (see `secorder parameters`)"))
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            problems.append((where, f"must be a number, got {value!r}"))
            continue
        try:
            number = float(value)
        except OverflowError:
            problems.append((where, "is too large to be a number"))
            continue
        if not math.isfinite(number):
            problems.append((where, f"must be a finite number, got {number}"))
            continue
        lo, hi = meta[name]["range"]
        if not (lo <= number <= hi):
            problems.append((where, f"{number} is outside its range [{lo}, {hi}]"))
        out[name] = number
    if problems:
        raise ParameterError(problems)
    return out


_METADATA: dict[str, dict[str, Any]] = {}
_METADATA.update(Params.metadata())
