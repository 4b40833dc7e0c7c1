"""The bad-input corpus (tests/bad_inputs/*.yaml, format in tests/bad_inputs/README.md).

Every case runs in-process -- the CLI through Typer's CliRunner, the Python API by a direct
call -- in a fresh working folder holding the case's input files, and must end with:

- exit status 2 (CLI) or an :class:`~secorder.errors.InputError` (API);
- one line of message that contains the case's ``expect`` text (the field it names);
- no traceback;
- no file written, changed or removed anywhere in the working folder.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from secorder.errors import InputError
from tests.conftest import SMALL, shared_data_dir

CORPUS = Path(__file__).parent / "bad_inputs"
KNOWN_KEYS = {
    "id", "about", "args", "api", "kwargs", "scenario", "scenario_text", "architecture",
    "architecture_text", "levers", "levers_text", "files", "binary_files", "expect", "expect_also",
}


def load_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            case = dict(case)
            case["_file"] = path.name
            cases.append(case)
    return cases


CASES = load_cases()


# ------------------------------------------------------------------------------ inputs
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _path(text: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _TOKEN.findall(text)]


def mutate(base: Any, spec: dict[str, Any]) -> Any:
    """Apply ``set`` (path: value), ``delete`` (paths) and ``append`` (path: item) to a copy."""
    data = copy.deepcopy(base)
    for where, value in (spec.get("set") or {}).items():
        *parents, last = _path(where)
        node = data
        for p in parents:
            node = node.setdefault(p, {}) if isinstance(node, dict) else node[p]
        node[last] = value
    for where in spec.get("delete") or []:
        *parents, last = _path(where)
        node = data
        for p in parents:
            node = node[p]
        del node[last]
    for where, item in (spec.get("append") or {}).items():
        node = data
        for p in _path(where):
            node = node[p]
        node.append(item)
    return data


def write_inputs(case: dict[str, Any], inputs: Path) -> dict[str, Any]:
    """Write the case's input files; return the placeholder values."""
    inputs.mkdir()
    small = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    values: dict[str, Any] = {
        "{small}": str(SMALL), "{inputs}": "inputs", "{data}": str(shared_data_dir()),
        "{scenario}": "inputs/scenario.yaml", "{architecture}": "inputs/architecture.yaml",
        "{levers}": "inputs/levers.yaml",
    }
    scenario = mutate(small, case.get("scenario") or {})
    values["{scenario_data}"] = scenario
    text = case.get("scenario_text")
    (inputs / "scenario.yaml").write_text(text if text is not None else yaml.safe_dump(scenario), encoding="utf-8")
    arch = case.get("architecture", {"name": "corpus", "operations": []})
    values["{architecture_data}"] = arch
    text = case.get("architecture_text")
    (inputs / "architecture.yaml").write_text(text if text is not None else yaml.safe_dump(arch), encoding="utf-8")
    levers = case.get("levers", [])
    values["{levers_data}"] = levers
    text = case.get("levers_text")
    (inputs / "levers.yaml").write_text(text if text is not None else yaml.safe_dump(levers), encoding="utf-8")
    for name, content in (case.get("files") or {}).items():
        (inputs / name).parent.mkdir(parents=True, exist_ok=True)
        (inputs / name).write_text(content, encoding="utf-8")
    for name, content in (case.get("binary_files") or {}).items():
        (inputs / name).write_bytes(content.encode("latin-1"))
    return values


def substitute(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, str):
        if value in values:
            return values[value]
        for key, v in values.items():
            if isinstance(v, str):
                value = value.replace(key, v)
        return value
    if isinstance(value, list):
        return [substitute(v, values) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, values) for k, v in value.items()}
    return value


def snapshot(folder: Path) -> dict[str, str]:
    out = {}
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), folder)] = "dir"
        for f in files:
            p = os.path.join(root, f)
            st = os.lstat(p)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, folder)] = f"{st.st_mode:o} {hashlib.sha256(fh.read()).hexdigest()}"
    return out


# ------------------------------------------------------------------------------ running
_command: list[Any] = []


def invoke(args: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The app through CliRunner, building Typer's click command once (it costs ~0.3 s)."""
    import typer.main
    import typer.testing

    from secorder.cli import app

    if not _command:
        _command.append(typer.main.get_command(app))
    if hasattr(typer.testing, "_get_command"):
        monkeypatch.setattr(typer.testing, "_get_command", lambda _app: _command[0])
    return CliRunner().invoke(app, args)


# ------------------------------------------------------------------------------ API table
def _api() -> dict[str, Any]:
    from secorder import simulate
    from secorder.architectures import apply_architecture, load_architecture
    from secorder.data import panels
    from secorder.designs import load_design, run_designs
    from secorder.experiments.compare import compare
    from secorder.scenario import load_scenario
    from secorder.scenario.loader import read_yaml, validate_scenario

    def apply(scenario: Any = str(SMALL), architecture: Any = "status-quo", levers: Any = ()) -> Any:
        return apply_architecture(load_scenario(scenario), architecture, levers)

    def save(out: Any, **kwargs: Any) -> Any:
        return simulate(SMALL, runs=2, years=1, record="summary").save(out, **kwargs)

    return {
        "simulate": simulate, "compare": compare, "load_scenario": load_scenario,
        "validate_scenario": validate_scenario, "load_architecture": load_architecture,
        "apply_architecture": apply, "read_yaml": read_yaml, "save": save,
        "run_designs": run_designs, "load_design": load_design,
        "state_years": panels.state_years, "dyad_years": panels.dyad_years, "parse_years": panels.parse_years,
    }


# ------------------------------------------------------------------------------ the test
def test_corpus_is_large_and_well_formed():
    ids = [c.get("id") for c in CASES]
    assert len(CASES) >= 150
    assert len(set(ids)) == len(ids), "case ids must be unique"
    for c in CASES:
        assert set(c) - {"_file"} <= KNOWN_KEYS, (c["id"], set(c) - KNOWN_KEYS)
        assert ("args" in c) != ("api" in c), f"{c['id']}: give exactly one of args and api"
        assert isinstance(c.get("expect"), str) and c["expect"], f"{c['id']}: expect names the field"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['_file'].removesuffix('.yaml')}:{c['id']}" for c in CASES])
def test_bad_input(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "inputs"))
    monkeypatch.delenv("SECORDER_DATA_DIR", raising=False)
    values = write_inputs(case, tmp_path / "inputs")
    before = snapshot(tmp_path)
    expected = [case["expect"], *(case.get("expect_also") or [])]
    if "args" in case:
        args = [str(a) for a in substitute(case["args"], values)]
        result = invoke(args, monkeypatch)
        message = result.stderr.strip()
        assert result.exit_code == 2, (args, result.exit_code, result.output, result.exception)
        assert "Traceback" not in result.output
        assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    else:
        func = _api()[case["api"]]
        kwargs = substitute(case.get("kwargs") or {}, values)
        with pytest.raises(InputError) as err:
            func(**kwargs)
        message = err.value.format()
    assert "\n" not in message, f"message is more than one line:\n{message}"
    for text in expected:
        assert text in message, f"{text!r} not in {message!r}"
    assert snapshot(tmp_path) == before, "a file was written, changed or removed"
