"""The built-in scenario files (YAML), shipped as package data."""
