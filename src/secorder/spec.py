"""One run specification: everything that decides a simulation, resolved once and validated once.

A :class:`RunSpec` holds the scenario, the architecture, the caller's extra levers, the caller's
parameter overrides, an optional parameter file, and the run settings (years, runs, seed,
record mode, chunk size, workers). :meth:`RunSpec.build` checks every input once, applies the
architecture once and resolves the parameters once, in one fixed order; later layers win:

1. ``defaults``: the registry in :mod:`secorder.params`;
2. ``scenario``: the scenario's ``parameters:``;
3. ``architecture``: the architecture's ``parameters:``;
4. ``levers``: parameters set by levers (none of the built-in levers sets one today);
5. ``caller``: ``simulate(params=...)`` or ``--set NAME=VALUE``. A :class:`~secorder.params.Params`
   object counts as the values it changes from the defaults, so ``params=Params()`` is the same
   as ``params=None`` (pass a mapping to force a default value over a scenario's);
6. ``params_file``: ``simulate(params_file=...)`` or ``--params FILE``.

Every value is checked by :func:`secorder.params.check_values` (the one validation of
parameters: known name, finite number, inside its range); a problem raises
:class:`~secorder.errors.ParameterError` naming the parameter and where it came from.

The spec is immutable and recorded whole in every result's manifest (:meth:`to_dict`):
the scenario's full definition, the architecture, the levers, every layer and every resolved
parameter value. :meth:`RunSpec.from_manifest` rebuilds it, so a results folder says exactly
how to reproduce itself.

>>> spec = RunSpec.build("northeast-asia-2003", architecture="balance-of-power",
...                      params={"arms_reaction": 0.2}, years=5, runs=10)
>>> spec.params.arms_reaction, spec.params.bandwagon_weight, spec.parameter_source("bandwagon_weight")
(0.2, 0.0, 'architecture')
"""

from __future__ import annotations

import hashlib
import json
import numbers
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from secorder.architectures import (
    Architecture,
    Lever,
    Overlay,
    apply_architecture,
    load_architecture,
    parse_levers,
)
from secorder.errors import InputError
from secorder.params import Params, check_values
from secorder.scenario import Scenario, load_scenario, validate_scenario

RESOLUTION_ORDER = ("defaults", "scenario", "architecture", "levers", "caller", "params_file")
RECORD_MODES = ("auto", "full", "summary")
FULL_RECORD_LIMIT = 20_000_000  # state-year values kept in memory before "auto" switches to summaries
MAX_YEARS = 500  # longest simulation accepted (the CLI option --years has the same bound)
SPEC_VERSION = 1


# ------------------------------------------------------------------------------ parameter files
@dataclass(frozen=True)
class ParamsFile:
    """A parameter file as read: where it was, the SHA-256 of its bytes, its values and metadata."""

    path: str
    sha256: str
    values: Mapping[str, float]
    meta: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        """The file's path, SHA-256 and values, as the manifest records them."""
        return {"path": self.path, "sha256": self.sha256, "values": dict(self.values)}


