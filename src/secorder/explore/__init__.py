"""Exploration at scale: sweeps, global sensitivity, scenario discovery and the EMA Workbench adapter."""
