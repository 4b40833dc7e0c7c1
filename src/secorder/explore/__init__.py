"""Exploration at scale: sweeps, global sensitivity, scenario discovery and the EMA Workbench adapter.

::

    from secorder.explore import sweep, read_sweep
    sweep("spec.yaml", "results/sweep")   # a partitioned Parquet dataset; resumable
    rows = read_sweep("results/sweep")     # one row per run x design point

See docs/exploration.md. Only the standard library is imported here; each function imports
what it needs when called.
"""

from __future__ import annotations

from typing import Any


def sweep(*args: Any, **kwargs: Any):
    """Run or resume a sweep; see :func:`secorder.explore.runner.sweep`."""
    from secorder.explore.runner import sweep as _sweep

    return _sweep(*args, **kwargs)


def read_sweep(*args: Any, **kwargs: Any):
    """A sweep's rows as a DataFrame; see :func:`secorder.explore.runner.read_sweep`."""
    from secorder.explore.runner import read_sweep as _read

    return _read(*args, **kwargs)


def load_spec(*args: Any, **kwargs: Any):
    """Read and check a sweep spec; see :func:`secorder.explore.spec.load_spec`."""
    from secorder.explore.spec import load_spec as _load

    return _load(*args, **kwargs)


__all__ = ["load_spec", "read_sweep", "sweep"]
