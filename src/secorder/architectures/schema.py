"""The architecture format: operations and levers from their registries, parameters, metadata."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field, ValidationError, create_model, model_validator

from secorder.architectures.base import Strict, pydantic_problems
from secorder.architectures.levers import LEVERS, Lever, lever_adapter, lever_type
from secorder.architectures.operations import OPERATIONS
from secorder.errors import InputError


class _OperationBase(Strict):
    """One operation: a mapping with exactly one key, the operation's name."""

    def kind(self) -> str:
        return next(k for k, v in self.__dict__.items() if v is not None)

    def args(self) -> Any:
        return getattr(self, self.kind())

    @model_validator(mode="after")
    def _exactly_one(self) -> _OperationBase:
        set_ = [k for k, v in self.__dict__.items() if v is not None]
        if len(set_) != 1:
            raise ValueError(f"an operation sets exactly one of its keys ({', '.join(OPERATIONS)}), "
                             f"got {set_ or 'none'}")
        return self


# One optional field per registered operation, so the YAML stays ``- remove: [concert]`` and
# an error names the operation (``operations[0].remove``).
Operation = create_model(  # type: ignore[call-overload]
    "Operation", __base__=_OperationBase,
    **{name: (entry.args | None, None) for name, entry in OPERATIONS.items()},
)

LeverType = lever_type()


class Architecture(Strict):
    """A named overlay: operations on the scenario's institutions, parameters and levers."""

    name: str
    title: str = ""
    description: str = ""
    claims: list[str] = Field(default_factory=list)
    operations: list[Operation] = Field(default_factory=list)  # type: ignore[valid-type]
    parameters: dict[str, float] = Field(default_factory=dict)
    levers: list[LeverType] = Field(default_factory=list)  # type: ignore[valid-type]

    def with_levers(self, levers: Sequence[Lever | dict], suffix: str | None = None) -> Architecture:
        """A copy with extra levers (named ``name+suffix`` when a suffix is given)."""
        extra = parse_levers(levers, "levers")
        name = f"{self.name}+{suffix}" if suffix else self.name
        return self.model_copy(update={"levers": [*self.levers, *extra], "name": name})


def parse_levers(items: Sequence[Any], field: str = "levers") -> list[Lever]:
    """Validate a list of levers, each by its own model; :class:`InputError` names ``field[k].lever.x``."""
    if isinstance(items, str | bytes | dict) or not isinstance(items, Sequence):
        raise InputError([(field, f"must be a list of levers, got {items!r}")])
    out, problems = [], []
    for k, item in enumerate(items):
        if isinstance(item, Lever):
            out.append(item)
            continue
        if not isinstance(item, dict) or "lever" not in item:
            problems.append((f"{field}[{k}]", f"must be a mapping with a 'lever' key (one of {', '.join(LEVERS)})"))
            continue
        try:
            out.append(lever_adapter().validate_python(item))
        except ValidationError as err:
            problems += pydantic_problems(err, f"{field}[{k}]", tags=LEVERS)
    if problems:
        raise InputError(problems)
    return out
