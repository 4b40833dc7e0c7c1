"""The catalogue: one declarative entry per claim of the theory (docs/model.md, section 10).

Each entry (a :class:`~secorder.experiments.framework.Claim`) is data only: the claim's text,
its scenarios, its arms (a built-in architecture plus the defining operations, levers or
parameters, with placeholders such as ``$leader`` filled in per scenario), its tests (outcome,
treatment and control arm, kind, direction, and the smallest effect of substantive interest
with its justification), how the tests' verdicts aggregate, the parameters whose uncertainty
the robust analysis samples, and witnesses: settings inside the documented ranges under which
the experiment gives each verdict (the tests check them). How claims are run and judged is in
:mod:`secorder.experiments.framework`; to add a claim, add an entry here.

Units of the smallest effects: disputes and wars are counted per decade for the whole region;
trust, suspicion, the order index and shares of years or runs are on 0-1 scales; burdens are
percentage points of GDP.
"""

from __future__ import annotations

from secorder.experiments.framework import Arm, Catalogue, Claim, ClaimTest

CLAIMS = Catalogue()
WITNESS_RUNS, WITNESS_YEARS = 30, 30  # the size at which each entry's witnesses were found and are checked
_register = CLAIMS.register

F = "fatal_disputes_per_decade"
STATUS_QUO = Arm()
NO_ALLIANCES = Arm(operations=({"remove": ["bilateral_alliance", "collective_defense"]},))
OPENING = {"lever": "opening_up", "states": "all", "rate": 0.02}
TYING = {"lever": "tying_down", "states": ["$rival"], "institutions": "$joinable"}
BINDING = {"lever": "binding", "states": ["$leader", "$rival"], "depth": 0.5}
MISSILE_DEFENCE = {"lever": "missile_defense", "states": ["$leader", "$leader_ally"], "coverage": 0.5,
                   "from_year": "$start+5"}

# smallest effects of substantive interest, shared by several claims
FATAL = (0.25, "a quarter of a fatal dispute per decade region-wide (one more every 40 years), about a fifth of "
               "the status quo's rate in asia-pacific-2000: less would not change how a government ranks two orders")
TRUST = (0.02, "0.02 on the 0-1 trust scale, a fourteenth of the gap between today's mean trust (about 0.42) and "
               "the security-community threshold (0.7): smaller moves change no accession or alignment decision")
BURDEN = (0.25, "a quarter of a percentage point of GDP in arms spending, the size of the budget changes defence "
                "white papers single out as a policy shift")

_register(Claim(
    id="M2", title="The forum alone cannot keep the peace",
    text="A cooperative security forum (dialogue, confidence-building, preventive diplomacy, no enforcement) "
         "cannot keep the peace alone: once prevention fails it has no means to handle a military conflict.",
    scenarios=("asia-pacific-2000", "asia-pacific-2024"),
    arms={"forum-alone": Arm("cooperative-forum"), "multilayer": Arm("multilayer")},
    tests=(ClaimTest("the forum alone suffers more fatal disputes than forum plus alliances", F, "forum-alone",
                "multilayer", *FATAL),),
    uncertain=("prevention_rate", "reliability_initial", "war_cost", "onset_intercept", "war_given_fight"),
))

_register(Claim(
    id="M3", title="The existing alliance is the best complement to the forum",
    text="Of seven candidate complements to the forum (hegemony, collective security, collective defence, a "
         "concert, self-help, another bilateral alliance, the US-Japan alliance) only the last is feasible.",
    scenarios=("asia-pacific-2000", "asia-pacific-2024"),
    arms={"multilayer": Arm("multilayer"), "hegemony": Arm("hegemony"),
          "collective-security": Arm("collective-security"), "collective-defense": Arm("collective-defense"),
          "concert": Arm("concert"), "alt-bilateral": Arm("alt-bilateral"), "self-help": Arm("cooperative-forum")},
    tests=tuple(ClaimTest(f"forum plus {a} suffers more fatal disputes than forum plus the existing alliances", F, a,
                     "multilayer", *FATAL)
                for a in ("hegemony", "collective-security", "collective-defense", "concert", "alt-bilateral",
                          "self-help")),
    uncertain=("reliability_initial", "war_cost", "concert_mediation_rate", "cohesion_floor", "aligned_obligation"),
    notes="M3 judges the complements' feasibility; the model measures their effect once in place, so M3 is "
          "tested as: the existing alliances do better than every alternative complement.",
))

