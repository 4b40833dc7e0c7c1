"""The catalogue: one declarative entry per experiment on the claims (docs/model.md, section 10).

Each entry (an :class:`~secorder.experiments.framework.Experiment`) names its claims, the
scenarios, a function that builds its arms for a scenario, its tests (claim, outcome,
treatment and control arm, expected direction, equivalence margin), the parameters its
sensitivity reruns vary, and the rules that judge it (``verdict_rule``, ``claim_rule``;
today's rules by default). How experiments are run and judged is in
:mod:`secorder.experiments.framework`; to add an experiment, add an entry here.
"""

from __future__ import annotations

from secorder.architectures import Architecture, capability_shares, leader, load_architecture
from secorder.experiments.compare import Comparison
from secorder.experiments.framework import (
    Catalogue,
    ClaimTest,
    Experiment,
    ExperimentResult,
    Verdict,
    evaluate,
    run_experiment,
)
from secorder.params import Params
from secorder.scenario import Scenario


# ------------------------------------------------------------------------------ arms
def _arch(name: str, title: str, **spec) -> Architecture:
    return Architecture.model_validate({"name": name, "title": title, **spec})


def main_rival(sc: Scenario) -> str:
    """The state with the largest stake against the leading state (ties: the more capable)."""
    lead = leader(sc)
    share = dict(zip(sc.codes, capability_shares(sc), strict=True))
    best, score = None, -1.0
    for d in sc.dyads:
        if lead in d.states:
            other = d.states[0] if d.states[1] == lead else d.states[1]
            stakes = d.stakes if isinstance(d.stakes, dict) else {c: d.stakes or 0.0 for c in d.states}
            s = stakes.get(other, 0.0) + (d.animosity or 0.0) + share[other]
            if s > score:
                best, score = other, s
    return best or sorted(sc.codes, key=lambda c: -share[c])[1]


def layered_arms(sc: Scenario) -> dict[str, Architecture]:
    names = ["cooperative-forum", "multilayer", "bilateral-alliances", "hegemony", "collective-security",
             "collective-defense", "concert", "alt-bilateral"]
    return {n: load_architecture(n) for n in names}


def community_arms(sc: Scenario) -> dict[str, Architecture]:
    arms = {n: load_architecture(n) for n in ("cooperative-forum", "concert", "collective-security",
                                               "security-community")}
    arms["common-security"] = _arch(
        "common-security", "Common security association",
        operations=[{"remove": ["bilateral_alliance", "collective_defense"]},
                    {"add": {"id": "common-security", "name": "Common security association", "type": "regime_defining",
                             "members": "all", "regime_rule": "defining", "obligation": 0.5,
                             "target": "any_member", "decision_rule": "consensus", "transparency": 0.5,
                             "depth": 0.3}}],
    )
    arms["no-alliances"] = _arch("no-alliances", "The scenario without its alliances (the concert's control)",
                                 operations=[{"remove": ["bilateral_alliance", "collective_defense"]}])
    return arms


def hegemony_arms(sc: Scenario) -> dict[str, Architecture]:
    ops = [{"remove": ["bilateral_alliance", "collective_defense"]}]
    return {
        f"hegemony-r{r:g}": _arch(f"hegemony-r{r:g}", f"Hegemony, restraint {r:g}",
                                  operations=[*ops, {"hub_and_spoke": {"restraint": r}}])
        for r in (0.0, 1.0)
    }


def liberal_arms(sc: Scenario) -> dict[str, Architecture]:
    rival, lead = main_rival(sc), leader(sc)
    joinable = [i.id for i in sc.institutions if i.type in ("cooperative_forum", "economic", "mutual_recognition")]
    opening = {"lever": "opening_up", "states": "all", "rate": 0.02}
    tying = {"lever": "tying_down", "states": [rival], "institutions": joinable}
    binding = {"lever": "binding", "states": [lead, rival], "depth": 0.5}
    sq = load_architecture("status-quo")
    return {
        "status-quo": sq,
        "opening-up": sq.with_levers([opening], "opening"),
        "tying-down": sq.with_levers([tying], "tying"),
        "binding": sq.with_levers([binding], "binding"),
        "all-three": sq.with_levers([opening, tying, binding], "all-three"),
    }


def missile_defence_arms(sc: Scenario) -> dict[str, Architecture]:
    lead = leader(sc)
    allies = [i.members for i in sc.institutions if i.type == "bilateral_alliance" and lead in i.members]
    partner = allies[0][1] if allies and allies[0][0] == lead else (allies[0][0] if allies else lead)
    md = {"lever": "missile_defense", "states": sorted({lead, partner}), "coverage": 0.5, "from_year": sc.year + 5}
    sq = load_architecture("status-quo")
    return {
        "status-quo": sq,
        "missile-defence": sq.with_levers([md], "md"),
        "balance-of-power": load_architecture("balance-of-power"),
        "cooperative-forum": load_architecture("cooperative-forum"),
    }


