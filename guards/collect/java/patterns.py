"""Surefire/Failsafe/Gradle class selection: include/exclude patterns and ``-Dtest`` (pure).

Patterns are matched against the class's path under the test source root without extension
(``corpus/sub/ExcludedTest``), as Surefire matches ``**/*Test.java`` against class files:
``**/`` is any folders, ``*`` any characters but ``/``, ``?`` one; ``.java``/``.class`` are
dropped; a pattern without ``/`` means ``**/pattern``; ``%regex[...]`` is a regular
expression over ``corpus/sub/ExcludedTest.class``; an entry may hold several, comma-separated.
In ``<test>`` (``-Dtest``) an entry ``Class#method`` also selects methods (``m1+m2``, globs).

The trap: ``<test>`` replaces ``<includes>`` and ``<excludes>`` entirely (Surefire ignores them).
And the patterns are a pull request's text: a ``%regex[(a+)+b]`` or a glob ``*a*a*a...B``
matched by a backtracking engine against a long class path could hang the gate, so RE2 runs
them (linear_re.compile_full); a regex RE2 refuses is a ValueError the caller reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from guards.linear_re import compile_full

SUREFIRE_INCLUDES = ("**/Test*.java", "**/*Test.java", "**/*Tests.java", "**/*TestCase.java")
FAILSAFE_INCLUDES = ("**/IT*.java", "**/*IT.java", "**/*ITCase.java")
MAX_PATTERN = 1000


def split(entries: Iterable[str]) -> list[str]:
    return [p.strip() for e in entries for p in e.split(",") if p.strip()]


def matches(pattern: str, classpath: str) -> bool:
    """PATTERN (Ant glob or ``%regex[...]``) matches CLASSPATH (``a/b/FooTest``); ValueError for
    a regex RE2 refuses or a pattern past MAX_PATTERN characters."""
    return _compiled(pattern).fullmatch(classpath) is not None


@cache
def _compiled(pattern: str) -> Any:
    if len(pattern) > MAX_PATTERN:
        raise ValueError(f"a pattern is longer than {MAX_PATTERN} characters")
    if pattern.startswith("%regex[") and pattern.endswith("]"):
        body = pattern[len("%regex[") : -1].replace(r"\.class", "").replace(".class", "")
        return compile_full("(?:" + body + r")(?:\.class)?")
    glob = pattern.lstrip("/")
    for ext in (".java", ".class"):
        glob = glob.removesuffix(ext)
    if "/" not in glob:
        glob = "**/" + glob
    return compile_full(_ant(glob))


def _ant(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            ch = glob[i]
            out.append("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch))
            i += 1
    return "".join(out)


def test_filter(entries: list[str], classpath: str) -> tuple[bool, tuple[str, ...] | None]:
    """``<test>`` entries: does one name this class, and which methods (None: all)."""
    methods: list[str] = []
    hit = False
    for entry in entries:
        negated = entry.startswith("!")
        cls, _, method = entry.lstrip("!").partition("#")
        if not matches(cls, classpath):
            continue
        if negated:
            return False, None
        hit = True
        if not method:
            return True, None
        methods += [m for m in method.split("+") if m]
    return hit, tuple(methods) if hit else None
