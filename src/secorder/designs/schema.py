"""The design file: an institution built in stages, each with a trigger and a rule for failure.

A design names one institution and lists its **stages** in order. The first stage creates the
institution; the others deepen it (depth, transparency), widen it (new members), add rules (a
regime rule, a decision rule, verification) or add teeth (an obligation to act against any
aggressor). Each stage waits for its **trigger**, a year (``year: 2030``) or a condition on the
run (``{variable: trust, pair: [CHN, JPN], above: 0.5}``), and may **fail** (``fails_if``: a
condition that holds within ``within`` years of the stage), with an ``on_failure`` rule:
``retry`` after some years, ``revert`` to the previous stage for good, or ``abandon`` the design.

Validation here is of the file alone; the state codes, institution ids and variables are
checked against a scenario by :func:`secorder.designs.plan.plan_design`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from secorder.architectures.base import Strict, Unit, pydantic_problems
from secorder.errors import InputError
from secorder.scenario.schema import InstitutionSpec

STAGE_KINDS = ("create", "deepen", "widen", "add_rules", "add_teeth")
ACTIONS = ("retry", "revert", "abandon")
Year = Annotated[int, Field(ge=1816, le=2200)]
Years = Annotated[int, Field(ge=1, le=200)]


class Condition(Strict):
    """A condition on a run: a registered variable (with its pair, state or institution) against a bound.

    Exactly one of ``above``, ``below``, ``at_least``, ``at_most``. ``for_years`` asks that it
    hold that many years in a row (counted at the start of each year).
    """

    variable: str = Field(description="a variable of secorder.designs.variables.VARIABLES")
    pair: list[str] | None = Field(None, min_length=2, max_length=2, description="two state codes")
    state: str | None = Field(None, description="a state code")
    institution: str | None = Field(None, description="an institution id (the design's own, or the scenario's)")
    above: float | None = Field(None, allow_inf_nan=False)
    below: float | None = Field(None, allow_inf_nan=False)
    at_least: float | None = Field(None, allow_inf_nan=False)
    at_most: float | None = Field(None, allow_inf_nan=False)
    for_years: Years = Field(1, description="years in a row the condition must hold")

    @model_validator(mode="after")
    def _one_bound(self) -> Condition:
        bounds = [b for b in ("above", "below", "at_least", "at_most") if getattr(self, b) is not None]
        if len(bounds) != 1:
            raise ValueError(f"give exactly one of above, below, at_least, at_most (got {bounds or 'none'})")
        if self.pair is not None and self.pair[0] == self.pair[1]:
            raise ValueError(f"pair names {self.pair[0]} twice")
        return self

    @property
    def bound(self) -> tuple[str, float]:
        """The comparison and its value, e.g. ``("above", 0.5)``."""
        for b in ("above", "below", "at_least", "at_most"):
            v = getattr(self, b)
            if v is not None:
                return b, float(v)
        raise AssertionError("validated")  # pragma: no cover

    def describe(self) -> str:
        """The condition in words, e.g. ``trust CHN-JPN above 0.5``."""
        where = ("-".join(self.pair) if self.pair else self.state or self.institution or "")
        op, value = self.bound
        held = f" for {self.for_years} years" if self.for_years > 1 else ""
        return f"{self.variable}{' ' + where if where else ''} {op.replace('_', ' ')} {value:g}{held}"


class YearTrigger(Strict):
    """Fires at the start of ``year`` (or as soon after it as the previous stage is in place)."""

    year: Year

    def describe(self) -> str:
        """The trigger in words."""
        return f"year {self.year}"


class AllOf(Strict):
    """Fires when every condition holds (and, with ``not_before``, not before that year)."""

    all: list[Condition] = Field(min_length=1, max_length=8)
    not_before: Year | None = None

    def describe(self) -> str:
        """The trigger in words."""
        text = " and ".join(c.describe() for c in self.all)
        return text + (f", not before {self.not_before}" if self.not_before else "")


Trigger = YearTrigger | Condition | AllOf


class FailsIf(Condition):
    """A stage fails when this condition holds within ``within`` years of the stage being reached."""

    within: Years = Field(description="years after the stage is reached during which it can fail")

    def describe(self) -> str:
        """The rule in words."""
        return f"{super().describe()} within {self.within} years"


class OnFailure(Strict):
    """What a failure does: ``retry`` the stage after ``after`` years, ``revert`` or ``abandon``.

    ``retry``: the stage is undone (the institution returns to its previous stage) and may fire
    again when its trigger holds, ``after`` years later at the earliest, at most ``attempts``
    times in all. ``revert``: the stage is undone and the design stops at the previous stage.
    ``abandon``: the institution is dissolved and the design ends.
    """

    action: Literal["retry", "revert", "abandon"] = "abandon"
    after: Years = Field(5, description="years to wait before a retry")
    attempts: int = Field(3, ge=1, le=50, description="attempts at the stage in all (with retry)")


class _StageBase(Strict):
    name: str = Field("", max_length=120, description="a short label for reports")
    trigger: Trigger
    fails_if: FailsIf | None = None
    on_failure: OnFailure = Field(default_factory=OnFailure)


class Create(_StageBase):
    """The institution comes into being with these members and attributes."""

    kind: Literal["create"]
    institution: InstitutionSpec


class Deepen(_StageBase):
    """Depth (and transparency) raised to at least these values; informality lowered to at most ``informality``."""

    kind: Literal["deepen"]
    depth: Unit
    transparency: Unit | None = None
    informality: Unit | None = None


class Widen(_StageBase):
    """New members join."""

    kind: Literal["widen"]
    members: list[str] = Field(min_length=1, max_length=200)


class AddRules(_StageBase):
    """Rules: a regime rule, a decision rule, verification (transparency), formality."""

    kind: Literal["add_rules"]
    regime_rule: Literal["none", "defining", "mutual_recognition"] | None = None
    decision_rule: Literal["consensus", "majority", "hegemon"] | None = None
    transparency: Unit | None = None
    informality: Unit | None = None
    depth: Unit | None = None

    @model_validator(mode="after")
    def _something(self) -> AddRules:
        if all(getattr(self, f) is None for f in ("regime_rule", "decision_rule", "transparency", "informality",
                                                  "depth")):
            raise ValueError("add_rules changes nothing: give regime_rule, decision_rule, transparency, "
                             "informality or depth")
        return self


class AddTeeth(_StageBase):
    """An obligation to act against any aggressor (members included, by default)."""

    kind: Literal["add_teeth"]
    obligation: Annotated[float, Field(gt=0.0, le=1.0)]
    target: Literal["any_member", "outside"] = "any_member"


STAGE_MODELS: dict[str, type[_StageBase]] = {
    "create": Create, "deepen": Deepen, "widen": Widen, "add_rules": AddRules, "add_teeth": AddTeeth}
Stage = Annotated[Create | Deepen | Widen | AddRules | AddTeeth, Field(discriminator="kind")]


class Design(BaseModel):
    """A staged design: its name, sources and stages (validated one by one, see :func:`validate_design`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)
    title: str = Field("", max_length=300)
    description: str = Field("", max_length=4000)
    sources: list[str] = Field(default_factory=list, max_length=30)
    scenario: str | None = Field(None, description="the scenario the design is written for (a default)")
    stages: list[Stage] = Field(min_length=1, max_length=20)

    @property
    def institution(self) -> InstitutionSpec:
        """The institution the first stage creates."""
        return self.stages[0].institution  # type: ignore[union-attr]

    def stage_label(self, k: int) -> str:
        """``stages[k] (name)`` for messages and reports."""
        s = self.stages[k]
        return f"stages[{k}] ({s.name or s.kind})"


