"""guards.collect.python.parsing."""
