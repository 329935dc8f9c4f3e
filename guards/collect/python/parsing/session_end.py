"""Code in a conftest that ends the whole test session: no test it covers runs, CI stays green.

``pytest.exit("done", returncode=0)``, ``sys.exit(0)``, ``os._exit(0)``, ``os.abort()``,
``raise SystemExit``, ``exit()``/``quit()``: at import of a conftest, unconditionally, they
end the session before any test under it runs, which is a finding on every such test (a rule
with no condition, applied like a skipping hook). Anywhere else in a conftest (under an
``if``, in a hook or a fixture) whether and when they run depends on the environment or the
order of tests: undecidable, naming the file and line.

The trap: ``returncode=0`` makes an early exit look like success, so "the run passed" says
nothing; only the static witness (or a test-run report, issue 13) shows the tests that never ran.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from guards.collect.python.parsing.definitions import guarded
from guards.collect.python.parsing.facts import HookRule
from guards.collect.python.parsing.hook_conditions import ANY
from guards.collect.python.parsing.symbols import Dynamic, Env
from guards.collect.python.parsing.walk import nodes as walk_nodes

ENDERS = frozenset({"pytest.exit", "sys.exit", "os._exit", "os.abort", "pytest.exit.Exception"})
BUILTIN_ENDERS = frozenset({"exit", "quit", "SystemExit"})
KIND = "session-exit"


def session_ends(tree: ast.Module, env: Env) -> tuple[list[HookRule], list[tuple[int, str]]]:
    """(rules: unconditional ends at import; undecidable: every other end, with its line)."""
    rules: list[HookRule] = []
    unclear: list[tuple[int, str]] = []
    for stmt, cond in guarded(tree.body, env):
        for line, what in _ends(stmt, env):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                unclear.append((line, f"{what} in {stmt.name}() may end the test session"))
            elif cond is not None:
                unclear.append((line, f"{what} under `if {cond.text}` may end the test session"))
            else:
                detail = f"the conftest ends the test session at import ({what})"
                rules.append(HookRule(KIND, line, ANY, detail))
    return rules, unclear


def _ends(stmt: ast.stmt, env: Env) -> Iterator[tuple[int, str]]:
    """One end per line of STMT (``pytest.exit.Exception`` holds ``pytest.exit`` too). An
    exception a handler catches is no end (tox's ``except SystemExit as exception:``): what
    it catches was raised in its ``try``, read on its own, and a bare ``raise`` there raises
    that again."""
    found: dict[int, str] = {}
    caught = _caught(stmt)
    for node in walk_nodes(stmt):
        what = "" if id(node) in caught else _ender(node, env)
        if what:
            found.setdefault(getattr(node, "lineno", stmt.lineno), what)
    yield from sorted(found.items())


def _caught(stmt: ast.stmt) -> set[int]:
    """The ids of the nodes naming what STMT's ``except`` clauses catch."""
    types = [h.type for h in walk_nodes(stmt) if isinstance(h, ast.ExceptHandler) and h.type]
    return {id(node) for caught in types for node in walk_nodes(caught)}


def _ender(node: ast.AST, env: Env) -> str:
    if not isinstance(node, (ast.Name, ast.Attribute)):
        return ""
    if isinstance(node, ast.Name) and node.id in BUILTIN_ENDERS and node.id not in env.names:
        return f"{node.id}()" if node.id != "SystemExit" else "raise SystemExit"
    try:
        sym = env.resolve(node)
    except Dynamic:
        return ""
    return f"{sym}()" if sym in ENDERS else ""
