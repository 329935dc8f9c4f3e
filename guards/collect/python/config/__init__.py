"""guards.collect.python.config."""
