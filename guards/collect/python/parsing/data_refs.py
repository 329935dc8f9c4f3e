"""Data files a conftest reads into a module-level name: ``SKIPS = json.load(open(...))``.

The path must be built from ``__file__``, ``os.path``/``pathlib`` joins and one literal file
name; anything computed (an environment variable, a glob) leaves the path unknown, and a
hook condition that uses the data is then undecidable.
"""

from __future__ import annotations

import ast
import posixpath
import re

from guards.collect.python.parsing.facts import DataRef
from guards.collect.python.parsing.symbols import literal_str
from guards.collect.python.parsing.walk import nodes as walk_nodes

READERS = {"open", "read_text", "read_bytes"}
PATH_FUNCS = {
    "os.path.join",
    "os.path.dirname",
    "os.path.abspath",
    "os.path.realpath",
    "Path",
    "pathlib.Path",
    "str",
    "os.fspath",
}
PATH_METHODS = {"joinpath", "resolve", "absolute"}
PATH_NAMES = {"__file__", "os", "Path", "pathlib"}
FILE_NAME = re.compile(r"[\w.-]*\w\.\w+|[\w./-]*/[\w./-]+")


def data_refs(path: str, stmt: ast.stmt) -> list[DataRef]:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else []
    if len(targets) != 1 or not isinstance(targets[0], ast.Name):
        return []
    assert isinstance(stmt, ast.Assign)
    where = _reader_path(stmt.value)
    if where is None:
        return []
    found = _static_path(where)
    if found is None:
        return [DataRef(targets[0].id, "", stmt.lineno)]
    literal, here = found
    base = posixpath.dirname(path) if here else ""
    return [DataRef(targets[0].id, posixpath.normpath(posixpath.join(base, literal)), stmt.lineno)]


def _reader_path(value: ast.expr) -> ast.expr | None:
    """The path expression of the file read in VALUE, if VALUE reads a file."""
    for sub in walk_nodes(value):
        if not isinstance(sub, ast.Call):
            continue
        func = sub.func
        if isinstance(func, ast.Name) and func.id == "open" and sub.args:
            return sub.args[0]
        if isinstance(func, ast.Attribute) and func.attr in READERS:
            return func.value
    return None


def _static_path(node: ast.expr) -> tuple[str, bool] | None:
    """The one literal file name of a static path expression; whether it is __file__-relative."""
    literals: list[str] = []
    for sub in walk_nodes(node):
        if not _allowed(sub):
            return None
        text = literal_str(sub)
        if text is not None:
            literals.append(text)
    files = [t for t in literals if FILE_NAME.fullmatch(t)]
    if len(files) != 1 or len(literals) != 1:
        return None
    here = any(isinstance(n, ast.Name) and n.id == "__file__" for n in walk_nodes(node))
    return files[0], here


def _allowed(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        name = ast.unparse(node.func)
        method = isinstance(node.func, ast.Attribute) and node.func.attr in PATH_METHODS
        return name in PATH_FUNCS or method
    if isinstance(node, ast.Name):
        return node.id in PATH_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr in {
            "path",
            "parent",
            "join",
            "dirname",
            "abspath",
            "realpath",
            "Path",
        } | PATH_METHODS | {"fspath"}
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, (ast.Div, ast.Add))
    return isinstance(node, (ast.Constant, ast.Load, ast.operator, ast.expr_context))
