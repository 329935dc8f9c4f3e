"""guards.collect.python.oracle."""
