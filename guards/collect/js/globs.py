"""micromatch/picomatch-style globs as regular expressions (what jest, vitest and mocha use).

Supported: ``**`` (any folders, including none), ``*`` and ``?`` (within one folder),
``[...]`` classes, ``{a,b}`` alternatives (nested), and the extglobs ``?(a|b)``, ``+(a|b)``,
``*(a|b)``, ``@(a|b)``. A leading ``./`` is dropped.

The trap: ``!(...)`` negation cannot be written as a plain regular expression here; a glob
using it is refused (ValueError), so the caller reports the config as undecidable instead of
guessing which files run. And a glob is a pull request's text: ``*a*a*a...b`` is
``[^/]*a[^/]*a...b``, which a backtracking engine matches against a long path in polynomial
time, so RE2 runs it (linear_re.compile_full).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from guards.linear_re import compile_full

EXTGLOB = {"?": "?", "+": "+", "*": "*", "@": ""}


@cache
def compile_glob(glob: str) -> Any:
    glob = glob.removeprefix("./")
    body, end = _translate(glob, 0, "")
    if end != len(glob):
        raise ValueError(f"unbalanced glob {glob!r}")
    return compile_full(f"^{body}$", dotall=True)


def matches(glob: str, path: str) -> bool:
    return compile_glob(glob).match(path) is not None


def _translate(glob: str, i: int, stop: str) -> tuple[str, int]:
    out: list[str] = []
    while i < len(glob) and glob[i] not in stop:
        piece, i = _piece(glob, i)
        out.append(piece)
    return "".join(out), i


def _piece(glob: str, i: int) -> tuple[str, int]:
    char = glob[i]
    nxt = glob[i + 1] if i + 1 < len(glob) else ""
    if char == "!" and nxt == "(":
        raise ValueError(f"negated extglob in {glob!r}")
    if char in EXTGLOB and nxt == "(":
        inner, end = _alternatives(glob, i + 2, ")")
        return f"(?:{inner}){EXTGLOB[char]}", end + 1
    if char == "*" and nxt == "*":
        return _globstar(glob, i)
    if char == "*":
        return "[^/]*", i + 1
    if char == "?":
        return "[^/]", i + 1
    if char == "[":
        return _class(glob, i)
    if char == "{":
        inner, end = _alternatives(glob, i + 1, "}")
        return f"(?:{inner})", end + 1
    return re.escape(char), i + 1


def _globstar(glob: str, i: int) -> tuple[str, int]:
    if glob[i + 2 : i + 3] == "/":
        return "(?:[^/]*/)*", i + 3
    return ".*", i + 2


def _alternatives(glob: str, i: int, close: str) -> tuple[str, int]:
    options: list[str] = []
    separators = "|" if close == ")" else ","
    while True:
        body, i = _translate(glob, i, separators + close)
        options.append(body)
        if i >= len(glob):
            raise ValueError(f"unbalanced glob {glob!r}")
        if glob[i] == close:
            return "|".join(options), i
        i += 1


def _class(glob: str, i: int) -> tuple[str, int]:
    end = glob.find("]", i + 2)
    if end < 0:
        return re.escape("["), i + 1
    inner = glob[i + 1 : end].replace("\\", "\\\\")
    if inner.startswith("!"):
        inner = "^" + inner[1:]
    return f"[{inner}]", end + 1
