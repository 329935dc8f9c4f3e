"""The probe suite behind ``guards probe``: synthetic PRs with the verdict they must get."""

from __future__ import annotations
