"""Figures and reports.

This package reads results (``secorder.results``, ``secorder.experiments``); none of the
modules it reads imports it, so the dependency runs one way (the CLI sits on top).
"""

from secorder.report.compare_plots import save_comparison, save_comparison_plots
from secorder.report.plots import save_results, save_run_plots

__all__ = ["save_comparison", "save_comparison_plots", "save_results", "save_run_plots"]