def _stage_problems(raw: Any, k: int, where: str) -> tuple[Any, list[tuple[str, str]]]:
    """One stage validated by its kind's model; problems name the stage and the field."""
    at = f"{where}stages[{k}]"
    if not isinstance(raw, dict):
        return None, [(at, "must be a mapping with kind, trigger and the kind's fields")]
    name = raw.get("name")
    label = f"{at} ({name})" if isinstance(name, str) and name else at
    kind = raw.get("kind")
    if kind not in STAGE_MODELS:
        return None, [(f"{label}.kind", f"unknown stage kind {kind!r}; use one of {', '.join(STAGE_KINDS)}")]
    trigger = raw.get("trigger")
    if isinstance(trigger, dict) and not ({"year", "variable", "all"} & set(trigger)):
        return None, [(f"{label}.trigger", "must be {year: Y}, a condition {variable: ..., above/below/at_least/"
                       "at_most: ...} or {all: [conditions]}")]
    model = STAGE_MODELS[kind]
    if isinstance(trigger, dict):  # pick the trigger's model ourselves, for messages that name its field
        tmodel = YearTrigger if "year" in trigger else AllOf if "all" in trigger else Condition
        try:
            tmodel.model_validate(trigger)
        except ValidationError as err:
            return None, pydantic_problems(err, f"{label}.trigger")
    try:
        return model.model_validate(raw), []
    except ValidationError as err:
        return None, pydantic_problems(err, label)


def validate_design(data: Any, source: str = "") -> Design:
    """Validate a mapping as a :class:`Design`; :class:`InputError` names each bad stage and field.

    Checks the order of stages too: the first creates the institution and no other does, and
    year triggers never go back in time.
    """
    where = f"{source}: " if source else ""
    if not isinstance(data, dict):
        raise InputError([(source or "design", "must be a mapping (name, stages, ...)")])
    stages = data.get("stages")
    problems: list[tuple[str, str]] = []
    parsed = []
    if isinstance(stages, list):
        for k, raw in enumerate(stages):
            stage, found = _stage_problems(raw, k, where)
            problems += found
            parsed.append(stage)
    if problems:
        raise InputError(problems)
    try:
        design = Design.model_validate({**data, "stages": [s for s in parsed if s is not None]}
                                       if isinstance(stages, list) else data)
    except ValidationError as err:
        raise InputError(pydantic_problems(err, source or "design", ": ")) from None
    problems = _order_problems(design, where)
    if problems:
        raise InputError(problems)
    return design


def _order_problems(design: Design, where: str) -> list[tuple[str, str]]:
    """Stages out of order: a create that is not first, a second create, a year trigger that goes back."""
    problems = []
    if design.stages[0].kind != "create":
        problems.append((f"{where}{design.stage_label(0)}.kind",
                         f"the first stage must create the institution, got {design.stages[0].kind!r}"))
    last_year, last_at = None, ""
    for k, s in enumerate(design.stages):
        if k > 0 and s.kind == "create":
            problems.append((f"{where}{design.stage_label(k)}.kind",
                             "stages out of order: only the first stage creates the institution"))
        year = s.trigger.year if isinstance(s.trigger, YearTrigger) else getattr(s.trigger, "not_before", None)
        if year is not None:
            if last_year is not None and year < last_year:
                problems.append((f"{where}{design.stage_label(k)}.trigger.year",
                                 f"stages out of order: year {year} comes before {last_year} of {last_at}"))
            last_year, last_at = year, design.stage_label(k)
    if design.stages[0].kind == "create":
        inst = design.institution
        if inst.type == "bilateral_alliance" and any(s.kind == "widen" for s in design.stages):
            k = next(k for k, s in enumerate(design.stages) if s.kind == "widen")
            problems.append((f"{where}{design.stage_label(k)}.members", "a bilateral_alliance cannot be widened"))
    return problems
