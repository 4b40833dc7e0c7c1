"""Security architectures: named overlays on any scenario, and policy levers.

An **architecture** reshapes what exists in a scenario -- which institutions there are, whether
alignment is free, a few parameters -- so the same region can be run under different designs
(docs/architectures.md). It is written in YAML: a name, a title, a list of **operations** (each
a registered function in :mod:`secorder.architectures.operations`: ``remove``, ``keep_only``,
``add``, ``hub_and_spoke``, ``merge_alliances``, ``replace_linchpin``, ``alignment``),
``parameters: {name: value}`` and **levers**.

**Levers** are policies switched on within any architecture, each a registered function in
:mod:`secorder.architectures.levers`: ``missile_defense``, ``opening_up``, ``tying_down``,
``binding``, ``regime_rule`` and ``forum_teeth``. ``secorder architectures operations`` and
``secorder architectures levers`` list them with their fields.

Nothing here decides an outcome: an overlay only changes the starting world, and the same
mechanisms then run on the same random numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from secorder.architectures.base import Overlay, ScheduledChange, pydantic_problems
from secorder.architectures.levers import LEVERS, Lever
from secorder.architectures.operations import OPERATIONS
from secorder.architectures.schema import Architecture, Operation, parse_levers
from secorder.architectures.selectors import (
    capability_shares,
    leader,
    leader_allies,
    majors,
    quarrel,
)
from secorder.errors import InputError
from secorder.params import check_values
from secorder.scenario.loader import parse_yaml, read_yaml
from secorder.scenario.schema import INSTITUTION_TYPES, Scenario

BUILTIN_PACKAGE = "secorder.architectures.builtin"


def builtin_names() -> list[str]:
    """Names of the architectures shipped with the package."""
    files = resources.files(BUILTIN_PACKAGE).iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def validate_architecture(data: Any, source: str = "") -> Architecture:
    """Validate a mapping as an :class:`Architecture`; :class:`InputError` names each bad field."""
    prefix = f"{source}: " if source else ""
    if not isinstance(data, dict):
        raise InputError([(source or "architecture", "must be a mapping (name, operations, levers, ...)")])
    try:
        arch = Architecture.model_validate(data)
    except ValidationError as err:
        raise InputError(pydantic_problems(err, source, ": ", tags=LEVERS)) from None
    check_values(arch.parameters, f"{prefix}parameters")
    return arch


def load_architecture(source: str | Path | dict | Architecture) -> Architecture:
    """A built-in architecture by name, a YAML file, a mapping, or pass one through."""
    if isinstance(source, Architecture):
        return source
    if isinstance(source, dict):
        return validate_architecture(source)
    text = str(source)
    if text in builtin_names():
        ref = resources.files(BUILTIN_PACKAGE).joinpath(f"{text}.yaml")
        return validate_architecture(parse_yaml(ref.read_text(encoding="utf-8"), f"{text}.yaml"), f"{text}.yaml")
    if not text.strip():
        raise InputError([("architecture", "the name is empty; give a built-in name or a YAML path")])
    if Path(text).is_file():
        return validate_architecture(read_yaml(text), text)
    raise InputError([(text, "is neither a built-in architecture nor an existing file; "
                       "built-in: " + ", ".join(builtin_names()))])


def apply_architecture(
    scenario: Scenario, architecture: Architecture | str, levers: Sequence[Lever | dict] = ()
) -> Overlay:
    """The scenario reshaped by an architecture's operations, then its levers (and extra ``levers``).

    Each operation and lever is a registered function applied in the order written; errors
    name the architecture, the operation or lever and its field (``hegemony:
    operations[1].hub_and_spoke``, ``status-quo: levers[0].states``).
    """
    arch = load_architecture(architecture)
    if levers:
        arch = arch.with_levers(levers)
    draft = Overlay(scenario).with_parameters(arch.parameters)
    for k, op in enumerate(arch.operations):
        kind = op.kind()
        draft = OPERATIONS[kind].apply(draft, op.args(), f"{arch.name}: operations[{k}].{kind}")
    for k, lever in enumerate(arch.levers):
        try:
            draft = LEVERS[lever.lever].apply(draft, lever, f"{arch.name}: levers[{k}]")
        except InputError as err:  # name the lever in the message: "binding: ..."
            raise InputError([(f, m if m.startswith(f"{lever.lever}: ") else f"{lever.lever}: {m}")
                              for f, m in err.problems]) from None
    return replace(draft, architecture=arch)


__all__ = [
    "INSTITUTION_TYPES",
    "LEVERS",
    "OPERATIONS",
    "Architecture",
    "Lever",
    "Operation",
    "Overlay",
    "ScheduledChange",
    "apply_architecture",
    "builtin_names",
    "capability_shares",
    "leader",
    "leader_allies",
    "load_architecture",
    "majors",
    "parse_levers",
    "quarrel",
    "validate_architecture",
]
