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

from secorder._version import __version__
from secorder.engine import simulate
from secorder.errors import DataError, InputError, ParameterError, ScenarioError
from secorder.mechanisms import REGISTRY as MECHANISMS
from secorder.params import Params
from secorder.results import Results
from secorder.scenario import Scenario, builtin_names, load_scenario, validate_scenario

__all__ = [
    "MECHANISMS",
    "DataError",
    "InputError",
    "ParameterError",
    "Params",
    "Results",
    "Scenario",
    "ScenarioError",
    "__version__",
    "builtin_names",
    "load_scenario",
    "simulate",
    "validate_scenario",
]
