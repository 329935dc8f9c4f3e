"""Test collectors. ``pytest``: a static collector (stdlib ast, nothing imported or run) that
knows the node ids pytest would collect and every way a test gets skipped; and an optional
real-pytest collector used as an oracle."""
