"""The operations an architecture is written in: one small registered function each.

An architecture file lists operations, each a mapping with exactly one key, the operation's
name, holding its arguments (``- remove: [concert]``, ``- hub_and_spoke: {restraint: 1}``).
To add an operation, write a function with the signature of :mod:`secorder.architectures.base`
and register it here with its argument type and a one-line summary; the schema, the
validation and ``secorder architectures operations`` pick it up from :data:`OPERATIONS`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from secorder.architectures.base import InstType, Overlay, Registry, Strict, Unit
from secorder.architectures.selectors import (
    SELECTORS,
    capability_shares,
    leader,
    leader_allies,
    would_accept_alliance,
)
from secorder.errors import InputError
from secorder.scenario.schema import ALLIANCE_TYPES, InstitutionSpec

OPERATIONS = Registry("operation")


@OPERATIONS.register("remove", list[InstType], "drop every institution of these types",
                     {"remove": ["bilateral_alliance", "collective_defense"]})
def remove(d: Overlay, types: list[str], at: str) -> Overlay:
    return d.with_institutions([i for i in d.scenario.institutions if i.type not in types])


@OPERATIONS.register("keep_only", list[InstType], "drop every institution not of these types",
                     {"keep_only": ["cooperative_forum", "economic"]})
def keep_only(d: Overlay, types: list[str], at: str) -> Overlay:
    return d.with_institutions([i for i in d.scenario.institutions if i.type in types])


@OPERATIONS.register("alignment", Literal["fixed", "free"],
                     "'free' lets states form and drop bilateral commitments each year", {"alignment": "free"})
def alignment(d: Overlay, mode: str, at: str) -> Overlay:
    return d.with_system({"alignment": mode}, at)


@OPERATIONS.register(
    "add", InstitutionSpec,
    "add an institution (the scenario's institution fields); members: a list of codes or "
    + ", ".join(SELECTORS),
    {"add": {"id": "concert", "name": "Concert of great powers", "type": "concert", "members": "majors"}})
def add(d: Overlay, inst: InstitutionSpec, at: str) -> Overlay:
    spec = inst.model_dump()
    selector = spec["members"]
    if isinstance(selector, str):
        if selector not in SELECTORS:
            raise InputError([(f"{at}.members", f"unknown selector {selector!r}; use a list of state codes or "
                               f"one of {sorted(SELECTORS)}")])
        members = SELECTORS[selector][1](d.scenario)
    elif isinstance(selector, list):
        members = selector
    else:
        raise InputError([(f"{at}.members", f"must be a list of state codes or one of {sorted(SELECTORS)}, "
                           f"got {selector!r}")])
    return d.add_institution({**spec, "members": members}, at)


class Deepen(Strict):
    types: list[InstType] = Field(description="the institution types to deepen")
    depth: Unit = Field(description="depth each of them is raised to (never lowered)")
    transparency: Unit = Field(0.0, description="transparency each of them is raised to (never lowered)")


@OPERATIONS.register(
    "deepen", Deepen, "raise the depth (and transparency) of every institution of these types to at least the values",
    {"deepen": {"types": ["cooperative_forum"], "depth": 0.5, "transparency": 0.5}})
def deepen(d: Overlay, g: Deepen, at: str) -> Overlay:
    for inst in d.scenario.institutions:
        if inst.type in g.types:
            d = d.edit_institution(inst.id, {"depth": max(inst.depth, g.depth),
                                             "transparency": max(inst.transparency, g.transparency)}, at)
    return d


class HubAndSpoke(Strict):
    obligation: Unit = Field(0.8, description="the leader's obligation to each spoke")
    partner_obligation: Unit = Field(0.3, description="each spoke's obligation to the leader")
    restraint: Unit = Field(0.5, description="transparency of the alliances and depth of a leader-inclusive forum")
    min_trust: Unit = Field(0.4, description="starting trust in the leader a state needs to accept an alliance "
                            "(besides no quarrel with it and not being a major power itself)")


@OPERATIONS.register(
    "hub_and_spoke", HubAndSpoke,
    "the leader's alliances replaced by bilateral alliances with every state that would accept one (its allies, and minor "
    "powers with no quarrel with it that trust it enough); restraint adds a leader-inclusive forum in "
    "proportion (institutionalised self-restraint, O7)",
    {"hub_and_spoke": {"obligation": 0.8, "partner_obligation": 0.3, "restraint": 0.5, "min_trust": 0.4}})
def hub_and_spoke(d: Overlay, h: HubAndSpoke, at: str) -> Overlay:
    sc = d.scenario
    lead = leader(sc)
    # the leader's own alliances give way to the hub; other states' alliances stay
    d = d.with_institutions([i for i in sc.institutions if not (i.type in ALLIANCE_TYPES and lead in i.members)])
    for c in (c for c in sc.codes if c != lead and would_accept_alliance(sc, lead, c, h.min_trust)):
        d = d.add_institution({
            "id": f"hub-{lead.lower()}-{c.lower()}", "name": f"{lead}-{c} alliance", "type": "bilateral_alliance",
            "members": [lead, c], "leader": lead, "obligations": {lead: h.obligation, c: h.partner_obligation},
            "target": "outside", "decision_rule": "hegemon", "transparency": h.restraint, "depth": 0.5}, at)
    if h.restraint > 0:
        d = d.add_institution({
            "id": "hegemonic-institution", "name": "Leader-inclusive institution (self-restraint)",
            "type": "cooperative_forum", "members": list(sc.codes), "leader": lead, "decision_rule": "consensus",
            "transparency": h.restraint, "depth": 0.6 * h.restraint, "informality": 0.5}, at)
    return d


class MergeAlliances(Strict):
    obligation: Unit = Field(0.8, description="obligation of the merged organisation")


@OPERATIONS.register(
    "merge_alliances", MergeAlliances,
    "the leader's bilateral alliances become one collective-defence organisation",
    {"merge_alliances": {"obligation": 0.8}})
def merge_alliances(d: Overlay, m: MergeAlliances, at: str) -> Overlay:
    sc = d.scenario
    lead, allies = leader(sc), leader_allies(sc)
    d = d.with_institutions([i for i in sc.institutions if not (i.type == "bilateral_alliance" and lead in i.members)])
    if not allies:
        return d
    return d.add_institution({
        "id": "collective-defense", "name": "Collective defence organisation", "type": "collective_defense",
        "members": [lead, *allies], "leader": lead, "obligation": m.obligation, "target": "outside",
        "decision_rule": "majority", "transparency": 0.5, "depth": 0.5}, at)


class ReplaceLinchpin(Strict):
    obligation: Unit = Field(0.7, description="obligation of the new alliance")


@OPERATIONS.register(
    "replace_linchpin", ReplaceLinchpin,
    "the leader's alliance with its most capable partner is replaced by one between that partner and the "
    "strongest other state", {"replace_linchpin": {"obligation": 0.7}})
def replace_linchpin(d: Overlay, r: ReplaceLinchpin, at: str) -> Overlay:
    sc = d.scenario
    lead = leader(sc)
    mine = [i for i in sc.institutions if i.type == "bilateral_alliance" and lead in i.members]
    if not mine:
        return d
    share = capability_shares(sc)
    strength = {c: share[k] for k, c in enumerate(sc.codes)}
    linchpin = max(mine, key=lambda i: max(strength[m] for m in i.members if m != lead))
    partner = next(m for m in linchpin.members if m != lead)
    others = [sc.codes[k] for k in np.argsort(-share) if sc.codes[k] not in (lead, partner)]
    if not others:
        raise InputError([(at, f"needs a third state to ally with {partner}; scenario {sc.name} has only "
                           f"{lead} and {partner}")])
    d = d.with_institutions([i for i in sc.institutions if i is not linchpin])
    return d.add_institution({
        "id": f"alt-{partner.lower()}-{others[0].lower()}", "name": f"{partner}-{others[0]} alliance",
        "type": "bilateral_alliance", "members": [partner, others[0]], "obligation": r.obligation,
        "target": "outside", "depth": linchpin.depth}, at)