_register(Claim(
    id="M4", title="Prevention lowers the alliance's workload",
    text="Forum and alliance reinforce each other: successful prevention lowers the alliance's workload and costs.",
    scenarios=("asia-pacific-2000", "asia-pacific-2024"),
    arms={"multilayer": Arm("multilayer"), "alliances-only": Arm("bilateral-alliances")},
    tests=(
        ClaimTest("with the forum, fewer crises reach the alliance's deterrence layer", "ended_deterrence_per_decade",
             "multilayer", "alliances-only", 0.5, "half a crisis per decade reaching deterrence, about 5% of the "
             "deterrence layer's load in the status quo", direction=-1),
        ClaimTest("with the forum, allies bear less of the cost of fighting", "ally_cost_bn", "multilayer",
             "alliances-only", 5.0, "5 bn over the horizon, a tenth of the allies' cost in the status quo",
             direction=-1),
    ),
    uncertain=("prevention_rate", "transparency_precision", "reliability_initial", "ally_cost_share"),
))

_register(Claim(
    id="O3", title="Without cohesion an order reverts",
    text="Where no cohesion exists, an order reverts to hegemony or balance of power.",
    scenarios=("asia-pacific-2000",),
    arms={"concert": Arm("concert"), "no-alliances": NO_ALLIANCES},
    tests=(
        ClaimTest("a concert left to build its own cohesion changes fatal disputes by less than the SESOI against the "
             "same region without it", F, "concert", "no-alliances", *FATAL, kind="equivalence"),
        ClaimTest("a concert left to build its own cohesion orders the region in almost no year", "share_concert",
             "concert", "no-alliances", 0.05, "a twentieth of the years (1.5 of 30): a concert that orders the region "
             "less often than that has not taken hold", kind="equivalence"),
    ),
    uncertain=("cohesion_floor", "order_cohesion", "concert_mediation_rate", "reliability_initial", "trust_decay"),
    notes="O3 is conditional on cohesion being absent: the concert's cohesion is not set but emerges from trust, "
          "reliability and satisfaction; if it rises above the floor the concert acts and the equivalence fails.",
))

_register(Claim(
    id="O4", title="A concert is the most promising community-based order",
    text="A concert is the most promising community-based order for the region: it needs great-power trust and "
         "conflict-resolution mechanisms but no ideological convergence.",
    scenarios=("asia-pacific-2000",),
    arms={"concert": Arm("concert"), "collective-security": Arm("collective-security"),
          "security-community": Arm("security-community"),
          "common-security": Arm(operations=(
              {"remove": ["bilateral_alliance", "collective_defense"]},
              {"add": {"id": "common-security", "name": "Common security association", "type": "regime_defining",
                       "members": "all", "regime_rule": "defining", "obligation": 0.5, "target": "any_member",
                       "decision_rule": "consensus", "transparency": 0.5, "depth": 0.3}}))},
    tests=tuple(
        ClaimTest(f"a concert orders the region in more years than {a} orders it as its own kind", "share_concert",
             "concert", a, 0.05, "a twentieth of the years (1.5 of 30), the least that separates two orders' "
             "prospects", control_outcome=own)
        for a, own in (("collective-security", "share_collective_security"),
                       ("security-community", "share_security_community"),
                       ("common-security", "share_common_security"))),
    uncertain=("order_cohesion", "community_trust", "cohesion_floor", "concert_mediation_rate", "trust_decay"),
    notes="Every community-based order is measured by one yardstick: the share of years the bookkeeping classifies "
          "the region as that kind of order (the same classifier, the same thresholds), rather than trust against "
          "one threshold and cohesion against another.",
))

_register(Claim(
    id="O7", title="Institutionalised hegemony attracts less counter-balancing",
    text="Hegemonic power wrapped in institutions (self-restraint) attracts less counter-balancing; the realist "
         "counter-claim is that concentrated power is always balanced in time.",
    scenarios=("asia-pacific-2000",),
    arms={"restrained": Arm(operations=({"remove": ["bilateral_alliance", "collective_defense"]},
                                        {"hub_and_spoke": {"restraint": 1.0}})),
          "unrestrained": Arm(operations=({"remove": ["bilateral_alliance", "collective_defense"]},
                                          {"hub_and_spoke": {"restraint": 0.0}}))},
    tests=(
        ClaimTest("the leader's rivals carry a lower arms burden under restraint", "balancing_burden_pct", "restrained",
             "unrestrained", *BURDEN, direction=-1),
        ClaimTest("the others suspect the leader less by the final year under restraint", "leader_suspicion_final",
             "restrained", "unrestrained", 0.02, "0.02 on the 0-1 belief scale, a seventh of the others' mean "
             "suspicion of the leader in the status quo", direction=-1),
    ),
    uncertain=("arms_binding_damping", "transparency_precision", "belief_arms_signal", "arms_reaction",
               "balancing_weight"),
))

