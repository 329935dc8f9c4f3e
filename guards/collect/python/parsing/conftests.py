"""What a conftest.py declares for its directory: ignore lists, skipping hooks, data it reads."""

from __future__ import annotations

import ast
import posixpath
from typing import TYPE_CHECKING

from guards.collect.python.linking.hooks import ITEM_HOOKS, ITEMS_HOOK, HookReader
from guards.collect.python.parsing.bodies import import_time
from guards.collect.python.parsing.data_refs import data_refs
from guards.collect.python.parsing.facts import Conftest, DataRef, HookRule
from guards.collect.python.parsing.hook_conditions import DATA, Cond
from guards.collect.python.parsing.symbols import literal_str

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


def read_conftest(an: Analyzer, tree: ast.Module) -> Conftest:
    stmts = list(import_time(tree.body))
    ignores = {name: _ignore_list(an, stmts, name) for name in IGNORE_NAMES}
    data = tuple(d for s in stmts for d in data_refs(an.path, s))
    rules: list[HookRule] = []
    argnames: list[str] = []
    makes_ids = False
    for node in an.funcs.values():
        if node.name in ITEM_HOOKS or node.name == ITEMS_HOOK:
            reader = HookReader(an.env, lambda e: _literal_set(an, data, e), an.report)
            rules += reader.read(node)
        elif node.name in COLLECTION_HOOKS:
            an.report(node.lineno, f"hook {node.name} {COLLECTION_HOOKS[node.name]}")
        elif node.name in OUTCOME_HOOKS and _mentions_outcomes(node):
            an.report(node.lineno, f"hook {node.name} rewrites test outcomes")
        elif node.name == "pytest_generate_tests":
            argnames += _generated(node)
        makes_ids = makes_ids or node.name == "pytest_make_parametrize_id"
    return Conftest(
        collect_ignore=ignores["collect_ignore"],
        collect_ignore_glob=ignores["collect_ignore_glob"],
        hooks=tuple(rules),
        data=data,
        generate_argnames=tuple(argnames),
        makes_ids=makes_ids,
    )


def _ignore_list(an: Analyzer, stmts: list[ast.stmt], name: str) -> tuple[str, ...] | None:
    values: list[str] | None = None
    for stmt in stmts:
        found = _ignore_values(an, stmt, name)
        if found is not None:
            values = (values or []) + found
    return tuple(values) if values is not None else None


def _ignore_values(an: Analyzer, stmt: ast.stmt, name: str) -> list[str] | None:
    if not any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(stmt)):
        return None
    if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and stmt.value is not None:
        return _paths(an, stmt.value, name)
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
        if call.func.attr in ("append", "insert", "add"):
            return _paths(an, ast.List(elts=[call.args[-1]]), name) if call.args else []
        if call.func.attr == "extend" and call.args:
            return _paths(an, call.args[0], name)
    an.report(stmt.lineno, f"{name} is changed in a way that is not followed")
    return []


def _paths(an: Analyzer, node: ast.expr, name: str) -> list[str]:
    node = an.consts.get(node.id, node) if isinstance(node, ast.Name) else node
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        an.report(node.lineno, f"{name} is not a literal list")
        return []
    out = []
    for elt in node.elts:
        text = _path_text(elt)
        if text is None:
            an.report(elt.lineno, f"an entry of {name} ({ast.unparse(elt)[:40]}) is not literal")
        else:
            out.append(text)
    return out


def _path_text(node: ast.expr) -> str | None:
    text = literal_str(node)
    if text is not None:
        return text
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)):
        left, right = _path_text(node.left), _path_text(node.right)
        sep = "/" if isinstance(node.op, ast.Div) else ""
        return f"{left}{sep}{right}" if left is not None and right is not None else None
    if isinstance(node, ast.Call) and node.args and not node.keywords:
        parts = [_path_text(a) for a in node.args]
        name = ast.unparse(node.func)
        if all(p is not None for p in parts) and name in ("os.path.join", "Path", "str"):
            return posixpath.join(*[p for p in parts if p is not None])
    return None


def _literal_set(an: Analyzer, data: tuple[DataRef, ...], node: ast.expr) -> Cond | None:
    if isinstance(node, ast.Name):
        ref = next((d for d in data if d.name == node.id), None)
        if ref is not None:
            return (DATA, ref.name)
        node = an.consts.get(node.id, node)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        values = tuple(literal_str(e) for e in node.elts)
        if all(v is not None for v in values):
            return tuple(v for v in values if v is not None)
    return None


def _mentions_outcomes(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        text = literal_str(sub)
        if text is not None and any(w in text.lower() for w in OUTCOME_WORDS):
            return True
    return False


def _generated(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    names = []
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call) or not sub.args:
            continue
        if isinstance(sub.func, ast.Attribute) and sub.func.attr == "parametrize":
            text = literal_str(sub.args[0])
            names += [n.strip() for n in (text or "").split(",") if n.strip()]
    return names or ["*"]
