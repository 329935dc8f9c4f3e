"""Gradle: build and settings scripts (Groovy or Kotlin DSL) and version catalogs.

A script is a program, read by its shape. Its dependencies are what its ``dependencies { }``
blocks (``buildscript``'s too) and ``dependencies.add(...)`` calls name: every string literal
there shaped like a coordinate (``"group:artifact[:version][:classifier][@ext]"``), whichever
configuration takes it (``implementation``, ``debugImplementation``, ``kapt``,
``platform(...)``, a custom one), and every map (``group: 'g', name: 'a'`` in Groovy, ``group =
"g", name = "a"`` in Kotlin) in one statement. Its repositories are the URLs inside
``maven``/``ivy`` calls and blocks (``maven { url 'x' }``, ``maven(url = "x")``, ``maven {
setUrl("x") }``), in a settings script's ``dependencyResolutionManagement`` as well. A version
catalog (``gradle/libs.versions.toml``) is TOML: each of its ``[libraries]`` is a dependency,
which a script then names as ``libs.x`` (no coordinate at all).

The traps: a comment is no declaration (``// implementation 'x:y:1'``) and ``//`` inside a
string is no comment (``"https://repo.example"``), so comments are cut by a scanner that knows
strings, never by a pattern; and a name computed at run time cannot be read (documented).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from guards.checks import formats
from guards.checks.dependencies.model import Declared, Dep

COORDINATE = re.compile(r"(?P<g>[\w.-]+):(?P<a>[\w.-]+)(?::[^\s:]*){0,2}(?:@\w+)?")
STRING = formats.STRING
BLOCK = re.compile(r"\bdependencies\s*(?:\{|\.\s*\w+\s*\()")  # a block, or dependencies.add(...)
REPOSITORY = re.compile(r"\b(?:maven|ivy)\s*[({]")
URL = re.compile(r"[A-Za-z][\w+.-]*:/\S*")
MAP_KEY = re.compile(r"""\b(?P<k>group|name)\s*[:=]\s*["'](?P<v>[^"'\s]+)["']""")
OPEN, CLOSE = "({[", ")}]"


def script(data: bytes, path: str) -> Declared:
    """What a build or settings script declares."""
    code = formats.strip_comments(data.decode("utf-8", "replace"))
    shape = STRING.sub(_blank_string, code)
    closers = _closers(shape)
    deps = [
        Dep("maven", name, path)
        for start, end in _outermost(BLOCK, shape, closers)
        for name in _declared(code, shape, start, end)
    ]
    urls = [
        url
        for start, end in _outermost(REPOSITORY, shape, closers)
        for url in _urls(code[start:end])
    ]
    return Declared(tuple(deps), tuple(f"maven {u}" for u in urls))


def catalog(data: bytes, path: str) -> Declared:
    """A version catalog's ``[libraries]``: ``"g:a:v"``, ``{ module = "g:a" }`` or
    ``{ group = "g", name = "a" }``."""
    libraries = formats.toml(data, path).get("libraries")
    entries = libraries.values() if isinstance(libraries, dict) else ()
    names = (_library(entry) for entry in entries)
    return Declared(tuple(Dep("maven", n, path) for n in names if n))


def _library(entry: Any) -> str:
    if isinstance(entry, str):
        match = COORDINATE.fullmatch(entry.strip())
        return f"{match['g']}:{match['a']}" if match else entry
    if not isinstance(entry, dict):
        return ""
    if isinstance(entry.get("module"), str):
        return _library(entry["module"])
    return f"{entry.get('group', '')}:{entry.get('name', '')}" if "name" in entry else ""


def _declared(code: str, shape: str, start: int, end: int) -> Iterator[str]:
    """The coordinates and maps of one dependencies block, CODE[START:END]."""
    for literal in STRING.finditer(code, start, end):
        match = COORDINATE.fullmatch(literal.group(0)[1:-1])
        if match:
            yield f"{match['g']}:{match['a']}"
    for statement in _statements(code, shape, start, end):
        keys = {m["k"]: m["v"] for m in MAP_KEY.finditer(statement)}
        if "group" in keys and "name" in keys:
            yield f"{keys['group']}:{keys['name']}"


def _statements(code: str, shape: str, start: int, end: int) -> Iterator[str]:
    """CODE[START:END] cut at braces, semicolons, and line ends outside parentheses and brackets
    (a call's arguments may span lines)."""
    depth, begin = 0, start
    for i in range(start, end):
        char = shape[i]
        depth += (char in "([") - (char in ")]")
        if char in "{};" or (char == "\n" and depth <= 0):
            yield code[begin:i]
            begin = i + 1
            depth = 0 if char in "{}" else depth
    yield code[begin:end]


def _urls(text: str) -> Iterator[str]:
    for literal in STRING.finditer(text):
        if URL.fullmatch(literal.group(0)[1:-1]):
            yield literal.group(0)[1:-1]


def _outermost(
    pattern: re.Pattern[str], shape: str, closers: dict[int, int]
) -> Iterator[tuple[int, int]]:
    """The (start, end) of each bracket PATTERN opens, those inside an earlier one left out: it
    was read with it, and reading it again would make nested blocks cost the square of the
    file."""
    reached = 0
    for match in pattern.finditer(shape):
        if match.end() >= reached:
            reached = closers.get(match.end() - 1, len(shape))
            yield match.end(), reached


def _closers(shape: str) -> dict[int, int]:
    """Where each bracket of SHAPE closes, by where it opens (one pass; an unclosed one runs
    to the end)."""
    found: dict[int, int] = {}
    opened: list[int] = []
    for i, char in enumerate(shape):
        if char in OPEN:
            opened.append(i)
        elif char in CLOSE and opened:
            found[opened.pop()] = i
    return found


def _blank_string(match: re.Match[str]) -> str:
    """A string literal as its quotes around spaces: brackets inside it are text."""
    literal = match.group(0)
    return literal[0] + " " * (len(literal) - 2) + literal[-1]
