"""The language collectors skip-set and ``guards skips list`` use besides Python's.

Each entry is language -> module path (see interface.py); a module is imported when first
used, so a repository with no Go or Rust pays nothing for those grammars.
The trap: the JS helper's branch holds the same registry with the wiring around it; when both
land, the entries are merged into one ``LANGUAGES`` dict.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

LANGUAGES = {
    "go": "guards.collect.go",
    "rust": "guards.collect.rust",
}


def collectors() -> Iterator[ModuleType]:
    for module in LANGUAGES.values():
        yield importlib.import_module(module)
