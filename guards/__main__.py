"""``python -m guards``."""

from __future__ import annotations

from guards.main import cli

if __name__ == "__main__":
    cli()
