"""The scenario format: a validated description of a region at a starting year.

A scenario says *what exists*: states, the relations between pairs of them, the institutions,
and any parameter overrides. It is written in YAML and validated here with pydantic v2;
every error names the field path (``states[3].gdp``) and the problem.

Units: money in billions of current US dollars, population in millions, distances in km,
shares and scores in [0, 1] unless stated otherwise (``regime`` is on the Polity2 scale
-10..10, ``offense_defense`` on -1..1).
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

Unit = Annotated[float, Field(ge=0.0, le=1.0)]

# Upper bounds that no real region comes near (world GDP is about 1e5 bn USD, world population
# 8e3 million, the longest great-circle distance 20,015 km); they stop typos such as 1e308
# from reaching the model, where they would overflow into NaN outcomes.
MAX_GDP_BN = 1e6
MAX_POPULATION_M = 2e4
MAX_DISTANCE_KM = 20_100.0
MAX_TRADE_BN = 1e5
MAX_STATES = 1000
MAX_INSTITUTIONS = 1000
MAX_NAME = 200
MAX_TEXT = 20_000
CODE_RE = re.compile(r"^[A-Z]{2,4}$")

InstitutionType = Literal[
    "bilateral_alliance",
    "collective_defense",
    "collective_security",
    "concert",
    "cooperative_forum",
    "regime_defining",
    "mutual_recognition",
    "economic",
]
INSTITUTION_TYPES: tuple[str, ...] = InstitutionType.__args__  # type: ignore[attr-defined]
ALLIANCE_TYPES = ("bilateral_alliance", "collective_defense")

# The forms of arrangement a state can prefer or dislike (issue: preferences over form), and the
# form of each institution type (economic institutions are no security arrangement).
Form = Literal["bilateral", "multilateral_alliance", "concert", "collective_security", "forum", "regime"]
FORMS: tuple[str, ...] = Form.__args__  # type: ignore[attr-defined]
FORM_OF_TYPE: dict[str, str | None] = {
    "bilateral_alliance": "bilateral", "collective_defense": "multilateral_alliance", "concert": "concert",
    "collective_security": "collective_security", "cooperative_forum": "forum", "regime_defining": "regime",
    "mutual_recognition": "regime", "economic": None,
}


def _allows_bool(annotation: Any) -> bool:
    return annotation is bool or any(_allows_bool(a) for a in get_args(annotation))


class _Strict(BaseModel):
    # allow_inf_nan=False: .inf, -.inf and .nan are rejected in every number field
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, v: Any, info: ValidationInfo) -> Any:
        # YAML's yes/no/true/false would otherwise be read as 1.0/0.0 in a number field
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(v, bool) and field is not None and not _allows_bool(field.annotation) \
                and ("float" in str(field.annotation) or "int" in str(field.annotation)):
            raise ValueError(f"must be a number, got {str(v).lower()}")
        return v


class System(_Strict):
    """System-wide conditions."""

    offense_defense: float = Field(
        0.0, ge=-1.0, le=1.0, description="Offence-defence balance: -1 defence dominant, +1 offence dominant."
    )
    transnational_threat: Unit = Field(
        0.3, description="Long-run level of shared transnational threats (terrorism, piracy, disasters, pandemics)."
    )
    alignment: Literal["fixed", "free"] = Field(
        "fixed", description="'free' lets states form and drop bilateral commitments each year."
    )


class State(_Strict):
    """One state at the scenario's start year."""

    code: str = Field(description="COW alphabetic code, e.g. USA, CHN, ROK, PRK, TAW.")
    ccode: int | None = Field(None, ge=1, le=999, description="COW numeric code, if any.")
    name: str = Field(min_length=1, max_length=MAX_NAME)
    gdp: float = Field(gt=0, le=MAX_GDP_BN, description="GDP, bn current USD.")
    growth: float = Field(ge=-0.3, le=0.3, description="Trend real GDP growth per year.")
    population: float = Field(gt=0, le=MAX_POPULATION_M, description="Population, millions.")
    military_spending: float = Field(ge=0, le=MAX_GDP_BN / 2, description="Military expenditure, bn current USD per year.")
    nuclear: bool = False
    strike_capability: Unit | None = Field(
        None, description="Long-range strike (retaliatory) capability 0..1; default 1 if nuclear else 0."
    )
    missile_defense: Unit = Field(0.0, description="Missile-defence coverage 0..1.")
    regime: float = Field(ge=-10, le=10, description="Regime score on the Polity2 scale.")
    regime_hazard: Unit = Field(0.02, description="Annual chance a coup or armed challenge starts.")
    satisfaction: Unit = Field(0.5, description="Satisfaction with the regional status quo.")
    norms: Unit = Field(0.3, description="Internalisation of cooperative-security norms.")
    capital: tuple[float, float] | None = Field(None, description="Capital (latitude, longitude).")
    major_power: bool | None = Field(None, description="Force the major-power flag; None derives it.")
    openness: float = Field(0.0, ge=-0.2, le=0.2, description="Extra yearly trade growth from opening up.")
    form_preference: dict[Form, Annotated[float, Field(ge=-1.0, le=1.0)]] = Field(
        default_factory=dict,
        description="Preference over the form of arrangements, -1 (rejects) .. +1 (favours), per form: "
        "bilateral, multilateral_alliance, concert, collective_security, forum, regime; a form not listed is 0.",
    )

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not CODE_RE.match(v):
            raise ValueError("must be 2-4 upper-case letters (a COW alphabetic code such as USA)")
        return v

    @field_validator("capital")
    @classmethod
    def _capital(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not (-90 <= v[0] <= 90 and -180 <= v[1] <= 180):
            raise ValueError("must be [latitude in -90..90, longitude in -180..180]")
        return v

    @model_validator(mode="after")
    def _spending_within_gdp(self) -> State:
        if self.military_spending > 0.5 * self.gdp:
            raise ValueError(
                f"military_spending ({self.military_spending}) is more than half of gdp ({self.gdp})"
            )
        return self


class DyadDefaults(_Strict):
    """Values for every pair not listed (or not given) under ``dyads``."""

    trust: Unit = 0.3
    animosity: Unit = 0.0
    stakes: Unit = 0.0
    peace_years: int = Field(20, ge=0, le=200, description="Years since the pair's last militarised dispute.")


class Dyad(_Strict):
    """Relations between a pair of states; symmetric unless ``stakes`` is given per side."""

    states: tuple[str, str]
    contiguity: Literal["land", "sea", "none"] = "none"
    distance_km: float | None = Field(
        None, gt=0, le=MAX_DISTANCE_KM, description="Capital distance; None computes it from capitals."
    )
    trade: float = Field(0.0, ge=0, le=MAX_TRADE_BN, description="Total bilateral trade, bn current USD per year.")
    stakes: Unit | dict[str, Unit] | None = Field(
        None, description="Issue stakes/claims 0..1; a mapping gives each side's stake."
    )
    animosity: Unit | None = None
    trust: Unit | None = None
    issue: str | None = Field(None, max_length=MAX_NAME, description="What the stakes are about, e.g. 'Taiwan Strait'.")
    peace_years: int | None = Field(None, ge=0, le=200, description="Years since the last militarised dispute.")

    @model_validator(mode="after")
    def _pair(self) -> Dyad:
        a, b = self.states
        if a == b:
            raise ValueError(f"a dyad needs two different states, got {a} twice")
        if isinstance(self.stakes, dict):
            unknown = set(self.stakes) - {a, b}
            if unknown:
                raise ValueError(f"stakes names {sorted(unknown)}, which are not in this dyad {a}-{b}")
        return self


class Institution(_Strict):
    """An alliance, forum, concert, association or economic institution."""

    id: str = Field(max_length=MAX_NAME)
    name: str = Field(min_length=1, max_length=MAX_NAME)
    type: InstitutionType
    members: list[str] = Field(min_length=2, max_length=MAX_STATES)
    leader: str | None = None
    obligation: Unit = Field(0.0, description="0 dialogue only .. 1 automatic defence of members.")
    obligations: dict[str, Unit] = Field(
        default_factory=dict, description="Per-member obligation to defend the others (overrides obligation)."
    )
    target: Literal["outside", "any_member", "none"] = "none"
    regime_rule: Literal["none", "defining", "mutual_recognition"] = "none"
    decision_rule: Literal["consensus", "majority", "hegemon"] = "consensus"
    transparency: Unit = 0.0
    informality: Unit = 0.5
    depth: Unit = 0.3
    founded: int | None = Field(None, ge=1800, le=2200)
    status: Literal["active", "potential", "planned"] = Field(
        "active", description="'potential': a regime that may form during the run (its members are the charter); "
        "'planned': a stage of a staged design (secorder.designs), without members until the design puts it in place.",
    )

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not re.match(r"^[a-z0-9][a-z0-9_-]*$", v):
            raise ValueError("must be a lower-case slug (letters, digits, '-' or '_')")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Institution:
        _check_institution(self, list(self.members))
        return self


def _check_institution(inst: Institution, members: list[str] | None) -> None:
    """Membership rules; ``members`` None when a selector (e.g. 'all') stands for them."""
    if members is not None:
        if len(set(members)) != len(members):
            raise ValueError("members lists a state more than once")
        if inst.type == "bilateral_alliance" and len(members) != 2:
            raise ValueError(f"a bilateral_alliance has exactly 2 members, got {len(members)}")
        if inst.leader is not None and inst.leader not in members:
            raise ValueError(f"leader {inst.leader} is not among the members")
        extra = set(inst.obligations) - set(members)
        if extra:
            raise ValueError(f"obligations names non-members {sorted(extra)}")


MemberSelector = Literal["all", "majors", "leader", "leader-allies"]


class InstitutionSpec(Institution):
    """An institution an architecture adds (``add:``).

    Validated like a scenario's institution, except that ``members`` may also be a selector
    resolved on each scenario.
    """

    members: Annotated[list[str], Field(min_length=2, max_length=MAX_STATES)] | MemberSelector = "all"  # type: ignore[assignment]

    @model_validator(mode="after")
    def _consistent(self) -> InstitutionSpec:
        _check_institution(self, list(self.members) if isinstance(self.members, list) else None)
        return self


class Scenario(_Strict):
    """A region at a start year: states, dyads, institutions, parameter overrides."""

    name: str = Field(max_length=MAX_NAME)
    title: str = Field("", max_length=MAX_TEXT)
    description: str = Field("", max_length=MAX_TEXT)
    year: int = Field(ge=1816, le=2200, description="The start year.")
    sources: dict[str, str] = Field(default_factory=dict, description="Source note per field group.")
    defaults_used: list[str] = Field(
        default_factory=list, description="Fields filled from documented defaults rather than data."
    )
    system: System = Field(default_factory=System)
    states: list[State] = Field(min_length=2, max_length=MAX_STATES)
    dyad_defaults: DyadDefaults = Field(default_factory=DyadDefaults)
    dyads: list[Dyad] = Field(default_factory=list, max_length=MAX_STATES * (MAX_STATES - 1) // 2)
    institutions: list[Institution] = Field(default_factory=list, max_length=MAX_INSTITUTIONS)
    parameters: dict[str, float] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not re.match(r"^[a-z0-9][a-z0-9_.-]*$", v):
            raise ValueError("must be a lower-case slug such as asia-pacific-2000")
        return v

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        # Collected, not raised one at a time, so a user fixes a file in one pass.
        problems: list[str] = []
        codes = [s.code for s in self.states]
        seen: dict[str, int] = {}
        for i, c in enumerate(codes):
            if c in seen:
                problems.append(f"states[{i}].code: {c} repeats states[{seen[c]}].code")
            seen[c] = i
        known = set(codes)
        pairs: dict[frozenset[str], int] = {}
        for i, d in enumerate(self.dyads):
            for j, c in enumerate(d.states):
                if c not in known:
                    problems.append(f"dyads[{i}].states[{j}]: unknown state code {c!r}")
            key = frozenset(d.states)
            if key in pairs:
                problems.append(
                    f"dyads[{i}].states: the pair {d.states[0]}-{d.states[1]} is already given at "
                    f"dyads[{pairs[key]}]; a pair's symmetric data must be given once"
                )
            pairs[key] = i
        with_distance = {frozenset(d.states) for d in self.dyads if d.distance_km is not None}
        no_capital = [s.code for s in self.states if s.capital is None]
        for c in no_capital:
            missing = [o for o in codes if o != c and frozenset((c, o)) not in with_distance]
            if missing:
                problems.append(
                    f"states[{codes.index(c)}].capital: needed to compute the distance to "
                    f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''} "
                    "(or give dyads[].distance_km for those pairs)"
                )
        for k, inst in enumerate(self.institutions):
            for j, c in enumerate(inst.members):
                if c not in known:
                    problems.append(f"institutions[{k}].members[{j}]: unknown state code {c!r}")
        ids = [inst.id for inst in self.institutions]
        for k, i in enumerate(ids):
            if ids.index(i) != k:
                problems.append(f"institutions[{k}].id: {i!r} is used twice")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def __repr__(self) -> str:
        return (f"Scenario(name={self.name!r}, year={self.year}, states={len(self.states)}, "
                f"dyads={len(self.dyads)}, institutions={len(self.institutions)})")

    __str__ = __repr__

    def state(self, code: str) -> State:
        """The state with this code."""
        for s in self.states:
            if s.code == code:
                return s
        raise KeyError(code)

    @property
    def codes(self) -> list[str]:
        """The states' codes, in order."""
        return [s.code for s in self.states]


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance between two (lat, lon) points in km (Earth radius 6,371 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
