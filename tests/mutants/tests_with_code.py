"""Detections of tests-with-code, each with a replacement that disables it."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from types import SimpleNamespace

from guards.checks.tests_with_code import pysource, trivial
from guards.checks.tests_with_code.files import Side
from guards.checks.tests_with_code.model import Reading, Unit
from guards.checks.tests_with_code.scanner import Token
from guards.checks.tests_with_code.verdict import new_tests

_read_python = pysource.read_python


def _same_only(left: ast.expr, op: ast.cmpop, right: ast.expr) -> bool:
    """trivial._true_comparison as it was: an expression compared with itself only."""
    return isinstance(op, (ast.Eq, ast.Is, ast.LtE, ast.GtE)) and ast.dump(left) == ast.dump(right)


def _none(*_a: object, **_k: object) -> None:
    return None


def _nothing(*_a: object, **_k: object) -> Iterator[object]:
    return iter(())


def _raw_python(text: str) -> Reading:
    return dataclasses.replace(_read_python(text), code=text, lines=tuple(text.splitlines()))


def _words(text: str, rust: bool = False) -> list[Token]:
    return [Token(w, n) for n, line in enumerate(text.splitlines(), 1) for w in line.split()]


def _walk_all(func: ast.AST) -> Iterator[ast.AST]:
    for stmt in getattr(func, "body", []):
        yield from ast.walk(stmt)


def _renames_count(sides: list[Side]) -> list[str]:
    return [
        s.path
        for s in sides
        if s.has_tests
        and (s.status == "R" or new_tests(s.new.units, {u.fingerprint for u in s.old.units}))
    ]


def _trivial_counts(units: tuple[Unit, ...], known: set[str]) -> list[Unit]:
    return [u for u in units if u.real + u.trivial > 0 and u.fingerprint not in known]


P = "guards.checks.tests_with_code"
MUTANTS = [
    ("implementation changes not detected", f"{P}.evaluate:implementation_changed", _none),
    ("any test file in the PR counts", f"{P}.evaluate:new_tests", lambda units, known: list(units)),
    ("always-true new tests count", f"{P}.evaluate:new_tests", _trivial_counts),
    ("a renamed test file counts as changed", f"{P}.evaluate:tested_paths", _renames_count),
    ("comments and layout count (raw text)", f"{P}.source:read_python", _raw_python),
    ("docstrings count as code", f"{P}.pysource:strip_docstrings", _none),
    ("deletions count as implementation", f"{P}.verdict:only_deletes", lambda old, new: False),
    ("C-family comments not stripped", f"{P}.clike:tokens", _words),
    ("string literals not respected", f"{P}.scanner:_string_end", lambda text, i, q: i + 1),
    (
        "Rust #[cfg(test)] tests not read",
        f"{P}.files:Side.has_tests",
        property(lambda s: s.kind == "test"),
    ),
    ("helper calls not followed", f"{P}.pysource:_called_name", _none),
    ("uncalled nested helpers count", f"{P}.pysource:_own_nodes", _walk_all),
    ("always-true asserts count (Python)", f"{P}.pysource:trivially_true", lambda e: False),
    ("constant assertions not folded", f"{P}.trivial:folded", lambda e, d=0: trivial.UNKNOWN),
    ("isinstance(x, object) counts", f"{P}.trivial:_instance_of_object", lambda c: False),
    ("len(x) >= 0 and x in (x, ...) count", f"{P}.trivial:_true_comparison", _same_only),
    ("broadened pytest.raises not seen", f"{P}.pysource:broad_exception", lambda e: False),
    ("always-true asserts count (C-family)", f"{P}.clike_asserts:_trivial_args", lambda a: False),
    ("expect(x).toBe(x) counts", f"{P}.clike_asserts:_trivial_expect", lambda t, p: False),
    ("test weakening not checked", f"{P}.evaluate:weak", _nothing),
    ("implementation -> test map ignored", f"{P}.layout:Layout.required_for", lambda self, p: ()),
    ("scope file tests: ignored", f"{P}.evaluate:scope_tests", _none),
    (
        "Python read as its cookie decodes it",
        f"{P}.source:python_text",
        SimpleNamespace(decode=lambda data: data.decode("utf-8", "replace")),
    ),
]
