"""Test helpers that build real git repositories (not shipped)."""
