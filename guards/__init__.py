"""guards: a merge gate for pull requests written by coding agents (and people)."""

from __future__ import annotations

__version__ = "0.1.0"
