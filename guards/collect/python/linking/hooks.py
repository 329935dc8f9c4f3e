"""Conftest hooks that skip: ``pytest_collection_modifyitems`` adding skip markers, and
``pytest_runtest_setup`` calling ``pytest.skip()``, read into rules with item conditions.

A function of the conftest the hook calls with the item (``_check(item)``) is read as if its
body stood in the hook, the item as its parameter (at most MAX_DEPTH calls deep; one it calls
again is read once): a skip there is the hook's. Not followed: a function not given the item
(black's ``skip_mark(names)``, returning the mark the hook adds), one given the whole list
(sympy's ``process_split(config, items)``), a helper of another module. A predicate a
condition calls with the item (a function of the module, or one the hook defines once, whose
body returns an expression: tox's ``is_integration(item)``) is read as that expression
(hook_conditions.py). A marker the hook adds that is no skip (``item.add_marker("slow")``)
is a rule of kind ADDS_MARK: another hook's condition on that mark sees it (select.py).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from guards.collect.python.linking.reorder import ORDERING_CALLS, Function, only_reorders
from guards.collect.python.parsing.facts import ADDS_MARK, HookRule
from guards.collect.python.parsing.hook_conditions import (
    ANY,
    UNCLEAR,
    Cond,
    CondReader,
    Unclear,
    mentions,
    predicate,
)
from guards.collect.python.parsing.hook_options import Flags
from guards.collect.python.parsing.symbols import Env, is_skippy
from guards.collect.python.parsing.walk import nodes as walk_nodes
from guards.collect.python.skip_forms import DECORATORS, RUNTIME

ITEM_HOOKS = {"pytest_runtest_setup", "pytest_runtest_call", "pytest_itemcollected"}
ITEMS_HOOK = "pytest_collection_modifyitems"
MAX_DEPTH = 4  # calls of the conftest's own functions followed from a hook
EXITS = (ast.Continue, ast.Return)
# Methods of a list that may remove what it holds (``__init__`` fills it anew).
REMOVERS = frozenset(
    {"remove", "pop", "clear", "__init__", "__delitem__", "__setitem__", "__imul__"}
)
Report = Callable[[int, str], None]


class HookReader:
    """Rules of one hook function; undecidable constructs go to REPORT."""

    def __init__(
        self,
        env: Env,
        literal_sets: Callable[[ast.expr], Cond | None],
        report: Report,
        flags: Flags | None = None,
        funcs: dict[str, Function] | None = None,
    ) -> None:
        self.env, self.literal_sets, self.report = env, literal_sets, report
        self.flags = flags or Flags({})
        self.funcs = funcs or {}  # the conftest's functions a hook may call (by name)
        self.calling: list[str] = []  # the functions being read, outermost first
        self.local: dict[str, str] = {}
        self.flag_locals: dict[str, Cond] = {}  # ``mode = config.getoption("--x")``
        self.rules: list[HookRule] = []
        self.func: Function | None = None
        self.nested: dict[str, Function] = {}  # the functions the hook defines, once each

    def read(self, func: Function) -> list[HookRule]:
        self.func, self.nested = func, _defined_once(func)
        if func.name in ITEM_HOOKS:
            names = [a.arg for a in func.args.args]
            self._block(func.body, [], "item" if "item" in names else names[0] if names else "")
        else:
            self._block(func.body, [], "")
        return self.rules

    def _block(self, stmts: list[ast.stmt], conds: list[Cond], var: str) -> None:
        conds = list(conds)
        for stmt in stmts:
            self._stmt(stmt, conds, var)
            if isinstance(stmt, ast.If) and _exits_early(stmt):
                flag = self._flag(stmt.test)  # a declared flag exits even outside the loop
                if var or flag:
                    conds.append(("not", flag or self._cond(stmt.test, var)))

    def _stmt(self, stmt: ast.stmt, conds: list[Cond], var: str) -> None:
        if isinstance(stmt, (ast.For, ast.AsyncFor)) and _iterates_items(stmt.iter):
            self._block(stmt.body, conds, _loop_var(stmt.target))
        elif isinstance(stmt, ast.If):
            self._if(stmt, conds, var)
        elif isinstance(stmt, (ast.With, ast.AsyncWith, ast.Try, ast.For, ast.While)):
            for block in _blocks(stmt):
                self._block(block, conds, var)
        elif isinstance(stmt, ast.Assign):
            self._assign(stmt, conds, var)
        else:
            self._action(stmt, conds, var)

    def _if(self, stmt: ast.If, conds: list[Cond], var: str) -> None:
        """An ``if``'s branches under its condition. A condition on the item that cannot be
        read is undecidable where a branch skips; where they only add markers that are no
        skip (tox's ``if item.module.__file__.startswith(root): item.add_marker(...)``) it
        stays in their rules as a part not read, decided where a hook skips on the marker
        (select.py)."""
        cond, unclear = self._read_cond(stmt.test, var)
        before = len(self.rules)
        self._block(stmt.body, [*conds, cond], var)
        self._block(stmt.orelse, [*conds, ("not", cond)], var)
        if unclear is not None and any(r.kind != ADDS_MARK for r in self.rules[before:]):
            self.report(unclear.line, _not_followed(str(unclear)))

    def _flag(self, node: ast.expr) -> Cond | None:
        return self.flags.leaf(node, self.flag_locals)

    def _read_cond(self, test: ast.expr, var: str) -> tuple[Cond, Unclear | None]:
        """TEST as a condition, or as a part not read and why (Unclear)."""
        if not var:
            return self._flag(test) or ANY, None
        try:
            return CondReader(var, self.literal_sets, self._flag, self._predicate).read(test), None
        except Unclear as exc:
            return (UNCLEAR, str(exc), exc.line), exc

    def _cond(self, test: ast.expr, var: str) -> Cond:
        """TEST as a condition; one that cannot be read is undecidable (and ANY)."""
        cond, unclear = self._read_cond(test, var)
        if unclear is None:
            return cond
        self.report(unclear.line, _not_followed(str(unclear)))
        return ANY

    def _predicate(self, callee: ast.expr) -> tuple[str, ast.expr] | None:
        """The predicate CALLEE names: one the hook defines, else one of the module."""
        if isinstance(callee, ast.Name) and callee.id in self.nested:
            return predicate(self.nested[callee.id])
        return predicate(self.funcs.get(self.env.resolve(callee, self.local) or ""))

    def _assign(self, stmt: ast.Assign, conds: list[Cond], var: str) -> None:
        target = stmt.targets[0] if len(stmt.targets) == 1 else None
        if isinstance(target, ast.Name) and (flag := self._flag(stmt.value)) is not None:
            self.flag_locals[target.id] = flag
            return
        if isinstance(target, ast.Name):
            sym = self.env.resolve(stmt.value, self.local)
            if sym is not None and is_skippy(sym):
                self.local[target.id] = sym
                return
        if isinstance(target, ast.Subscript) and mentions(target, "items"):
            if self.func is not None and only_reorders(self.func, stmt, self._module_names()):
                return
            self.report(stmt.lineno, "the hook rewrites the list of collected items")
            return
        self._action(stmt, conds, var)

    def _module_names(self) -> set[str]:
        """The names the hook's module binds; with a star import, any of ORDERING_CALLS."""
        return set(self.env.names) | (set(ORDERING_CALLS) if self.env.stars else set())

    def _action(self, stmt: ast.stmt, conds: list[Cond], var: str) -> None:
        if _deselects(stmt):
            self.report(stmt.lineno, "the hook removes or deselects collected items")
            return
        for call in (n for n in walk_nodes(stmt) if isinstance(n, ast.Call)):
            self._called(call, conds, var)
        for node in walk_nodes(stmt):
            if isinstance(node, (ast.Name, ast.Attribute, ast.Call)):  # Call: getattr(mark, x)
                sym = self.env.resolve(node, self.local)
                if is_skippy(sym) and sym is not None:
                    self._rule(stmt, sym, conds, var)
                    return
        name = self._mark_added(stmt, var) if var else None
        if name:
            self.rules.append(HookRule(ADDS_MARK, stmt.lineno, _conjoin(conds), name))

    def _mark_added(self, stmt: ast.stmt, var: str) -> str | None:
        """The name of the marker STMT adds to the item (a string marker reads as the mark it
        names: string_marks.py), when it is one ``add_marker``/``applymarker`` call."""
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not (isinstance(call, ast.Call) and _added_marker(stmt, var) and call.args):
            return None
        mark = (self.env.resolve(call.args[0], self.local) or "").removeprefix("call:")
        return mark.removeprefix("mark:").split(".")[0] if mark.startswith("mark:") else None

    def _called(self, call: ast.Call, conds: list[Cond], var: str) -> None:
        """A function of the conftest CALL calls, read as part of the hook: the item (VAR)
        where it is passed is the function's parameter at that place."""
        func = self.funcs.get(self.env.resolve(call.func, self.local) or "")
        if func is None or func.name in self.calling:
            return
        if len(self.calling) >= MAX_DEPTH:
            self.report(call.lineno, f"{func.name}() is called too deep to be followed")
            return
        params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
        given = [i for i, a in enumerate(call.args) if isinstance(a, ast.Name) and a.id == var]
        inner = params[given[0]] if var and given and given[0] < len(params) else ""
        if not inner:
            return  # not given the item: what it does to one is not this hook's to read
        self.calling.append(func.name)
        try:
            self._block(func.body, conds, inner)
        finally:
            self.calling.pop()

    def _rule(self, stmt: ast.stmt, sym: str, conds: list[Cond], var: str) -> None:
        if not var:
            self.report(stmt.lineno, f"{sym} is used outside a loop over the items")
            return
        marker = _added_marker(stmt, var)
        kind = DECORATORS[sym] if marker and sym in DECORATORS else RUNTIME[sym]
        detail = (
            f"conftest hook adds pytest.mark.{sym[5:]}"
            if marker
            else f"conftest hook calls {sym}()"
        )
        self.rules.append(HookRule(kind, stmt.lineno, _conjoin(conds), detail))


def _not_followed(what: str) -> str:
    return f"a hook condition on the test item ({what}) is not followed"


def _defined_once(func: Function) -> dict[str, Function]:
    """The functions FUNC's body defines (at its top level) under a name it binds no other
    way and no second time."""
    bound: dict[str, int] = {}
    for node in walk_nodes(func):
        if node is not func and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bound[node.name] = bound.get(node.name, 0) + 1
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound[node.id] = bound.get(node.id, 0) + 1
    return {
        s.name: s
        for s in func.body
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and bound.get(s.name) == 1
    }


def _exits_early(stmt: ast.If) -> bool:
    return bool(stmt.body) and isinstance(stmt.body[-1], EXITS) and not stmt.orelse


def _conjoin(conds: list[Cond]) -> Cond:
    out: Cond = ANY if not conds else conds[0]
    for cond in conds[1:]:
        out = ("and", out, cond)
    return out


def _iterates_items(node: ast.expr) -> bool:
    return mentions(node, "items")


def _loop_var(target: ast.expr) -> str:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Tuple) and target.elts and isinstance(target.elts[-1], ast.Name):
        return target.elts[-1].id
    return ""


def _blocks(stmt: ast.stmt) -> Iterator[list[ast.stmt]]:
    for name in ("body", "orelse", "finalbody"):
        yield getattr(stmt, name, [])
    for handler in getattr(stmt, "handlers", []):
        yield handler.body


def _added_marker(stmt: ast.stmt, var: str) -> bool:
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
        return call.func.attr in ("add_marker", "applymarker") and mentions(call.func.value, var)
    return False


def _deselects(stmt: ast.stmt) -> bool:
    """Whether STMT may remove collected items: ``pytest_deselected``, ``del``, a method that
    removes called on the list (``items.remove(i)``, ``items.__init__(kept)``, unbound
    ``list.clear(items)``) or an augmented assignment to it but ``+=`` (``items *= 0``)."""
    for node in walk_nodes(stmt):
        if isinstance(node, ast.Attribute) and node.attr == "pytest_deselected":
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner, first = node.func.value, node.args[:1]
            if node.func.attr in REMOVERS and any(mentions(n, "items") for n in (owner, *first)):
                return True
    if isinstance(stmt, ast.AugAssign) and not isinstance(stmt.op, ast.Add):
        return mentions(stmt.target, "items")
    return isinstance(stmt, ast.Delete) and mentions(stmt, "items")
