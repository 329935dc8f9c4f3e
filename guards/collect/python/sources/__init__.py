"""guards.collect.python.sources."""
