"""Staged designs: an institution built in stages, each triggered by a year or a condition on the run.

A design file (YAML) names an institution and its stages (create, deepen, widen, add_rules,
add_teeth), each with a trigger and what happens if it fails. :func:`simulate_design` runs one
on a scenario, :func:`run_designs` compares several with a baseline on common random numbers;
``secorder design run`` and ``secorder design validate`` are the command line. See
``docs/designs.md``.
"""

from __future__ import annotations

from secorder.designs.plan import Plan, plan_design
from secorder.designs.run import (
    BASELINE,
    DesignComparison,
    DesignRun,
    builtin_designs,
    load_design,
    run_designs,
    simulate_design,
)
from secorder.designs.runner import DesignRecord
from secorder.designs.schema import STAGE_KINDS, Design, validate_design
from secorder.designs.variables import VARIABLES, register

__all__ = [
    "BASELINE", "STAGE_KINDS", "VARIABLES", "Design", "DesignComparison", "DesignRecord", "DesignRun", "Plan",
    "builtin_designs", "load_design", "plan_design", "register", "run_designs", "simulate_design",
    "validate_design",
]
