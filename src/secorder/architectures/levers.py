"""Policy levers: switched on within any architecture, one small registered function each.

A lever is written as a mapping naming it and its fields (``{lever: binding, states: [USA,
CHN], depth: 0.5}``). Each lever has its own model (the fields it takes, their bounds, which
are required), so a bad lever is reported as ``levers[0].states: binding: ...``. To add a
lever, subclass :class:`Lever` with ``lever: Literal["name"]`` and its fields, write the
function (signature in :mod:`secorder.architectures.base`) and register both here; the
architecture schema, validation and ``secorder architectures levers`` read :data:`LEVERS`.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import Field, TypeAdapter

from secorder.architectures.base import Overlay, Registry, ScheduledChange, Strict, Unit, Year
from secorder.errors import InputError

LEVERS = Registry("lever")
States = Annotated[list[str], Field(min_length=1)] | Literal["all"]


class Lever(Strict):
    """A policy switched on within an architecture; ``Lever.model_validate`` picks the lever's own model."""

    lever: str

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Lever:  # type: ignore[override]
        """Validate ``obj`` with the model of the lever it names (on ``Lever`` itself)."""
        if cls is Lever and not isinstance(obj, Lever):
            return lever_adapter().validate_python(obj, **kwargs)
        return super().model_validate(obj, **kwargs)


def lever_type() -> Any:
    """Any registered lever, told apart by its ``lever`` field (a pydantic discriminated union)."""
    models = tuple(entry.args for entry in LEVERS.values())
    return Annotated[Union[models], Field(discriminator="lever")]  # noqa: UP007 -- built from the registry


@cache
def lever_adapter() -> TypeAdapter:
    """Validates any registered lever."""
    return TypeAdapter(lever_type())


# ------------------------------------------------------------------------------ the levers
class MissileDefense(Lever):
    lever: Literal["missile_defense"]
    states: States = Field(description="states that deploy it")
    coverage: Unit = Field(description="share of incoming missiles intercepted, 0..1")
    from_year: Year | None = Field(None, description="year of deployment (default: the start)")


@LEVERS.register("missile_defense", MissileDefense,
                 "sets the states' missile-defence coverage (0-1) from `from_year` (default: the start); rivals read the rise "
                 "as a threat, their needed arsenal rising as 1/(1 - coverage)",
                 {"lever": "missile_defense", "states": ["JPN"], "coverage": 0.5, "from_year": 2005})
def missile_defense(d: Overlay, lv: MissileDefense, at: str) -> Overlay:
    sc = d.scenario
    states = d.codes_for(lv.states, f"{at}.states")
    year = lv.from_year or sc.year
    if year <= sc.year:
        return d.edit_states(states, {"missile_defense": lv.coverage}, at)
    return d.scheduled(ScheduledChange(year, "missile_defense", tuple(sc.codes.index(c) for c in states),
                                       lv.coverage))


class OpeningUp(Lever):
    lever: Literal["opening_up"]
    states: States = Field(description="states that open up")
    rate: float = Field(ge=-0.2, le=0.2, description="extra yearly trade growth")


@LEVERS.register("opening_up", OpeningUp, "extra yearly trade growth `rate` (-0.2..0.2) for the states (or `all`)",
                 {"lever": "opening_up", "states": "all", "rate": 0.02})
def opening_up(d: Overlay, lv: OpeningUp, at: str) -> Overlay:
    return d.edit_states(d.codes_for(lv.states, f"{at}.states"), {"openness": lv.rate}, at)


class TyingDown(Lever):
    lever: Literal["tying_down"]
    states: States = Field(description="states that join")
    institutions: list[str] = Field(min_length=1, description="ids of the institutions they join")


@LEVERS.register("tying_down", TyingDown, "the states join those institutions (by id)",
                 {"lever": "tying_down", "states": ["PRK"], "institutions": ["apec"]})
def tying_down(d: Overlay, lv: TyingDown, at: str) -> Overlay:
    states = d.codes_for(lv.states, f"{at}.states")
    for iid in lv.institutions:
        target = d.institution(iid, f"{at}.institutions")
        d = d.edit_institution(iid, {"members": [*target.members, *[c for c in states if c not in target.members]]},
                               f"{at}.institutions")
    return d


class Binding(Lever):
    lever: Literal["binding"]
    states: list[str] = Field(min_length=2, description="the two (or more) potential rivals")
    depth: Unit = Field(0.5, description="depth of the binding institution")


@LEVERS.register("binding", Binding, "a transparent cooperative institution of the given depth linking two or more potential rivals",
                 {"lever": "binding", "states": ["USA", "CHN"], "depth": 0.5})
def binding(d: Overlay, lv: Binding, at: str) -> Overlay:
    states = d.codes_for(lv.states, f"{at}.states")
    if len(set(states)) != len(states):
        raise InputError([(f"{at}.states", f"needs two (or more) different potential rivals, got {states}")])
    return d.add_institution({
        "id": f"binding-{'-'.join(c.lower() for c in states)}", "name": "Binding institution",
        "type": "cooperative_forum", "members": list(states), "decision_rule": "consensus",
        "transparency": 0.7, "informality": 0.3, "depth": lv.depth}, at)


class RegimeRule(Lever):
    lever: Literal["regime_rule"]
    institution: str = Field(description="id of the institution")
    rule: Literal["defining", "mutual_recognition", "none"] = Field(description="the rule it adopts")


@LEVERS.register("regime_rule", RegimeRule,
                 "sets an institution's regime rule: `defining`, `mutual_recognition` or `none`",
                 {"lever": "regime_rule", "institution": "asean", "rule": "defining"})
def regime_rule(d: Overlay, lv: RegimeRule, at: str) -> Overlay:
    target = d.institution(lv.institution, f"{at}.institution")
    changes: dict[str, Any] = {"regime_rule": lv.rule}
    # the two association types carry their rule in their type; keep type and rule in step
    if target.type in ("mutual_recognition", "regime_defining"):
        changes["type"] = {"none": "cooperative_forum", "defining": "regime_defining",
                           "mutual_recognition": "mutual_recognition"}[lv.rule]
    return d.edit_institution(target.id, changes, f"{at}.institution")


class ForumTeeth(Lever):
    lever: Literal["forum_teeth"]
    institution: str = Field(description="id of the forum")
    obligation: Unit = Field(description="its members' obligation to act against any aggressor")


@LEVERS.register("forum_teeth", ForumTeeth, "the institution must act against any aggressor, with this obligation (O12)",
                 {"lever": "forum_teeth", "institution": "arf", "obligation": 0.5})
def forum_teeth(d: Overlay, lv: ForumTeeth, at: str) -> Overlay:
    target = d.institution(lv.institution, f"{at}.institution")
    return d.edit_institution(target.id, {"obligation": lv.obligation, "obligations": {}, "target": "any_member"},
                              f"{at}.institution")
