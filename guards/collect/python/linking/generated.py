"""Module bindings that may make tests pytest collects (parsing/generated.py), judged against
``python_classes`` / ``python_functions``: a matching name makes its module undecidable."""

from __future__ import annotations

from guards.collect.model import Undecidable
from guards.collect.python.config.paths import name_matches
from guards.collect.python.config.pytest_config import PytestConfig
from guards.collect.python.parsing.facts import Module
from guards.collect.python.parsing.generated import COMPUTED

HOW = "; pytest may collect tests from it that cannot be read statically"


def check_generated(module: Module, cfg: PytestConfig) -> None:
    """Raise Undecidable for the first binding whose name pytest would collect."""
    defined = {f.name for f in module.functions} | {k.name for k in module.classes}
    for name, line, what in module.generated:
        if name in defined:
            continue  # rebinding a def/class the reader saw
        patterns = cfg.python_classes + cfg.python_functions
        if name == COMPUTED or name_matches(name, patterns):
            raise Undecidable(module.path, line, what + HOW)
