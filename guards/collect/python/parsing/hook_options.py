"""Command-line flags a conftest declares, as a hook condition reads them: their value on the run
that passes no flag (the one CI runs unless told otherwise), or what ``addopts`` sets.

urllib3's conftest declares ``--integration`` (``action="store_true"``, ``default=False``) and
its ``pytest_collection_modifyitems`` says ``elif integration_mode and "integration" not in
item.keywords: item.add_marker(skip)``: read as "unknown, so true", every test of urllib3 was
skipped and every new one born skipped. pytest's documented ``--runslow`` example reads the
same way: ``if config.getoption("--runslow"): return`` then skip what is marked slow.

Contract: ``declared(func)`` is the flags ``pytest_addoption`` FUNC declares with
``action="store_true"`` or ``"store_false"`` and a literal default (or none: ``False`` and
``True``), each under its spellings (``--integration`` and its dest, ``integration``).
``Flags.leaf(node, local)`` is the Cond leaf ``("option", spellings, default)`` for an
expression that reads one (``config.getoption("--x")``, ``item.config.getoption("x")``,
``config.option.x``, ``bool(...)`` of those, or a name the hook bound to one), else None;
hook_eval values it as the default, or its opposite when ``addopts`` passes the flag.

The trap: only a flag this conftest declares is read so; one a plugin or another conftest
declares, or one with a computed default, is still unknown (and counts as true).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import TypeGuard

from guards.collect.python.parsing.hook_conditions import Cond
from guards.collect.python.parsing.symbols import literal_str
from guards.collect.python.parsing.walk import nodes as walk_nodes

ACTIONS = {"store_true": False, "store_false": True}  # the default when none is given


class Flags:
    """The flags of one conftest, by every spelling."""

    def __init__(self, flags: Mapping[str, tuple[tuple[str, ...], bool]]) -> None:
        self.flags = flags

    def leaf(self, node: ast.expr, local: Mapping[str, Cond]) -> Cond | None:
        if isinstance(node, ast.Name):
            return local.get(node.id)
        if isinstance(node, ast.Call) and _named(node.func, "bool") and len(node.args) == 1:
            return self.leaf(node.args[0], local)
        name = _read_name(node)
        found = self.flags.get(name) if name else None
        return ("option", *found) if found else None


def declared(func: ast.FunctionDef | ast.AsyncFunctionDef | None) -> Flags:
    """The store_true / store_false flags FUNC (``pytest_addoption``) declares."""
    flags: dict[str, tuple[tuple[str, ...], bool]] = {}
    calls = [n for n in walk_nodes(func) if _adds_option(n)] if func is not None else []
    for found in filter(None, map(_flag, calls)):
        flags |= dict.fromkeys(found[0], found)
    return Flags(flags)


def _adds_option(node: ast.AST) -> TypeGuard[ast.Call]:
    """``<parser or group>.addoption(...)``."""
    func = node.func if isinstance(node, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr == "addoption"


def _flag(call: ast.Call) -> tuple[tuple[str, ...], bool] | None:
    """(spellings, default) of an ``addoption`` call declaring a flag, else None."""
    names = [literal_str(a) for a in call.args]
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    action = literal_str(keywords["action"]) if "action" in keywords else None
    if not names or None in names or action not in ACTIONS:
        return None
    default = ACTIONS[action]
    if "default" in keywords:
        value = keywords["default"]
        if not isinstance(value, ast.Constant) or not isinstance(value.value, (bool, type(None))):
            return None
        default = bool(value.value)
    spellings = [n for n in names if n]
    dest = literal_str(keywords["dest"]) if "dest" in keywords else _dest(spellings)
    return (*spellings, *([dest] if dest else [])), default


def _dest(names: list[str]) -> str:
    """argparse's dest: the first long name (else the first), without dashes, ``-`` as ``_``."""
    long = [n for n in names if n.startswith("--")] or names
    return long[0].lstrip("-").replace("-", "_") if long else ""


GETTERS = frozenset({"getoption", "getvalue"})  # Config's readers of an option by name


def _read_name(node: ast.expr) -> str:
    """The flag NODE reads: ``<config>.getoption("x")`` (or ``getvalue``, its older name, as
    sympy's conftest says) or ``<config>.option.x``."""
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(node, ast.Call) and isinstance(func, ast.Attribute) and node.args:
        reads = func.attr in GETTERS and _is_config(func.value)
        return (literal_str(node.args[0]) or "") if reads else ""
    owner = node.value if isinstance(node, ast.Attribute) else None
    if isinstance(node, ast.Attribute) and isinstance(owner, ast.Attribute):
        return node.attr if owner.attr == "option" and _is_config(owner.value) else ""
    return ""


def _is_config(node: ast.expr) -> bool:
    """``config``, or ``<anything>.config`` (``item.config``, ``request.config``)."""
    return _named(node, "config") or (isinstance(node, ast.Attribute) and node.attr == "config")


def _named(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name
