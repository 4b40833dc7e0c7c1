"""What the dashboard accepts from a user, checked with the same rules and messages as the CLI.

Nothing here imports the web framework: each function takes bytes or plain values and
returns validated objects or raises :class:`~secorder.errors.InputError`, whose one-line
``format()`` the page shows.
"""

from __future__ import annotations

import hashlib
import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from secorder.architectures import Lever, parse_levers
from secorder.errors import InputError, ScenarioError
from secorder.params import Params
from secorder.scenario import Scenario, validate_scenario

MAX_UPLOAD_BYTES = 1_000_000
"""Largest scenario, lever or parameter file accepted (the largest built-in scenario is ~20 kB)."""


def parse_yaml_bytes(data: bytes, name: str, limit: int = MAX_UPLOAD_BYTES) -> Any:
    """Decode and parse an uploaded YAML (or JSON) file, with the CLI's messages."""
    if len(data) > limit:
        raise InputError([(name, f"is too large ({len(data):,} bytes; the limit is {limit:,} bytes)")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError([(name, "cannot be read: not UTF-8 text")]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ScenarioError([(name, f"is not valid YAML{where}: {problem}")]) from None


def scenario_from_upload(data: bytes, name: str, limit: int = MAX_UPLOAD_BYTES) -> Scenario:
    """An uploaded scenario file, validated as ``secorder scenarios validate`` does."""
    doc = parse_yaml_bytes(data, name, limit)
    if not isinstance(doc, Mapping):
        raise ScenarioError([(name, f"must hold a mapping (a scenario), got {type(doc).__name__}")])
    return validate_scenario(doc, source=name)


def params_from_upload(data: bytes, name: str, base: Mapping[str, float] | None = None) -> dict[str, float]:
    """A parameter file: a mapping ``name: value`` (optionally under ``parameters:``).

    The names and values are checked against the registry's names and ranges.
    """
    doc = parse_yaml_bytes(data, name)
    if isinstance(doc, Mapping) and isinstance(doc.get("parameters"), Mapping):
        doc = doc["parameters"]
    if not isinstance(doc, Mapping):
        raise InputError([(name, "must hold a mapping of parameter names to numbers")])
    out: dict[str, float] = {}
    for k, v in doc.items():
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise InputError([(f"{name}: {k}", f"value must be a number, got {v!r}")])
        out[str(k)] = float(v)
    Params().replace(_field=name, **{**dict(base or {}), **out})
    return out


def levers_from_text(text: str, source: str = "levers") -> list[Lever]:
    """Levers written as YAML (a list, or a mapping with a ``levers`` list), as ``--levers`` reads them."""
    if not text.strip():
        return []
    data = parse_yaml_bytes(text.encode("utf-8"), source)
    if isinstance(data, dict):
        data = data.get("levers", [data])
    if not isinstance(data, list):
        raise InputError([(source, "must hold a list of levers (or a mapping with a 'levers' list)")])
    return parse_levers(data, f"{source}: levers")


def check_parameters(overrides: Mapping[str, float], scenario: Scenario | None = None) -> None:
    """Raise the registry's message for an unknown name or a value outside its range."""
    base = dict(scenario.parameters) if scenario is not None else {}
    Params().replace(_field="parameters", **{**base, **overrides})


def parameter_rows() -> list[dict[str, Any]]:
    """Registry rows (name, mechanism, default, range, meaning, source) for the controls."""
    return Params.table()


@dataclass(frozen=True)
class RunRequest:
    """Everything that determines a run (or a comparison); its key names the cached results."""

    scenario: str  # built-in name, or the scenario's name for uploaded / built scenarios
    scenario_yaml: str | None  # the full scenario for anything not built in
    architectures: tuple[str, ...]
    runs: int
    years: int
    seed: int
    overrides: tuple[tuple[str, float], ...] = ()
    levers_yaml: str = ""
    workers: int = 1
    extra: tuple[tuple[str, str], ...] = field(default=())

    def key(self) -> str:
        """A stable hash of everything that determines the results (the cache key)."""
        payload = json.dumps({
            "scenario": self.scenario, "yaml": self.scenario_yaml, "architectures": self.architectures,
            "runs": self.runs, "years": self.years, "seed": self.seed, "overrides": self.overrides,
            "levers": self.levers_yaml,
        }, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    @property
    def is_comparison(self) -> bool:
        """Whether the request compares several architectures."""
        return len(self.architectures) > 1

    def scenario_argument(self) -> str:
        """The scenario as the command line names it (a built-in name or the uploaded file)."""
        return self.scenario if self.scenario_yaml is None else f"{self.scenario}.yaml"

    def command_line(self, out: str | None = None) -> str:
        """The ``secorder`` command that reproduces these results."""
        q = shlex.quote
        if self.is_comparison:
            args = ["secorder", "compare", q(self.scenario_argument()), "-a", q(",".join(self.architectures))]
        else:
            args = ["secorder", "run", q(self.scenario_argument()), "-a", q(self.architectures[0])]
        args += ["--runs", str(self.runs), "--years", str(self.years), "--seed", str(self.seed)]
        for name, value in self.overrides:
            args += ["--set", q(f"{name}={value:g}")]
        if self.levers_yaml.strip():
            args += ["--levers", "levers.yaml"]
        if out:
            args += ["--out", q(out)]
        return " ".join(args)

    def files(self) -> dict[str, str]:
        """Files the command line refers to (scenario and levers), name -> text."""
        out = {}
        if self.scenario_yaml is not None:
            out[self.scenario_argument()] = self.scenario_yaml
        if self.levers_yaml.strip():
            out["levers.yaml"] = self.levers_yaml
        return out


def scenario_yaml(sc: Scenario) -> str:
    """A scenario as YAML text (what the reproducing command reads)."""
    return yaml.safe_dump(sc.model_dump(mode="json", exclude_defaults=True), sort_keys=False, allow_unicode=True)


def overrides_tuple(values: Mapping[str, float], defaults: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """Only the parameters that differ from their defaults, sorted (so equal runs share a key)."""
    return tuple(sorted((k, float(v)) for k, v in values.items() if float(v) != float(defaults[k])))


def split_names(names: Sequence[str]) -> tuple[str, ...]:
    """The non-empty names, in order."""
    return tuple(n for n in names if n)
