"""Property-based bad inputs: a random bad value in any numeric field of a scenario is refused.

The numeric fields and their bounds are read from the schema itself, so a field added later is
covered without editing this file. Bad values: NaN, +-infinity, anything outside the field's
bounds (just outside or absurdly far), and text. Each must raise an InputError whose message
is one line naming the field; a sample also goes through ``secorder scenarios validate``.
"""

from __future__ import annotations

import math
import typing

import annotated_types as at
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from secorder.errors import InputError
from secorder.scenario.loader import validate_scenario
from secorder.scenario.schema import Dyad, DyadDefaults, Institution, Scenario, State, System
from tests.conftest import SMALL, examples

BASE = yaml.safe_load(SMALL.read_text(encoding="utf-8"))


def _bounds(annotation: typing.Any, metadata: list[typing.Any]) -> tuple[type, float, float] | None:
    """(int or float, lower, upper) of a numeric field, looking through Optional/Union/Annotated."""
    lo, hi = -math.inf, math.inf
    for m in metadata:
        if isinstance(m, at.Ge | at.Gt):
            lo = float(getattr(m, "ge", getattr(m, "gt", None)))
        if isinstance(m, at.Le | at.Lt):
            hi = float(getattr(m, "le", getattr(m, "lt", None)))
    if annotation in (int, float):
        return annotation, lo, hi
    if typing.get_origin(annotation) in (dict, tuple, list):
        return None  # parameters (checked against the parameter registry), capital, lists
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Annotated:
            inner, *extra = typing.get_args(arg)
            meta = [x for e in extra for x in getattr(e, "metadata", [e])]
            found = _bounds(inner, meta)
            if found:
                return found
        elif arg in (int, float):
            return arg, lo, hi
    return None


def numeric_fields() -> list[tuple[str, type, float, float]]:
    where = {"states[2]": State, "dyads[1]": Dyad, "institutions[1]": Institution, "system": System,
             "dyad_defaults": DyadDefaults, "": Scenario}
    out = []
    for prefix, model in where.items():
        for name, info in model.model_fields.items():
            found = _bounds(info.annotation, list(info.metadata))
            if found:
                out.append((f"{prefix}.{name}" if prefix else name, *found))
    return out


FIELDS = numeric_fields()


def test_the_schema_has_bounds_on_every_numeric_field():
    names = {f for f, *_ in FIELDS}
    assert {"states[2].gdp", "states[2].population", "dyads[1].trade", "dyads[1].distance_km", "year"} <= names
    unbounded = [f for f, _, lo, hi in FIELDS if math.isinf(lo) or math.isinf(hi)]
    assert not unbounded, f"numeric fields without bounds: {unbounded}"


@st.composite
def bad_values(draw, kind: type, lo: float, hi: float):
    options = [st.just(math.nan), st.just(math.inf), st.just(-math.inf),
               st.floats(1e300, 1.7e308).map(lambda x: -x), st.floats(1e300, 1.7e308),
               st.text(alphabet="abcxyz", min_size=1, max_size=5)]
    if lo > -1e300:
        gap = st.floats(1e-6, 1e12) if kind is float else st.integers(1, 10**12)
        options.append(gap.map(lambda g: lo - g))
    if hi < 1e300:
        gap = st.floats(1e-6, 1e12) if kind is float else st.integers(1, 10**12)
        options.append(gap.map(lambda g: hi + g))
    value = draw(st.one_of(options))
    if kind is float and isinstance(value, float) and not math.isnan(value) and lo <= value <= hi:
        value = math.nan  # float rounding can land a tiny gap back inside the bounds
    return value


def _set(data: dict, path: str, value: typing.Any) -> dict:
    import copy
    import re

    data = copy.deepcopy(data)
    parts = [p if p else int(i) for p, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)]
    node = data
    for p in parts[:-1]:
        node = node.setdefault(p, {}) if isinstance(node, dict) else node[p]
    node[parts[-1]] = value
    return data


@st.composite
def bad_scenarios(draw):
    field, kind, lo, hi = draw(st.sampled_from(FIELDS))
    value = draw(bad_values(kind, lo, hi))
    return field, value, _set(BASE, field, value)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=bad_scenarios())
def test_a_bad_number_anywhere_is_refused_naming_the_field(case):
    field, value, data = case
    with pytest.raises(InputError) as err:
        validate_scenario(data, "bad.yaml")
    message = err.value.format()
    assert "\n" not in message
    assert field in message, (field, value, message)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(case=bad_scenarios())
def test_the_cli_refuses_them_with_exit_2(case, tmp_path_factory):
    from secorder.cli import app

    field, value, data = case
    folder = tmp_path_factory.mktemp("bad")
    path = folder / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = CliRunner().invoke(app, ["scenarios", "validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and field in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["bad.yaml"]
