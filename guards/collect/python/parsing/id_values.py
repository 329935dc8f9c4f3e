"""Ids from values, as pytest's IdMaker derives them; Unknown where the source cannot say."""

from __future__ import annotations

import ast
import builtins
from collections import Counter, defaultdict
from collections.abc import Callable

from guards.collect.python.parsing.constants import NOTHING, Folder

Names = Callable[[str], bool]  # is this name a function or class defined in the module?
Members = Callable[[ast.expr], "str | None"]  # the id of an Enum member (enum_ids.py)


def no_members(node: ast.expr) -> str | None:
    return None


_ESCAPES = {i: f"\\x{i:02x}" for i in range(128) if i not in range(32, 127)}
_ESCAPES.update({ord("\t"): "\\t", ord("\r"): "\\r", ord("\n"): "\\n"})
NAMED = frozenset(n for n in dir(builtins) if callable(getattr(builtins, n)))


class Unknown(Exception):
    """An id that cannot be computed statically."""


def ascii_escaped(val: str | bytes) -> str:
    if isinstance(val, bytes):
        text = val.decode("ascii", "backslashreplace")
    else:
        text = val.encode("unicode_escape").decode("ascii")
    return text.translate(_ESCAPES)


def auto_id(
    node: ast.expr,
    argname: str,
    idx: int,
    names: Names,
    long_strategy: str,
    folder: Folder,
    members: Members = no_members,
) -> str:
    """An auto-generated id for one value (pytest's _idval for a value without an explicit id)."""
    literal = folder.fold(node)
    if isinstance(literal, (str, bytes)):
        if len(literal) > 100 and long_strategy != "legacy":
            if long_strategy == "short":
                return f"{argname}{idx}"
            raise Unknown(f"parametrize_long_str_id_strategy = {long_strategy}")
        return ascii_escaped(literal)
    value = idval(node, names, folder, members)
    return value if value is not None else f"{argname}{idx}"


def idval(
    node: ast.expr, names: Names, folder: Folder, members: Members = no_members
) -> str | None:
    """An id from a value (pytest's _idval_from_value); None when the type gives none."""
    literal = folder.fold(node)
    if isinstance(literal, (str, bytes)):
        return ascii_escaped(literal)
    if literal is None or isinstance(literal, (bool, int, float, complex)):
        return str(literal)
    if literal is not NOTHING:
        return None  # a tuple or list: pytest falls back to argname+index
    if isinstance(node, ast.Name) and (node.id in NAMED or names(node.id)):
        return node.id
    if isinstance(node, ast.Lambda):
        return "<lambda>"
    if (member := members(node)) is not None:
        return member  # str() of a member of an Enum the module defines (enum_ids.py)
    if isinstance(node, (ast.ListComp, ast.DictComp, ast.SetComp, ast.Dict, ast.Set)):
        return None  # a list, dict or set, whatever it holds: argname+index
    raise Unknown(f"the value {ast.unparse(node)[:40]!r} has no static id")


def unique(ids: list[str]) -> list[str]:
    """Suffix duplicate ids the way pytest does (``a0``, ``a1``; ``1_0`` after a digit)."""
    counts = Counter(ids)
    if len(counts) == len(ids):
        return ids
    suffixes: dict[str, int] = defaultdict(int)
    result = list(ids)
    for index, ident in enumerate(ids):
        if counts[ident] > 1:
            sep = "_" if ident and ident[-1].isdigit() else ""
            new = f"{ident}{sep}{suffixes[ident]}"
            while new in set(result):
                suffixes[ident] += 1
                new = f"{ident}{sep}{suffixes[ident]}"
            result[index] = new
            suffixes[ident] += 1
    return result