def feasibility_arms(sc: Scenario) -> dict[str, Architecture]:
    sq = load_architecture("status-quo")
    lead, rival = leader(sc), main_rival(sc)
    return {
        "status-quo": sq,
        "opening-up": sq.with_levers([{"lever": "opening_up", "states": "all", "rate": 0.02}], "opening"),
        "binding": sq.with_levers([{"lever": "binding", "states": [lead, rival], "depth": 0.5}], "binding"),
    }


def regime_arms(sc: Scenario) -> dict[str, Architecture]:
    sq = load_architecture("status-quo")
    target = next((i.id for i in sc.institutions if i.type in ("mutual_recognition", "regime_defining")), None)
    if target is None:
        raise ValueError(f"scenario {sc.name} has no association to vary the regime rule of")
    return {
        "status-quo": sq,
        "no-rule": sq.with_levers([{"lever": "regime_rule", "institution": target, "rule": "none"}], "no-rule"),
        "mutual-recognition": sq.with_levers(
            [{"lever": "regime_rule", "institution": target, "rule": "mutual_recognition"}], "mutual-recognition"),
        "regime-defining": sq.with_levers(
            [{"lever": "regime_rule", "institution": target, "rule": "defining"}], "regime-defining"),
    }


# ------------------------------------------------------------------------------ extras
CLOSE = 0.02  # distances closer than this do not separate two orders


def community_distance(comparisons: dict[str, Comparison], params: Params) -> tuple[list[str], dict[str, str]]:
    """How far each community-based order is from its cohesion threshold (O4).

    O4 is supported if the concert is the closest, not supported if another order is closer by
    more than ``CLOSE``, inconclusive otherwise.
    """
    verdicts = []
    lines = ["| scenario | order | institution | final cohesion or trust | threshold | distance |",
             "|---|---|---|---:|---:|---:|"]
    for name, cmp in comparisons.items():
        rows = []
        for arm, inst_id, threshold, what in (
            ("concert", "concert", params.order_cohesion, "cohesion"),
            ("collective-security", "collective-security", params.order_cohesion, "cohesion"),
            ("common-security", "common-security", params.order_cohesion, "cohesion"),
            ("security-community", "regional-community", params.community_trust, "trust"),
        ):
            res = cmp.results[arm]
            if what == "cohesion":
                k = res.institution_ids.index(inst_id)
                achieved = float(res.institutions_mean["cohesion"][-1, k])
            else:
                achieved = float(res.system_mean["mean_trust"][-1])
            distance = max(0.0, threshold - achieved) / threshold
            rows.append((distance, arm, inst_id, achieved, threshold, what))
        for distance, arm, inst_id, achieved, threshold, what in sorted(rows):
            lines.append(f"| {name} | {arm} | `{inst_id}` | {achieved:.3f} ({what}) | {threshold:.2f} | {distance:.2f} |")
        lines.append(f"| {name} | **closest** | | | | **{sorted(rows)[0][1]}** |")
        concert = next(r[0] for r in rows if r[1] == "concert")
        best_other = min(r[0] for r in rows if r[1] != "concert")
        verdicts.append("supported" if concert <= best_other else
                        "not supported" if best_other < concert - CLOSE else "inconclusive")
    lines += ["", "Distance = how far the achieved cohesion (for the security community: mean trust) falls short "
              "of the threshold, as a share of the threshold (0 = reached). Final year, mean across runs."]
    o4 = "supported" if all(v == "supported" for v in verdicts) else (
        "not supported" if "not supported" in verdicts else "inconclusive")
    return lines, {"O4": o4}


