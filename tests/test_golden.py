"""Golden outputs: the built-in scenarios reproduce their stored tables exactly.

See ``tests/golden/make_golden.py`` for the settings and for how to regenerate the files
when a change is meant to alter the numbers (and must then be named in CHANGELOG.md).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.golden import make_golden


@pytest.fixture(scope="module", params=make_golden.SCENARIOS)
def fresh(request) -> tuple[str, dict]:
    return request.param, make_golden.simulate_tables(request.param)


def test_every_golden_table_is_stored():
    for scenario in make_golden.SCENARIOS:
        for table in make_golden.TABLES:
            assert make_golden.path(scenario, table).is_file(), f"missing golden file for {scenario}.{table}"


@pytest.mark.parametrize("table", make_golden.TABLES)
def test_tables_equal_the_golden_outputs(fresh, table):
    scenario, tables = fresh
    golden = make_golden.load(scenario, table)
    assert len(golden) > 0, f"{scenario}.{table}: the golden table is empty, so it pins nothing"
    problems = make_golden.differences(golden, tables[table])
    assert not problems, (f"{scenario}.{table} differs from tests/golden (regenerate with "
                          f"tests/golden/make_golden.py only if the change is meant to alter numbers): "
                          + "; ".join(problems))


def test_differences_detects_a_changed_value():
    golden = make_golden.load("northeast-asia-2003", "system")
    changed = golden.copy()
    col = changed.columns[-1]
    value = changed.loc[3, col]
    changed.loc[3, col] = np.nextafter(value, np.inf) if changed[col].dtype.kind == "f" else value + 1  # one ulp
    assert make_golden.differences(golden, golden.copy()) == []
    assert make_golden.differences(golden, changed)