def read_params_file(path: str | Path) -> ParamsFile:
    """Read a YAML or JSON file of parameter values.

    Either a flat mapping ``name: value``, or ``values: {name: value}`` with an optional
    ``meta:`` mapping (free-form: where the values come from, e.g. a calibration). Unknown
    names and bad values raise :class:`~secorder.errors.ParameterError` naming the file and
    the parameter.
    """
    p = Path(path)
    where = str(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError([(where, "no such parameter file")]) from None
    except OSError as err:
        raise InputError([(where, f"cannot be read: {err.strerror or err}")]) from None
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise InputError([(where, "is not UTF-8 text")]) from None
        except json.JSONDecodeError as err:
            raise InputError([(where, f"is not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}")]
                             ) from None
    else:
        from secorder.scenario.loader import read_yaml

        data = read_yaml(p)
    if not isinstance(data, dict):
        raise InputError([(where, "must be a mapping of parameter name -> value "
                                  "(or 'values:' with such a mapping, and an optional 'meta:')")])
    meta: Mapping[str, Any] = {}
    if "values" in data:
        extra = sorted(str(k) for k in data if k not in ("values", "meta"))
        if extra:
            raise InputError([(f"{where}: {extra[0]}", "unknown key beside 'values' (only 'meta' may go there)")])
        meta = data.get("meta") or {}
        if not isinstance(meta, dict):
            raise InputError([(f"{where}: meta", "must be a mapping")])
        values, prefix = data["values"], f"{where}: values"
    else:
        values, prefix = data, f"{where}: "
    if not isinstance(values, dict):
        raise InputError([(prefix.rstrip(": "), "must be a mapping of parameter name -> value")])
    checked = check_values(values, prefix)
    return ParamsFile(where, hashlib.sha256(raw).hexdigest(), MappingProxyType(checked), MappingProxyType(dict(meta)))


# ------------------------------------------------------------------------------ the spec
def _whole(value: Any, name: str, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < lo:
        raise InputError([(name, f"must be a whole number >= {lo}, got {value!r}")])
    return int(value)


def resolve_seed(seed: Any) -> int:
    """A seed in [0, 2**63); ``None`` draws one from the OS (and the spec records it).

    A root ``SeedSequence`` stands for its integer entropy. The bound keeps a seed storable in
    every table's 64-bit ``seed`` column.
    """
    if seed is None:
        return secrets.randbits(63)
    if isinstance(seed, np.random.SeedSequence):
        if seed.spawn_key or not isinstance(seed.entropy, int):
            raise InputError([("seed", "a SeedSequence must be a root sequence with an integer entropy")])
        seed = seed.entropy
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**63:
        raise InputError([("seed", f"must be a whole number in [0, 2**63), got {seed!r}")])
    return int(seed)


def _caller_layer(params: Params | Mapping[str, Any] | None, field: str) -> dict[str, float]:
    if params is None:
        return {}
    if isinstance(params, Params):
        # a Params object was checked when it was made; it overrides what it changes
        return params.changed()
    return check_values(params, field)


@dataclass(frozen=True, eq=False)
class RunSpec:
    """A validated, immutable run specification; make one with :meth:`build`."""

    scenario: Scenario  # as given, before the architecture
    architecture: Architecture  # as given, without the caller's extra levers
    levers: tuple[Lever, ...]  # the caller's extra levers
    overrides: Mapping[str, float]  # the caller's parameter overrides
    params_file: ParamsFile | None
    years: int
    runs: int
    seed: int
    record: str  # as asked: auto, full or summary
    chunk_size: int
    workers: int | None
    overlay: Overlay  # the scenario under the architecture and levers, and timed changes
    layers: tuple[tuple[str, Mapping[str, float]], ...]  # (layer, values) in RESOLUTION_ORDER
    params: Params  # every parameter, resolved
    disabled: tuple[str, ...] = ()  # mechanisms switched off (for attribution: the rest keep their draws)

    @classmethod
    def build(
        cls,
        scenario: Scenario | str | Path | Mapping[str, Any],
        *,
        years: int = 30,
        runs: int = 1000,
        seed: int | None = 0,
        params: Params | Mapping[str, float] | None = None,
        params_file: str | Path | ParamsFile | None = None,
        architecture: str | Path | Architecture | Mapping[str, Any] = "status-quo",
        levers: Sequence[Lever | Mapping[str, Any]] = (),
        record: str = "auto",
        chunk_size: int = 500,
        workers: int | None = None,
        overrides_field: str = "params",
        disabled: Sequence[str] = (),
    ) -> RunSpec:
        """Check every input, apply the architecture and resolve the parameters, once.

        ``overrides_field`` names the caller's overrides in error messages (the CLI passes
        ``--set``). ``disabled`` names mechanisms to switch off; every other mechanism keeps its
        own random numbers (named streams), so the difference is that mechanism's share.
        """
        problems = []
        for name, value, lo in (("years", years, 1), ("runs", runs, 1), ("chunk_size", chunk_size, 1),
                                ("workers", 1 if workers is None else workers, 1)):
            try:
                _whole(value, name, lo)
            except InputError as err:
                problems += err.problems
        if all(f != "years" for f, _ in problems) and years > MAX_YEARS:
            problems.append(("years", f"must be at most {MAX_YEARS}, got {years!r}"))
        if record not in RECORD_MODES:
            problems.append(("record", f"must be 'auto', 'full' or 'summary', got {record!r}"))
        disabled = tuple(dict.fromkeys(disabled))
        known = mechanism_names()
        problems += [("disabled", f"unknown mechanism {m!r}; known: {', '.join(known)}")
                     for m in disabled if m not in known]
        if problems:
            raise InputError(problems)
        seed = resolve_seed(seed)
        sc = load_scenario(scenario)
        arch = load_architecture(architecture)
        extra = tuple(parse_levers(levers, "levers")) if levers else ()
        overrides = _caller_layer(params, overrides_field)
        if params_file is not None and not isinstance(params_file, ParamsFile):
            params_file = read_params_file(params_file)
        overlay = apply_architecture(sc, arch, extra)
        layers = (
            ("defaults", MappingProxyType({})),
            ("scenario", MappingProxyType(dict(sc.parameters))),
            ("architecture", MappingProxyType(dict(overlay.parameters))),
            ("levers", MappingProxyType(dict(overlay.lever_parameters))),
            ("caller", MappingProxyType(overrides)),
            ("params_file", MappingProxyType(dict(params_file.values) if params_file else {})),
        )
        merged: dict[str, float] = {}
        for _, values in layers:
            merged.update(values)
        resolved = Params().replace(**merged)
        return cls(sc, arch, extra, MappingProxyType(overrides), params_file, int(years), int(runs), seed,
                   record, int(chunk_size), None if workers is None else int(workers), overlay, layers, resolved,
                   disabled)

    # ------------------------------------------------------------------------------ reading
    @property
    def record_mode(self) -> str:
        """``full`` or ``summary``: ``auto`` keeps everything up to 20 million state-year values."""
        if self.record != "auto":
            return self.record
        n = len(self.overlay.scenario.states)
        return "full" if self.runs * self.years * n <= FULL_RECORD_LIMIT else "summary"

    @property
    def mechanisms(self) -> tuple:
        """The yearly step as run: the registry with the ``disabled`` mechanisms inactive."""
        from dataclasses import replace

        from secorder.mechanisms import REGISTRY

        return tuple(replace(m, active=False) if m.name in self.disabled else m for m in REGISTRY)

    @property
    def architecture_name(self) -> str:
        """The name of the architecture applied."""
        return self.overlay.architecture.name

    def parameter_source(self, name: str) -> str:
        """The layer a parameter's resolved value comes from (``defaults`` if none sets it)."""
        if name not in Params.metadata():
            raise KeyError(name)
        return next((layer for layer, values in reversed(self.layers) if name in values), "defaults")

    def replace(self, **changes: Any) -> RunSpec:
        """A new spec with some of :meth:`build`'s arguments changed, resolved and checked again."""
        args: dict[str, Any] = {
            "years": self.years, "runs": self.runs, "seed": self.seed, "params": dict(self.overrides),
            "params_file": self.params_file, "architecture": self.architecture, "levers": self.levers,
            "record": self.record, "chunk_size": self.chunk_size, "workers": self.workers,
            "disabled": self.disabled,
        }
        scenario = changes.pop("scenario", self.scenario)
        unknown = set(changes) - set(args)
        if unknown:
            raise TypeError(f"RunSpec.replace() got unknown argument(s) {sorted(unknown)}")
        return RunSpec.build(scenario, **{**args, **changes})

    # ------------------------------------------------------------------------------ recording
    def to_dict(self) -> dict[str, Any]:
        """The whole spec as JSON-ready data (recorded as ``spec`` in every manifest)."""
        definition = self.scenario.model_dump(mode="json")
        return {
            "spec_version": SPEC_VERSION,
            "scenario": {"name": self.scenario.name, "sha256": _sha256(definition), "definition": definition},
            "architecture": self.architecture.model_dump(mode="json", exclude_none=True),
            "levers": [lv.model_dump(mode="json", exclude_none=True) for lv in self.levers],
            "overrides": dict(self.overrides),
            "params_file": self.params_file.to_dict() if self.params_file else None,
            "years": self.years, "runs": self.runs, "seed": self.seed, "record": self.record,
            "record_mode": self.record_mode, "chunk_size": self.chunk_size, "workers": self.workers,
            "resolution_order": list(RESOLUTION_ORDER),
            "parameter_layers": {layer: dict(values) for layer, values in self.layers},
            "parameters": self.params.to_dict(),
            "parameter_hash": self.params.hash(),
            **({"disabled": list(self.disabled)} if self.disabled else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunSpec:
        """Rebuild a spec from :meth:`to_dict` (the parameter file's recorded values are used)."""
        where = "spec"
        if not isinstance(data, Mapping) or "scenario" not in data:
            raise InputError([(where, "is not a recorded run specification (no 'scenario')")])
        try:
            sc = validate_scenario(data["scenario"]["definition"], source=f"{where}.scenario")
            arch = load_architecture(dict(data["architecture"]))
            pf = data.get("params_file")
            params_file = None if pf is None else ParamsFile(
                pf["path"], pf["sha256"], MappingProxyType(check_values(pf["values"], f"{where}.params_file.values")))
            spec = cls.build(
                sc, years=data["years"], runs=data["runs"], seed=data["seed"], params=dict(data["overrides"]),
                params_file=params_file, architecture=arch, levers=list(data["levers"]), record=data["record"],
                chunk_size=data["chunk_size"], workers=data["workers"], overrides_field=f"{where}.overrides",
                disabled=tuple(data.get("disabled", ())))
        except (KeyError, TypeError) as err:
            raise InputError([(where, f"is incomplete or malformed ({err!r})")]) from None
        recorded = data.get("parameters")
        if recorded is not None and recorded != spec.params.to_dict():
            differ = sorted(k for k in set(recorded) | set(spec.params.to_dict())
                            if recorded.get(k) != spec.params.to_dict().get(k))
            raise InputError([(f"{where}.parameters", "the recorded values differ from what the recorded layers "
                               f"resolve to in this version ({', '.join(differ[:5])})")])
        return spec

    @classmethod
    def from_manifest(cls, source: str | Path | Mapping[str, Any]) -> RunSpec:
        """Rebuild the spec of a results folder, its ``manifest.json``, or a manifest mapping."""
        if not isinstance(source, Mapping):
            p = Path(source)
            p = p / "manifest.json" if p.is_dir() else p
            try:
                source = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
                raise InputError([(str(p), f"cannot be read as a manifest: {err}")]) from None
        if not isinstance(source, Mapping):
            raise InputError([("manifest", "must be a mapping")])
        if "spec" not in source:
            raise InputError([("manifest", "records no run specification ('spec'); it was written by an "
                               "older version")])
        return cls.from_dict(source["spec"])


def mechanism_names() -> list[str]:
    """The registered mechanisms' names, in the order of the yearly step."""
    from secorder.mechanisms import REGISTRY

    return [m.name for m in REGISTRY]


def _sha256(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


__all__ = ["FULL_RECORD_LIMIT", "MAX_YEARS", "RESOLUTION_ORDER", "ParamsFile", "RunSpec", "read_params_file", "resolve_seed"]
