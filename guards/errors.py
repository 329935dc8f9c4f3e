"""The one error type for "the gate could not be evaluated" (exit 2)."""

from __future__ import annotations


class GuardsError(Exception):
    """The gate could not reach a verdict; the message says what to fix."""


class ConfigError(GuardsError):
    """The policy (guards.yaml, a scope file, a spec) is invalid."""
