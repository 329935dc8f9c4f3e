"""The only code that talks HTTP: a small GitHub REST client."""

from __future__ import annotations
