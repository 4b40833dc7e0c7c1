"""The model version a parameter file was calibrated for.

A calibrated value means something only for the model it was fitted to: the same parameters
(names and ranges) feeding the same mechanisms in the same order. :func:`model_version` is a
short digest of both registries; a calibration records it in its file's ``meta:`` and
:func:`secorder.spec.read_params_file` refuses a file recorded for another version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from secorder.mechanisms import REGISTRY
from secorder.params import Params


def model_version() -> str:
    """16 hex digits identifying the parameter registry and the yearly step's mechanisms."""
    params = [(f.name, list(f.metadata["range"])) for f in dataclasses.fields(Params)]
    mechanisms = [(m.name, m.step, sorted(m.reads), sorted(m.writes), sorted(m.draws)) for m in REGISTRY]
    blob = json.dumps({"params": params, "mechanisms": mechanisms}, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]
