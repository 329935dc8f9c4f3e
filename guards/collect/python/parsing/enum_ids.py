"""The id pytest gives a member of an Enum defined in the module: ``str(member)``, ``Color.RED``.

Only a plain ``enum.Enum`` subclass qualifies: one base (``Enum``), no decorator but
``enum.unique``, a body of docstring and ``NAME = <literal>`` lines with distinct values.

The trap: a mixin (``IntEnum``, ``StrEnum``, ``class C(str, Enum)``) takes pytest's ``int`` or
``str`` branch (and ``str()`` of an ``IntEnum`` changed in Python 3.11), a method can redefine
``__str__``, and two members with equal values make the second an alias named after the first:
all of these give no id here (the test is keyed by function), never a guessed one.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping

from guards.collect.python.parsing.symbols import Dynamic

Resolve = Callable[[ast.expr], "str | None"]
ENUM_BASES = frozenset({"enum.Enum"})
DECORATORS = frozenset({"enum.unique"})
MAX_MEMBERS = 256  # members compared pairwise for aliases


def enum_member_id(
    node: ast.expr,
    classes: Mapping[str, ast.ClassDef],
    rebound: Callable[[str], bool],
    resolve: Resolve,
) -> str | None:
    """``Color.RED`` for NODE when it names a member of a plain Enum CLASSES defines, else None."""
    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
        return None
    klass = classes.get(node.value.id)
    if klass is None or rebound(klass.name) or not _plain_enum(klass, resolve):
        return None
    members = _members(klass)
    return f"{klass.name}.{node.attr}" if members and node.attr in members else None


def _plain_enum(klass: ast.ClassDef, resolve: Resolve) -> bool:
    if (
        klass.keywords
        or len(klass.bases) != 1
        or _resolved(klass.bases[0], resolve) not in ENUM_BASES
    ):
        return False
    return all(_resolved(d, resolve) in DECORATORS for d in klass.decorator_list)


def _resolved(node: ast.expr, resolve: Resolve) -> str | None:
    try:
        return resolve(node)
    except Dynamic:
        return None


def _members(klass: ast.ClassDef) -> list[str] | None:
    """The member names, or None when the body holds anything but literal members."""
    names: list[str] = []
    values: list[object] = []
    for i, stmt in enumerate(klass.body):
        if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # the docstring
        if not (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and not stmt.targets[0].id.startswith("_")
            and isinstance(stmt.value, ast.Constant)
        ):
            return None
        names.append(stmt.targets[0].id)
        values.append(stmt.value.value)
    if len(values) > MAX_MEMBERS or not _no_equal(values) or len(set(names)) != len(names):
        return None
    return names


def _no_equal(values: list[object]) -> bool:
    """No two values compare equal (``1 == True == 1.0``: the later one would be an alias)."""
    return all(a != b for i, a in enumerate(values) for b in values[i + 1 :])
