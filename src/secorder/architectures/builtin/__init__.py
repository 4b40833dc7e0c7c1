"""The built-in architecture files (YAML), shipped as package data."""
