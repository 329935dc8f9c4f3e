"""Calls a module makes at import to helpers of its own or of the repository: a helper that
skips (``pytest.skip(allow_module_level=True)``, ``importorskip``) skips the whole module when
the module calls it at import, as pytest imports it to collect.

Contract: ``import_calls(stmts, classes, env)`` is a Ref for each call that import-time code
makes (STMTS: a module's statements as ``definitions.guarded`` flattens them, without the blocks
that never run under pytest; and the bodies of CLASSES, nested ones too) whose callee the linker
may follow (marks._followable: a local function, a class's method, a name imported from a module
that may be the repository's). The linker asks what each reaches (test_skips.SkipFinder).

The traps: only calls run: a reference that is not called (``CHECKS = [check_gpu]``, used
later) runs nothing at import, nor does a call inside a ``lambda`` or a nested definition. A
skip construct called directly is toplevel.py's (a module skip, or undecidable).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Sequence

from guards.collect.python.parsing.bodies import import_time, referred
from guards.collect.python.parsing.facts import Ref
from guards.collect.python.parsing.symbols import Dynamic, Env

DEFINED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)  # run later, if at all
SKIPPED = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def import_calls(
    stmts: Sequence[ast.stmt], classes: Iterable[ast.ClassDef], env: Env
) -> tuple[Ref, ...]:
    """The followable calls import-time code makes, one per callee and line, in order."""
    found: dict[tuple[str, int], Ref] = {}
    for call in _calls([*_run(stmts), *(s for k in classes for s in _class_body(k))]):
        target = _callee(call, env)
        if target is not None:
            found.setdefault((target, call.lineno), Ref(call.lineno, target=target))
    return tuple(found.values())


def _run(stmts: Iterable[ast.stmt]) -> list[ast.stmt]:
    return [s for s in stmts if not isinstance(s, SKIPPED)]


def _class_body(klass: ast.ClassDef) -> Iterator[ast.stmt]:
    """The statements a class body runs at import, its nested classes' too."""
    body = list(import_time(klass.body))
    yield from _run(body)
    for inner in (s for s in body if isinstance(s, ast.ClassDef)):
        yield from _class_body(inner)


def _calls(stmts: Sequence[ast.stmt]) -> Iterator[ast.Call]:
    """Every call in STMTS, outside the lambdas and definitions they hold."""
    stack: list[ast.AST] = list(reversed(stmts))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call):
            yield node
        stack.extend(
            c for c in reversed(list(ast.iter_child_nodes(node))) if not isinstance(c, DEFINED)
        )


def _callee(call: ast.Call, env: Env) -> str | None:
    """What the linker follows for CALL's callee (bodies.referred, as a body's reference is
    read): a helper's symbol, not a skip construct, nor a method of ``self``."""
    if not isinstance(call.func, (ast.Name, ast.Attribute)):
        return None
    try:
        said = referred(call.func, env.resolve(call.func))
    except Dynamic:
        return None  # toplevel.py reports a computed callee where it can skip
    target = said[1] if said is not None else ""
    return target if target and not target.startswith("self:") else None
