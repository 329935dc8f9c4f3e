"""guards.collect.python.linking."""
