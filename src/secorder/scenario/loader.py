"""Loading scenarios from YAML files, mappings or built-in names, with readable errors."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from secorder import _yaml
from secorder.errors import ScenarioError
from secorder.scenario.schema import Scenario

BUILTIN_PACKAGE = "secorder.scenario.builtin"


def _field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            # pydantic puts union branch names / validator tags in loc; they only confuse users
            if part in {"float", "dict[str,float]", "constrained-float", "function-after"} or "[" in str(part):
                continue
            out += f".{part}" if out else str(part)
    return out or "scenario"


def _problems(err: ValidationError, prefix: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for e in err.errors(include_url=False):
        path = _field_path(tuple(e["loc"]))
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = ("unknown key (check the spelling; the format is in docs/scenarios.md, and "
                   "`secorder scenarios show asia-pacific-2000 --yaml` prints a complete example)")
        # cross-reference errors already carry their own paths, joined by '; '
        if path == "scenario" and ": " in msg:
            for part in msg.split("; "):
                field, _, m = part.partition(": ")
                problems.append((f"{prefix}{field}", m))
            continue
        # an error about the whole value (no location) names the value itself, e.g. levers[0]
        field = prefix.rstrip(".: ") if not e["loc"] and prefix.rstrip(".: ") else f"{prefix}{path}"
        item = (field, msg)
        if item not in problems:
            problems.append(item)
    # a union field (number or mapping) fails on every branch: keep only the deepest complaints
    # and join the branches' complaints about one field into one line
    fields = [f for f, _ in problems]
    merged: dict[str, str] = {}
    for f, m in problems:
        if any(o != f and (o.startswith(f + ".") or o.startswith(f + "[")) for o in fields):
            continue
        merged[f] = f"{merged[f]} or {m.removeprefix('Input should be ')}" if f in merged else m
    return list(merged.items())


def validate_scenario(data: Mapping[str, Any], source: str = "") -> Scenario:
    """Validate a mapping as a :class:`Scenario`; raise :class:`ScenarioError` naming each bad field."""
    prefix = f"{source}: " if source else ""
    if not isinstance(data, Mapping):
        raise ScenarioError([(source or "scenario", "must be a mapping of fields (name, year, states, ...)")])
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as err:
        problems = _problems(err, prefix)
        # Field errors stop pydantic before the cross-reference checks; run the code checks on
        # the raw data too, so a file can be fixed in one pass.
        problems += [p for p in _unknown_codes(data, prefix) if p not in problems]
        raise ScenarioError(problems) from None
    # Parameter overrides are checked against the parameter registry (names and ranges).
    from secorder.params import Params

    Params().replace(_field=f"{prefix}parameters", **scenario.parameters)
    return scenario


def _unknown_codes(data: Mapping[str, Any], prefix: str) -> list[tuple[str, str]]:
    """State codes used in dyads and institutions that no state declares (raw, unvalidated data)."""
    states = data.get("states")
    if not isinstance(states, list):
        return []
    known = {s.get("code") for s in states if isinstance(s, dict)}
    out = []
    for section, key in (("dyads", "states"), ("institutions", "members")):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for k, item in enumerate(items):
            codes = item.get(key) if isinstance(item, dict) else None
            if isinstance(codes, list | tuple):
                for j, c in enumerate(codes):
                    if isinstance(c, str) and c not in known:
                        out.append((f"{prefix}{section}[{k}].{key}[{j}]", f"unknown state code {c!r}"))
    return out


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with the package."""
    files = resources.files(BUILTIN_PACKAGE).iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def builtin_path(name: str):
    """The packaged YAML file of a built-in scenario."""
    return resources.files(BUILTIN_PACKAGE).joinpath(f"{name}.yaml")


def read_yaml(path: str | Path, field: str | None = None) -> Any:
    """Parse a YAML file strictly (see :mod:`secorder._yaml`).

    I/O, encoding, syntax and size problems become a :class:`ScenarioError` naming the file.
    """
    p = Path(path)
    name = field or str(p)
    if not str(path).strip():
        raise ScenarioError([(name or "file", "the file name is empty")])
    try:
        if p.is_dir():
            raise ScenarioError([(name, "is a folder, not a YAML file")])
        if p.exists() and not p.is_file():
            raise ScenarioError([(name, "is not a regular file")])
        with p.open("rb") as fh:
            raw = fh.read(_yaml.MAX_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError([(name, "no such file")]) from None
    except OSError as err:
        raise ScenarioError([(name, f"cannot be read: {(err.strerror or str(err)).lower()}")]) from None
    if len(raw) > _yaml.MAX_BYTES:
        raise ScenarioError([(name, f"is larger than {_yaml.MAX_BYTES // 1_000_000} MB")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError([(name, f"is not UTF-8 text (byte {err.start})")]) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text strictly, raising :class:`ScenarioError` naming ``source`` and the line."""
    try:
        return _yaml.load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ScenarioError([(source, f"is not valid YAML{where}: {problem}")]) from None


def load_scenario(source: str | Path | Mapping[str, Any] | Scenario) -> Scenario:
    """Load a scenario from a built-in name, a YAML path, a mapping, or pass one through.

    Examples
    --------
    >>> import secorder
    >>> sc = secorder.load_scenario("northeast-asia-2003")
    >>> sc.codes
    ['USA', 'CHN', 'JPN', 'RUS', 'ROK', 'PRK']
    """
    if isinstance(source, Scenario):
        return source
    if isinstance(source, Mapping):
        return validate_scenario(source)
    text = str(source)
    if not text.strip():
        raise ScenarioError([("scenario", "the name is empty; give a built-in name or a YAML path")])
    if text in builtin_names():
        ref = builtin_path(text)
        return validate_scenario(parse_yaml(ref.read_text(encoding="utf-8"), f"{text}.yaml"), source=f"{text}.yaml")
    p = Path(text)
    if not p.exists():
        hint = f"; built-in scenarios: {', '.join(builtin_names())}"
        raise ScenarioError([(text, "is neither a built-in scenario nor an existing file" + hint)])
    return validate_scenario(read_yaml(p), source=str(p))
