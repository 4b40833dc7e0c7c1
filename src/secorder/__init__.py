"""secorder: model, simulate and evaluate regional security orders.

The curated public API::

    import secorder
    sc = secorder.load_scenario("asia-pacific-2000")
    res = secorder.simulate(sc, years=30, runs=1000, seed=0)
    res.summary()            # per outcome: mean and 90% interval across runs
    res.to_pandas("states")  # tidy long tables
    res.events               # the crisis event log
    res.save("results/")     # Parquet tables, manifest.json (plots: secorder.report.save_results)
"""

from secorder.errors import DataError, InputError, ParameterError, ScenarioError

# The rest of the API is imported on first use (PEP 562), so that `import secorder` -- and the
# command line, whose `--help` must answer in a fraction of a second -- does not pull in NumPy,
# SciPy, pandas and the simulator before they are needed.
_LAZY = {
    "__version__": ("secorder._version", "__version__"),  # reading package metadata takes a while
    "simulate": ("secorder.engine", "simulate"),
    "MECHANISMS": ("secorder.mechanisms", "REGISTRY"),
    "Params": ("secorder.params", "Params"),
    "Results": ("secorder.results", "Results"),
    "RunSpec": ("secorder.spec", "RunSpec"),
    "Scenario": ("secorder.scenario", "Scenario"),
    "builtin_names": ("secorder.scenario", "builtin_names"),
    "load_scenario": ("secorder.scenario", "load_scenario"),
    "validate_scenario": ("secorder.scenario", "validate_scenario"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'secorder' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "MECHANISMS",
    "DataError",
    "InputError",
    "ParameterError",
    "Params",
    "Results",
    "RunSpec",
    "Scenario",
    "ScenarioError",
    "__version__",
    "builtin_names",
    "load_scenario",
    "simulate",
    "validate_scenario",
]
