"""What a Gradle build file tells its test task, where it is literal (pure).

Read from ``build.gradle`` / ``build.gradle.kts`` (Groovy or Kotlin DSL), by their call shape:
``excludeTags``/``includeTags`` (JUnit Platform), ``excludeCategories``/``includeCategories``
(JUnit 4), ``excludeGroups``/``includeGroups`` (TestNG), ``exclude``/``include`` class
patterns (matched against class files, like ``**/*IT.class``), and ``enabled = false``.
Gradle runs every test class it finds (no name patterns by default).

The trap: the arguments must be string literals; any other (a property, a variable) makes
the selection undecidable, never silently "everything runs". The whole file is read, not
one task's block: a second test task's exclusions are counted too (over-counting is safe).
"""

from __future__ import annotations

import re

from guards.collect.model import Undecidable
from guards.core.records import record

MAX_GRADLE_BYTES = 1_000_000
_CALL = re.compile(
    r"\b(excludeTags|includeTags|excludeCategories|includeCategories|excludeGroups|"
    r"includeGroups|exclude|include)\b\s*(\(|=|\+=)?\s*([^\n)]*)"
)
_DISABLED = re.compile(r"\benabled\s*=\s*false\b|\bisEnabled\s*=\s*false\b")
_STRING = re.compile(r"\"([^\"\\$]*)\"|'([^'\\$]*)'")
_KEYS = {"Tags": "tags", "Categories": "tags", "Groups": "tags"}


@record
class GradleTest:
    excluded_tags: frozenset[str] = frozenset()
    included_tags: frozenset[str] = frozenset()
    excludes: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()
    disabled: bool = False


def read(path: str, data: bytes) -> GradleTest:
    if len(data) > MAX_GRADLE_BYTES:
        raise Undecidable(path, 0, f"build file larger than {MAX_GRADLE_BYTES} bytes")
    text = data.decode("utf-8", "replace")
    found: dict[str, list[str]] = {}
    for match in _CALL.finditer(_without_comments(text)):
        name, rest = match.group(1), match.group(3)
        if name in ("exclude", "include") and not _STRING.match(rest.strip()):
            continue  # exclude(group: ...) in dependencies, include in settings: not a pattern
        found.setdefault(name, []).extend(_literals(path, text, match.start(), name, rest))
    return GradleTest(
        frozenset(
            found.get("excludeTags", [])
            + found.get("excludeCategories", [])
            + found.get("excludeGroups", [])
        ),
        frozenset(
            found.get("includeTags", [])
            + found.get("includeCategories", [])
            + found.get("includeGroups", [])
        ),
        tuple(found.get("exclude", [])),
        tuple(found.get("include", [])),
        bool(_DISABLED.search(_without_comments(text))),
    )


def _without_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def _literals(path: str, text: str, at: int, name: str, rest: str) -> list[str]:
    args = rest.strip().rstrip("{").strip()
    values = [a or b for a, b in _STRING.findall(args)]
    leftover = _STRING.sub("", args)
    leftover = re.sub(r"[\s,\[\]]|setOf|listOf|arrayOf", "", leftover.replace("(", ""))
    if not values or leftover:
        line = text.count("\n", 0, at) + 1
        raise Undecidable(path, line, f"{name} is given a value that is not a string literal")
    return values
