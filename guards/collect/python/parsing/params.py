"""Parametrize ids computed statically, exactly as pytest's IdMaker makes them.

When an id cannot be computed from the source (a value that is a call, an imported object,
an ``ids=`` callable), the parametrization is marked unknown and its tests are keyed by the
function: the caller says so instead of guessing.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Mapping, Sequence

from guards.collect.python.parsing.constants import Folder
from guards.collect.python.parsing.facts import MarkUse, Params
from guards.collect.python.parsing.id_values import (
    Members,
    Unknown,
    ascii_escaped,
    auto_id,
    idval,
    no_members,
    unique,
)


class IdContext:
    """What a value can be looked up in: module constants and locally defined names."""

    def __init__(
        self,
        consts: Mapping[str, ast.expr],
        defined: Callable[[str], bool],
        is_param: Callable[[ast.expr], bool],
        long_strategy: str = "short",
        resolve: Callable[[ast.expr], str | None] = lambda node: None,
        members: Members = no_members,
    ) -> None:
        self.consts, self.defined, self.is_param = consts, defined, is_param
        self.members = members
        self.long_strategy = long_strategy
        # Not self.value: a bound method would make a cycle that holds CONSTS (and the tree
        # settled.py reads) past the analysis, for the cyclic collector (test_analysis_garbage).
        self.folder = Folder(functools.partial(followed, consts), resolve)

    def value(self, node: ast.expr) -> ast.expr:
        """Follow a module-level name to the literal it is bound to."""
        return followed(self.consts, node)


def followed(consts: Mapping[str, ast.expr], node: ast.expr) -> ast.expr:
    """NODE, a module-level name followed to the literal CONSTS binds it to (8 steps at most)."""
    seen = 0
    while isinstance(node, ast.Name) and node.id in consts and seen < 8:
        node, seen = consts[node.id], seen + 1
    return node


def parse_parametrize(
    call: ast.Call, ctx: IdContext, case_marks: Callable[[ast.expr], tuple[MarkUse, ...]]
) -> Params:
    """The Params of one ``@pytest.mark.parametrize(...)`` call."""
    try:
        names, force_tuple = _argnames(call, ctx)
    except Unknown as exc:
        return Params((), None, why_unknown=str(exc))
    try:
        cases = _cases(call, ctx, names, force_tuple)
    except Unknown as exc:
        return Params(names, None, why_unknown=str(exc))
    marks = tuple(case_marks(c[2]) if c[2] is not None else () for c in cases)
    try:
        ids = make_ids(names, cases, _explicit_ids(call, ctx), ctx)
    except Unknown as exc:
        return Params(names, None, marks, str(exc))
    return Params(names, tuple(ids), marks)


def _kw(call: ast.Call, name: str, pos: int | None = None) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if pos is not None and len(call.args) > pos:
        return call.args[pos]
    return None


def _argnames(call: ast.Call, ctx: IdContext) -> tuple[tuple[str, ...], bool]:
    node = _kw(call, "argnames", 0)
    node = ctx.value(node) if node is not None else None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        names = tuple(x.strip() for x in node.value.split(",") if x.strip())
        return names, len(names) == 1 and not node.value.rstrip().endswith(",")
    if isinstance(node, (ast.List, ast.Tuple)):
        values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        strings = [v for v in values if isinstance(v, str)]
        if len(strings) == len(node.elts):
            return tuple(strings), False
    raise Unknown("argument names are not literal")


Case = tuple[tuple[ast.expr, ...], "str | None", "ast.expr | None"]


def _cases(call: ast.Call, ctx: IdContext, names: tuple[str, ...], force_tuple: bool) -> list[Case]:
    node = _kw(call, "argvalues", 1)
    node = ctx.value(node) if node is not None else None
    if not isinstance(node, (ast.List, ast.Tuple)):
        raise Unknown("argument values are not a literal list")
    return [_case(ctx.value(e), ctx, names, force_tuple) for e in node.elts]


def _case(node: ast.expr, ctx: IdContext, names: tuple[str, ...], force_tuple: bool) -> Case:
    if isinstance(node, ast.Starred):
        raise Unknown("argument values are unpacked with *")
    if isinstance(node, ast.Call) and ctx.is_param(node.func):
        ident = _kw(node, "id")
        if ident is not None and not _is_none(ident):
            ident = ctx.value(ident)
            if not (isinstance(ident, ast.Constant) and isinstance(ident.value, str)):
                raise Unknown("pytest.param(id=...) is not a literal")
        text = ascii_escaped(str(ident.value)) if isinstance(ident, ast.Constant) else None
        return tuple(node.args), text, _kw(node, "marks")
    if force_tuple:
        return (node,), None, None
    if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == len(names):
        return tuple(node.elts), None, None
    raise Unknown("a parameter set is not a literal tuple")


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _explicit_ids(call: ast.Call, ctx: IdContext) -> list[ast.expr] | None:
    node = _kw(call, "ids")
    if node is None or _is_none(node):
        return None
    node = ctx.value(node)
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    raise Unknown("ids= is not a literal list")


def make_ids(
    names: Sequence[str], cases: list[Case], ids: list[ast.expr] | None, ctx: IdContext
) -> list[str]:
    if not cases:
        return ["NOTSET"]
    resolved = [_case_id(i, c, names, ids, ctx) for i, c in enumerate(cases)]
    return unique(resolved)


def _case_id(
    idx: int, case: Case, names: Sequence[str], ids: list[ast.expr] | None, ctx: IdContext
) -> str:
    if case[1] is not None:
        return case[1]
    if ids is not None and idx < len(ids) and not _is_none(ids[idx]):
        value = idval(ctx.value(ids[idx]), ctx.defined, ctx.folder, ctx.members)
        if value is None:
            raise Unknown("an ids= entry is not a literal")
        return value
    if len(case[0]) != len(names):
        raise Unknown("a parameter set has the wrong number of values")
    return "-".join(
        auto_id(ctx.value(v), name, idx, ctx.defined, ctx.long_strategy, ctx.folder, ctx.members)
        for v, name in zip(case[0], names, strict=True)
    )
