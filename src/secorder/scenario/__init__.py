"""Scenario format, loading, validation, and the built-in scenarios."""

from secorder.scenario.loader import builtin_names, load_scenario, validate_scenario
from secorder.scenario.schema import Dyad, Institution, Scenario, State, System

__all__ = [
    "Dyad",
    "Institution",
    "Scenario",
    "State",
    "System",
    "builtin_names",
    "load_scenario",
    "validate_scenario",
]
