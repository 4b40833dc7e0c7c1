"""Experiments: architecture comparisons on common random numbers, and the claim experiments."""

from secorder.experiments.compare import Comparison, compare, paired_interval

__all__ = ["Comparison", "compare", "paired_interval"]
