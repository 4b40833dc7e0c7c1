"""Results.to_xarray(): labelled arrays that agree with the arrays and tidy tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import secorder

xr = pytest.importorskip("xarray")
SMALL = Path(__file__).resolve().parent / "small_scenario.yaml"


@pytest.fixture(scope="module")
def full():
    return secorder.simulate(SMALL, runs=7, years=6, seed=2, record="full", workers=1)


def test_dims_and_coordinates(full):
    ds = full.to_xarray()
    assert ds["state_milex"].dims == ("run", "year", "state")
    assert ds.sizes == {"run": 7, "year": 6, "state": 6, "institution": len(full.institution_ids)}
    assert list(ds["state"].values) == full.codes
    assert ds["year"].values.tolist() == list(range(2000, 2006))
    assert ds.attrs["scenario"] == "mini" and ds.attrs["parameter_hash"] == full.params.hash()


def test_values_match_arrays_and_tables(full):
    ds = full.to_xarray()
    np.testing.assert_array_equal(ds["state_milex"].sel(state="JPN").values,
                                  full.states["milex"][:, :, full.codes.index("JPN")])
    np.testing.assert_array_equal(ds["disputes_per_decade"].values, full.outcomes["disputes_per_decade"])
    tidy = full.to_pandas("system")
    row = tidy[(tidy["run"] == 3) & (tidy["year"] == 2004) & (tidy["variable"] == "mean_trust")]
    assert float(ds["mean_trust"].sel(run=3, year=2004)) == pytest.approx(float(row["value"].iloc[0]))
    # labelled reductions: the mean over runs is the recorded yearly mean
    np.testing.assert_allclose(ds["mean_trust"].mean("run").values, full.system_mean["mean_trust"])


def test_summary_record_keeps_means_only():
    res = secorder.simulate(SMALL, runs=5, years=4, seed=0, record="summary", workers=1)
    ds = res.to_xarray()
    assert "mean_trust" not in ds and ds["mean_trust_mean"].dims == ("year",)
    assert "state" not in ds.dims and ds["disputes_per_decade"].dims == ("run",)
