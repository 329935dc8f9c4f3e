"""``python -m guards``."""

from __future__ import annotations

from guards.main import main

if __name__ == "__main__":
    main()