def formation_table(comparisons: dict[str, Comparison], params: Params) -> tuple[list[str], dict[str, str]]:
    """Formation probability over time and the four conditions, with the binding one (F2)."""
    lines = []
    weights = {"arrangements": params.formation_weight_arrangements,
               "interdependence": params.formation_weight_interdependence,
               "threat": params.formation_weight_threat, "support": params.formation_weight_support}
    for name, cmp in comparisons.items():
        res = cmp.results["status-quo"]
        years = res.year_index
        lines += [f"**{name}, status quo: share of runs in which the regime has formed, and the four conditions "
                  "(means across runs)**", "",
                  "| year | formed | (a) arrangements | (b) interdependence | (c) threat | (d) support | binding |",
                  "|---:|---:|---:|---:|---:|---:|---|"]
        for t in range(0, len(years), max(len(years) // 6, 1)):
            cond = {c: float(res.system_mean[f"condition_{c}"][t]) for c in weights}
            binding = min(cond, key=lambda c: weights[c] * cond[c])
            lines.append(f"| {years[t]} | {res.system_mean['regime_formed'][t]:.2f} | "
                         + " | ".join(f"{cond[c]:.2f}" for c in weights) + f" | {binding} |")
        lines += ["", "Binding: the condition with the smallest weighted contribution to the formation logit.", ""]
    return lines, {}


# ------------------------------------------------------------------------------ registry
F = "fatal_disputes_per_decade"
EXPERIMENTS = Catalogue()
_register = EXPERIMENTS.register


_register(Experiment(
    name="layered-system", title="The forum alone, its seven complements, and the multi-layered system",
    claims=("M2", "M3", "M4"), scenarios=("asia-pacific-2000", "asia-pacific-2024"), arms=layered_arms,
    question="Can a cooperative security forum keep the peace alone; which complement works best with it; "
             "does prevention lower the alliance's workload?",
    tests=(
        ClaimTest("M2", "the forum alone suffers more fatal disputes than forum plus alliances", F,
             "cooperative-forum", "multilayer", +1),
        *(ClaimTest("M3", f"forum plus {a} suffers more fatal disputes than forum plus the existing alliances", F,
               a, "multilayer", +1)
          for a in ("hegemony", "collective-security", "collective-defense", "concert", "alt-bilateral")),
        ClaimTest("M3", "self-help (the forum with no complement) suffers more fatal disputes than forum plus alliances",
             F, "cooperative-forum", "multilayer", +1),
        ClaimTest("M4", "with the forum, fewer crises reach the alliance's deterrence layer",
             "ended_deterrence_per_decade", "multilayer", "bilateral-alliances", -1),
        ClaimTest("M4", "with the forum, allies bear less of the cost of fighting", "ally_cost_bn",
             "multilayer", "bilateral-alliances", -1),
    ),
    sensitivity=("prevention_rate", "reliability_initial", "war_cost"),
    notes="The seven complements of M3 are encoded as architectures that keep the scenario's forums: hegemony "
          "(hub and spokes), collective security, collective defence, a concert, self-help (the forum alone), "
          "another bilateral alliance in place of the linchpin, and the existing alliances (multilayer). M3 "
          "judges the complements' *feasibility*; the model measures their *effect* once in place (how they came "
          "about is not modelled), so M3 is tested here as: the existing alliances do better than every "
          "alternative complement.",
))

_register(Experiment(
    name="order-cohesion", title="Reversion without cohesion, and the distance of each community-based order",
    claims=("O3", "O4"), scenarios=("asia-pacific-2000",), arms=community_arms,
    question="Does an order revert to hegemony or balance of power when its cohesion is absent; which "
             "community-based order is closest to its threshold?",
    tests=(
        ClaimTest("O3", "a concert, left to build its own cohesion, changes fatal disputes by no more than 0.1 per "
                   "decade against the same region without it (it reverts to what forums and deterrence give)",
             F, "concert", "no-alliances", 0, margin=0.1),
        ClaimTest("O3", "a concert, left to build its own cohesion, orders the region in no more than 5% of years",
             "share_concert", "concert", "no-alliances", 0, margin=0.05),
    ),
    sensitivity=("order_cohesion", "concert_mediation_rate"),
    extra=community_distance,
    notes="O3 is conditional on cohesion being absent: the concert's cohesion is not set but emerges from "
          "trust, reliability and satisfaction; if it rises above the floor the concert acts and the "
          "equivalence tests fail. O4 is judged from the table of distances: supported if the concert is the "
          "closest community-based order to its threshold.",
))

_register(Experiment(
    name="hegemony-restraint", title="Institutionalised versus unrestrained hegemony",
    claims=("O7",), scenarios=("asia-pacific-2000",), arms=hegemony_arms,
    question="Does hegemonic power wrapped in institutions attract less counter-balancing?",
    tests=(
        ClaimTest("O7", "the leader's rivals carry a lower arms burden under restraint", "balancing_burden_pct",
             "hegemony-r1", "hegemony-r0", -1),
        ClaimTest("O7", "the others suspect the leader less by the final year under restraint",
             "leader_suspicion_final", "hegemony-r1", "hegemony-r0", -1),
    ),
    sensitivity=("arms_binding_damping", "transparency_precision"),
    notes="Counter-balancing is measured by the arms burden of the states that quarrel with the leader and by "
          "the others' belief that the leader is aggressive; rivals' spending in bn is reported in the tables "
          "but not tested, because it moves with their economic growth and with which states are rivals. The "
          "realist counter-claim (concentrated power is always balanced in time) is read from the time paths: "
          "if the rivals' arms burden still rises under restrained hegemony, balancing persists.",
))

_register(Experiment(
    name="liberal-levers", title="Opening up, tying down and binding: alone and together",
    claims=("O8", "O9"), scenarios=("asia-pacific-2000",), arms=liberal_arms,
    question="Do the three liberal levers raise trust and lower conflict, and do they reinforce each other?",
    tests=(
        *(ClaimTest("O8", f"{lv} raises mean trust", "mean_trust_final", lv, "status-quo", +1)
          for lv in ("opening-up", "tying-down", "binding")),
        ClaimTest("O8", "the three together raise trust more than binding alone", "mean_trust_final", "all-three",
             "binding", +1),
        ClaimTest("O9", "the three together lower fatal disputes", F, "all-three", "status-quo", -1),
        ClaimTest("O9", "the three together move the order toward community", "order_index_final", "all-three",
             "status-quo", +1),
    ),
    sensitivity=("trust_trade_rate", "trust_membership_rate", "socialisation_rate"),
))

_register(Experiment(
    name="missile-defence", title="Missile defence and counter-building; balance of power and arms build-up",
    claims=("O11", "C3", "C1"), scenarios=("asia-pacific-2000",), arms=missile_defence_arms,
    question="Does missile defence provoke counter-building; does a balance of power deter war but drive arms?",
    tests=(
        ClaimTest("O11", "missile defence raises the arms burden of the leader's rivals", "balancing_burden_pct",
             "missile-defence", "status-quo", +1),
        ClaimTest("C3", "missile defence starts more arms races", "arms_race_episodes", "missile-defence", "status-quo", +1),
        ClaimTest("C1", "a balance of power has fewer wars than a forum alone", "wars_per_decade", "balance-of-power",
             "cooperative-forum", -1),
        ClaimTest("C1", "a balance of power carries a higher arms burden than a forum alone", "arms_burden_pct",
             "balance-of-power", "cooperative-forum", +1),
    ),
    sensitivity=("arms_md_gap", "arms_reaction"),
))

_register(Experiment(
    name="regime-feasibility", title="Feasibility of a Northeast Asian security regime",
    claims=("F2",), scenarios=("northeast-asia-2003",), arms=feasibility_arms,
    question="How likely is a regime to form, and which of the four conditions binds?",
    tests=(
        ClaimTest("F2", "opening up (interdependence, condition b) makes formation likelier", "regime_formed_final",
             "opening-up", "status-quo", +1),
        ClaimTest("F2", "binding the leader and its rival (support, condition d) makes formation likelier",
             "regime_formed_final", "binding", "status-quo", +1),
    ),
    sensitivity=("formation_intercept", "interdependence_reference"),
    extra=formation_table,
    notes="The formation mechanism takes the four conditions as its inputs, so formation responding to them "
          "is partly by construction; the informative results are how likely formation is, how fast the "
          "conditions move, and which condition binds.",
))

_register(Experiment(
    name="regime-security", title="Mutual recognition versus regime-defining rules",
    claims=("R2", "R3"), scenarios=("asia-pacific-2000",), arms=regime_arms,
    question="Do non-interference and regime-defining associations strengthen members' regime security and "
             "stabilise relations?",
    tests=(
        ClaimTest("R3", "a mutual-recognition rule lowers regime challenges", "regime_challenges_per_decade",
             "mutual-recognition", "no-rule", -1),
        ClaimTest("R3", "a regime-defining rule lowers regime challenges", "regime_challenges_per_decade",
             "regime-defining", "no-rule", -1),
        ClaimTest("R2", "a mutual-recognition rule lowers militarised disputes", "disputes_per_decade",
             "mutual-recognition", "no-rule", -1),
        ClaimTest("R2", "a regime-defining rule lowers militarised disputes", "disputes_per_decade",
             "regime-defining", "no-rule", -1),
    ),
    sensitivity=("mutual_recognition_shield", "regime_sanction_effect"),
    notes="The rule is varied on the scenario's regional association (ASEAN in asia-pacific-2000). R1 and R4 "
          "are expressed as channels (insecure governments value regime rules when joining; regime-rule "
          "institutions deepen with members' insecurity) and are not tested separately here.",
))


__all__ = ["EXPERIMENTS", "ClaimTest", "Experiment", "ExperimentResult", "Verdict", "evaluate", "run_experiment"]
