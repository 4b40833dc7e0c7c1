"""The staged designs shipped with secorder (YAML files, one per design)."""
