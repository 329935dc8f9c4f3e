"""The registry of language collectors: language name -> the module that implements it.

Each module follows guards/collect/interface.py (LANGUAGE, GREP_TERMS, claims, collect).
The trap: a module is imported only when its language is asked for, so a repository with no
Go or Rust pays nothing for those grammars.
"""

from __future__ import annotations

import importlib
from types import ModuleType

COLLECTORS = {
    "go": "guards.collect.go",
    "rust": "guards.collect.rust",
}


def collector(language: str) -> ModuleType:
    """The collector module of LANGUAGE (a key of COLLECTORS)."""
    return importlib.import_module(COLLECTORS[language])


def claiming(path: str) -> list[str]:
    """The languages whose collector claims PATH."""
    return [name for name in COLLECTORS if collector(name).claims(path)]
