"""Stage 4, linking: facts into the tests pytest would collect, each with its skips (marks,
bodies and the helpers they call, fixtures, class members, conftest hooks, selection)."""
