"""The survey forms as data: one YAML file per form version."""