_register(Claim(
    id="O8", title="The three liberal levers raise trust and reinforce each other",
    text="Liberal grand strategy has three levers that reinforce each other: opening up, tying down, binding.",
    scenarios=("asia-pacific-2000",),
    arms={"status-quo": STATUS_QUO, "opening-up": Arm(levers=(OPENING,)), "tying-down": Arm(levers=(TYING,)),
          "binding": Arm(levers=(BINDING,)), "all-three": Arm(levers=(OPENING, TYING, BINDING))},
    tests=(
        *(ClaimTest(f"{a} raises mean trust", "mean_trust_final", a, "status-quo", *TRUST)
          for a in ("opening-up", "tying-down", "binding")),
        ClaimTest("the three together raise trust by more than the sum of their separate effects (they reinforce "
             "each other)", "mean_trust_final", "all-three", "status-quo", 0.01, "half the trust SESOI: a "
             "synergy smaller than that adds nothing a reader could see beside the separate effects",
             kind="interaction", components=("opening-up", "tying-down", "binding")),
    ),
    uncertain=("trust_trade_rate", "trust_membership_rate", "socialisation_rate", "trust_decay", "closed_regime_damping"),
))

_register(Claim(
    id="O9", title="The liberal levers lower conflict and build community",
    text="The levers act on interests, capabilities and identity: together they lower conflict and move the "
         "region toward a multilateral, community-based order.",
    scenarios=("asia-pacific-2000",),
    arms={"status-quo": STATUS_QUO, "all-three": Arm(levers=(OPENING, TYING, BINDING))},
    tests=(
        ClaimTest("the three together lower fatal disputes", F, "all-three", "status-quo", *FATAL, direction=-1),
        ClaimTest("the three together move the order toward community", "order_index_final", "all-three", "status-quo",
             0.02, "0.02 on the 0-1 order index, a twenty-fifth of the way from hegemony to community"),
    ),
    uncertain=("trust_trade_rate", "trust_membership_rate", "onset_trade_dependence", "socialisation_rate",
               "trust_decay"),
))

_register(Claim(
    id="O11", title="Missile defence provokes counter-balancing",
    text="Missile defence reduces the defender's vulnerability and so undermines the adversary's deterrent: the "
         "adversary reads it as provocation (counter-balancing, arms build-up).",
    scenarios=("asia-pacific-2000",),
    arms={"status-quo": STATUS_QUO, "missile-defence": Arm(levers=(MISSILE_DEFENCE,))},
    tests=(ClaimTest("missile defence raises the arms burden of the leader's rivals", "balancing_burden_pct",
                "missile-defence", "status-quo", *BURDEN),),
    uncertain=("arms_md_gap", "arms_reaction", "belief_md_signal", "arms_fatigue", "max_burden"),
))

_register(Claim(
    id="C3", title="A missile-defence scheme starts arms races",
    text="A US-led missile-defence scheme provokes counter-building.",
    scenarios=("asia-pacific-2000",),
    arms={"status-quo": STATUS_QUO, "missile-defence": Arm(levers=(MISSILE_DEFENCE,))},
    tests=(ClaimTest("missile defence starts more arms races", "arms_race_episodes", "missile-defence", "status-quo",
                0.1, "one more arms-race spell in ten futures of 30 years"),),
    uncertain=("arms_md_gap", "arms_reaction", "belief_md_signal", "arms_race_growth", "arms_fatigue"),
))

_register(Claim(
    id="C1", title="A balance of power deters war but drives arms",
    text="Northeast Asia keeps peace by balance of power across the Korean divide; this deters war but drives "
         "arms build-up.",
    scenarios=("asia-pacific-2000",),
    arms={"balance-of-power": Arm("balance-of-power"), "forum-alone": Arm("cooperative-forum")},
    tests=(
        ClaimTest("a balance of power has fewer wars than a forum alone", "wars_per_decade", "balance-of-power",
             "forum-alone", 0.02, "one war fewer in 500 years region-wide, about a fifth of the status quo's rate",
             direction=-1),
        ClaimTest("a balance of power carries a higher arms burden than a forum alone", "arms_burden_pct",
             "balance-of-power", "forum-alone", 0.1, "a tenth of a percentage point of GDP averaged over every "
             "state, a twentieth of the region's mean burden"),
    ),
    uncertain=("alignment_threshold", "balancing_weight", "war_cost", "arms_reaction", "aligned_obligation"),
))

