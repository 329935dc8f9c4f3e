"""What a conftest.py declares for its directory: ignore lists, skipping hooks, data it reads."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from guards.collect.python.linking.hooks import ITEM_HOOKS, ITEMS_HOOK, HookReader
from guards.collect.python.parsing.bodies import import_time
from guards.collect.python.parsing.data_refs import data_refs
from guards.collect.python.parsing.facts import Conftest, DataRef, HookRule, is_hook
from guards.collect.python.parsing.hook_conditions import DATA, Cond
from guards.collect.python.parsing.hook_options import declared
from guards.collect.python.parsing.ignore_lists import ListEval, frozen
from guards.collect.python.parsing.inert_hooks import inert
from guards.collect.python.parsing.lambdas import as_def
from guards.collect.python.parsing.name_bindings import binds, import_time_nodes
from guards.collect.python.parsing.symbols import literal_str
from guards.collect.python.parsing.walk import nodes as walk_nodes

if TYPE_CHECKING:
    from guards.collect.python.parsing.analyze import Analyzer

IGNORE_NAMES = ("collect_ignore", "collect_ignore_glob")
COLLECTION_HOOKS = {
    "pytest_ignore_collect": "decides per path which files are collected",
    "pytest_collect_file": "builds its own collectors",
    "pytest_pycollect_makemodule": "builds its own module collectors",
    "pytest_pycollect_makeitem": "builds its own test items",
    "pytest_collect_directory": "builds its own directory collectors",
    "pytest_collection": "replaces collection",
    "pytest_pyfunc_call": "can replace calling the test function",
    "pytest_runtest_protocol": "can replace running a test",
}
OUTCOME_HOOKS = ("pytest_runtest_makereport", "pytest_report_teststatus")
OUTCOME_WORDS = ("skip", "xfail")
OUTCOME_FIELDS = frozenset({"outcome", "wasxfail"})  # a report's, written by an outcome hook
FORCERS = frozenset({"force_result", "force_exception"})  # a hookwrapper's result replaced


def read_conftest(an: Analyzer, tree: ast.Module) -> Conftest:
    stmts = list(import_time(tree.body))
    evaluated = ListEval(an.env, an.funcs).module(tree.body, IGNORE_NAMES)
    ignores = {name: frozen(value) for name, value in evaluated.items()}
    data = tuple(d for s in stmts for d in data_refs(an.path, s))
    rules: list[HookRule] = []
    argnames: list[str] = []
    makes_ids = False
    flags = declared(an.funcs.get("pytest_addoption"))
    for node in an.funcs.values():
        if node.name in ITEM_HOOKS or node.name == ITEMS_HOOK:
            helpers = {f"local:{name}": func for name, func in an.funcs.items()}
            reader = HookReader(
                an.env, lambda e: _literal_set(an, data, e), an.report, flags, helpers
            )
            rules += reader.read(node)
        elif node.name in COLLECTION_HOOKS and not inert(node):
            an.report(node.lineno, f"hook {node.name} {COLLECTION_HOOKS[node.name]}")
        elif node.name in OUTCOME_HOOKS and _mentions_outcomes(node):
            an.report(node.lineno, f"hook {node.name} rewrites test outcomes")
        elif node.name == "pytest_generate_tests":
            argnames += _generated(node)
        makes_ids = makes_ids or node.name == "pytest_make_parametrize_id"
    _hooks_not_read(an, tree)
    return Conftest(
        collect_ignore=ignores["collect_ignore"],
        collect_ignore_glob=ignores["collect_ignore_glob"],
        hooks=tuple(rules),
        data=data,
        generate_argnames=tuple(argnames),
        makes_ids=makes_ids,
        plugins=_plugins(an, stmts),
    )


def _hooks_not_read(an: Analyzer, tree: ast.Module) -> None:
    """Hooks the reader never sees, each undecidable: a hook's name bound at import by other
    than a ``def`` (an assignment, ``pytest_ignore_collect = make_hook()``; an import, ``from
    plugin import pytest_collection_modifyitems``), and a plugin registered at run time
    (``config.pluginmanager.register(Plugin())``: its methods are hooks). A name bound to a
    lambda is the def it stands for (lambdas.py), read as a def's hook is."""
    for node in import_time_nodes(tree):
        named = [n for n in binds(node) if is_hook(n)]
        defined = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or as_def(node)
        if named and not defined:
            an.report(getattr(node, "lineno", 0), f"hook {named[0]} is bound other than by def")
    for node in walk_nodes(tree):
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and func.attr == "register" and _plugin_manager(func):
            an.report(getattr(node, "lineno", 0), "a plugin registered at run time adds hooks")


def _plugin_manager(func: ast.Attribute) -> bool:
    owner = func.value
    return isinstance(owner, ast.Attribute) and owner.attr == "pluginmanager"


def _plugins(an: Analyzer, stmts: list[ast.stmt]) -> tuple[tuple[str, int], ...]:
    """``pytest_plugins = "a"`` / ``["a", "b"]``; a value that is not literal is undecidable."""
    out: list[tuple[str, int]] = []
    for stmt in stmts:
        if not isinstance(stmt, ast.Assign) or not _assigns(stmt, "pytest_plugins"):
            continue
        value = stmt.value
        elts = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        names = [literal_str(e) for e in elts]
        if any(n is None for n in names):
            an.report(stmt.lineno, "pytest_plugins is not a literal list of module names")
        out += [(n, stmt.lineno) for n in names if n is not None]
    return tuple(out)


def _assigns(stmt: ast.Assign, name: str) -> bool:
    return any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets)


def _literal_set(an: Analyzer, data: tuple[DataRef, ...], node: ast.expr) -> Cond | None:
    if isinstance(node, ast.Name):
        ref = next((d for d in data if d.name == node.id), None)
        if ref is not None:
            return (DATA, ref.name)
        node = an.settled.get(node.id, node)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        values = tuple(literal_str(e) for e in node.elts)
        if all(v is not None for v in values):
            return tuple(v for v in values if v is not None)
    return None


def _outcome(node: ast.Attribute) -> bool:
    return node.attr in OUTCOME_FIELDS


def _mentions_outcomes(node: ast.AST) -> bool:
    """Whether an outcome hook may rewrite a test's outcome: it spells one (``"skipped"``), or
    writes a report's outcome whatever the value (``rep.outcome = "ski" + "pped"``), or forces
    a hookwrapper's result."""
    for sub in walk_nodes(node):
        text = literal_str(sub)
        if text is not None and any(w in text.lower() for w in OUTCOME_WORDS):
            return True
        if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) and _outcome(sub):
            return True
        if isinstance(sub, ast.Call) and getattr(sub.func, "attr", "") in FORCERS:
            return True
    return False


def _generated(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    names = []
    for sub in walk_nodes(node):
        if not isinstance(sub, ast.Call) or not sub.args:
            continue
        if isinstance(sub.func, ast.Attribute) and sub.func.attr == "parametrize":
            text = literal_str(sub.args[0])
            names += [n.strip() for n in (text or "").split(",") if n.strip()]
    return names or ["*"]
