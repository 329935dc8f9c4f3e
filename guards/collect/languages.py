"""The language collectors skip-set can use: language name -> the module that implements it.

Each module follows guards/collect/interface.py (LANGUAGE, GREP_TERMS, claims, collect).
Modules are named, not imported, so a run imports only the collectors its repository needs.
"""

from __future__ import annotations

COLLECTORS: dict[str, str] = {
    "java": "guards.collect.java",
}
