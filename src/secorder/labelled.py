"""Results as labelled arrays (xarray): runs x years x states, with coordinates and metadata.

``Results.to_xarray()`` returns an ``xarray.Dataset`` whose variables are

- every per-run outcome, over ``run``;
- every system series, over ``run`` x ``year`` (``record="full"``) or, with
  ``record="summary"``, its mean across runs over ``year`` (named ``<series>_mean``);
- every state series, over ``run`` x ``year`` x ``state`` (``record="full"`` only);
- every institution series, over ``run`` x ``year`` x ``institution`` (``record="full"``), or
  its mean over ``year`` x ``institution``.

Coordinates are the run index, the calendar years, the state codes and institution ids; the
attributes carry the scenario, architecture, seed and parameter hash. Needs the optional
``xarray`` package (``pip install "secorder[notebooks]"``).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def results_to_xarray(res: Any) -> Any:
    """The :class:`~secorder.results.Results` as an ``xarray.Dataset``."""
    try:
        import xarray as xr
    except ImportError:
        from secorder.errors import InputError

        raise InputError([("to_xarray", "needs xarray: pip install 'secorder[notebooks]'")]) from None
    coords = {"run": np.arange(res.runs), "year": res.year_index, "state": list(res.codes),
              "institution": list(res.institution_ids)}
    data: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
    for name, v in res.outcomes.items():
        data[name] = (("run",), np.asarray(v))
    if res.system is not None:
        for name, v in res.system.items():
            data[name] = (("run", "year"), np.asarray(v))
    else:
        for name, v in res.system_mean.items():
            data[f"{name}_mean"] = (("year",), np.asarray(v))
    if res.states is not None:
        for name, v in res.states.items():
            data[f"state_{name}"] = (("run", "year", "state"), np.asarray(v))
    if res.institutions is not None:
        for name, v in res.institutions.items():
            data[f"institution_{name}"] = (("run", "year", "institution"), np.asarray(v))
    else:
        for name, v in res.institutions_mean.items():
            data[f"institution_{name}_mean"] = (("year", "institution"), np.asarray(v))
    used = {d for dims, _ in data.values() for d in dims}
    ds = xr.Dataset(data, coords={k: v for k, v in coords.items() if k in used})
    ds.attrs.update({
        "scenario": res.scenario.name, "architecture": res.architecture, "runs": res.runs, "years": res.years,
        "seed": str(res.seed), "parameter_hash": res.params.hash(), "record": res.record,
    })
    return ds