_register(Claim(
    id="F2", title="Four conditions make a Northeast Asian regime feasible",
    text="Four conditions make a Northeast Asian security regime feasible: (a) existing arrangements that can "
         "evolve, (b) economic interdependence, (c) commonly perceived transnational threats, (d) support of the "
         "key actors.",
    scenarios=("northeast-asia-2003",),
    arms={"status-quo": STATUS_QUO, "no-arrangements": NO_ALLIANCES, "opening-up": Arm(levers=(OPENING,)),
          "more-threat": Arm(parameters={"threat_hit_rate": 0.9}), "binding": Arm(levers=(BINDING,))},
    tests=(
        ClaimTest("(a) without the existing arrangements formation is less likely", "regime_formed_final",
             "no-arrangements", "status-quo", 0.05, "formation in one more future of twenty", direction=-1),
        ClaimTest("(b) opening up makes formation likelier", "regime_formed_final", "opening-up", "status-quo", 0.05,
             "formation in one more future of twenty"),
        ClaimTest("(c) more frequent shared transnational threats make formation likelier", "regime_formed_final",
             "more-threat", "status-quo", 0.05, "formation in one more future of twenty"),
        ClaimTest("(d) binding the leader and its rival makes formation likelier", "regime_formed_final", "binding",
             "status-quo", 0.05, "formation in one more future of twenty"),
    ),
    aggregate="majority",
    uncertain=("formation_intercept", "interdependence_reference", "formation_weight_arrangements",
               "formation_weight_threat", "formation_weight_support"),
    notes="The formation mechanism takes the four conditions as its inputs, so formation responding to each is "
          "partly by construction; each condition is varied here by a change in the world (removing the "
          "alliances, opening up, more frequent threats, binding), not by setting the condition.",
))

_register(Claim(
    id="R2", title="Regime rules stabilise relations among members",
    text="An institution that defines an acceptable regime, and one that mutually recognises members' regimes, "
         "each stabilise relations among members.",
    scenarios=("asia-pacific-2000",),
    arms={"no-rule": Arm(levers=({"lever": "regime_rule", "institution": "$association", "rule": "none"},)),
          "mutual-recognition": Arm(levers=({"lever": "regime_rule", "institution": "$association",
                                             "rule": "mutual_recognition"},)),
          "regime-defining": Arm(levers=({"lever": "regime_rule", "institution": "$association",
                                          "rule": "defining"},))},
    tests=tuple(
        ClaimTest(f"a {a.replace('-', ' ')} rule lowers militarised disputes", "disputes_per_decade", a, "no-rule", 0.2,
             "a fifth of a dispute per decade, about one in eighty of the region's disputes", direction=-1)
        for a in ("mutual-recognition", "regime-defining")),
    uncertain=("mutual_recognition_shield", "regime_sanction_effect", "regime_support_effect",
               "regime_interference_effect", "regime_rule_threshold"),
))

_register(Claim(
    id="R3", title="Regime rules strengthen members' regime security",
    text="Both kinds of institution (regime-defining and mutual-recognition) strengthen members' regime security.",
    scenarios=("asia-pacific-2000",),
    arms={"no-rule": Arm(levers=({"lever": "regime_rule", "institution": "$association", "rule": "none"},)),
          "mutual-recognition": Arm(levers=({"lever": "regime_rule", "institution": "$association",
                                             "rule": "mutual_recognition"},)),
          "regime-defining": Arm(levers=({"lever": "regime_rule", "institution": "$association",
                                          "rule": "defining"},))},
    tests=tuple(
        ClaimTest(f"a {a.replace('-', ' ')} rule lowers regime challenges", "regime_challenges_per_decade", a, "no-rule",
             0.1, "a tenth of a challenge per decade, about one in fifty of the region's coups and armed "
             "challenges", direction=-1)
        for a in ("mutual-recognition", "regime-defining")),
    uncertain=("mutual_recognition_shield", "regime_sanction_effect", "regime_support_effect",
               "regime_rule_threshold", "regime_interference_effect"),
))


__all__ = ["CLAIMS", "WITNESS_RUNS", "WITNESS_YEARS"]
