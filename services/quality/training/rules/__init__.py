"""Register rules as data: one YAML file per version."""
