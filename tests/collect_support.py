"""Helpers for collector tests: link one module's source without git."""

from __future__ import annotations

import textwrap
from typing import Any

from guards.collect.model import TestItem
from guards.collect.python.config.pytest_config import PytestConfig
from guards.collect.python.linking.link import Linker
from guards.collect.python.linking.resolve import Resolver
from guards.collect.python.parsing.analyze import analyze
from guards.collect.python.parsing.facts import Module


class Memory:
    """A repository of in-memory modules (dotted name -> facts)."""

    def __init__(self, modules: dict[str, Module] | None = None) -> None:
        self.modules = modules or {}

    def module(self, dotted: str, from_path: str) -> Module | None:
        return self.modules.get(dotted)

    def fixture_module(self, dotted: str, from_path: str, name: str = "") -> Module | None:
        return self.modules.get(dotted)


def items(
    source: str,
    path: str = "tests/test_x.py",
    cfg: PytestConfig | None = None,
    conftests: list[Module] | None = None,
    world: Memory | None = None,
) -> list[TestItem]:
    module = analyze(path, textwrap.dedent(source).encode())
    resolver = Resolver(world or Memory())
    return Linker(module, cfg or PytestConfig(), resolver, conftests or []).items()


def kinds(source: str, **kw: Any) -> dict[str, set[str]]:
    """node id (without the path) -> the skip kinds of every test in SOURCE."""
    return {t.nodeid.split("::", 1)[1]: {s.kind for s in t.skips} for t in items(source, **kw)}
