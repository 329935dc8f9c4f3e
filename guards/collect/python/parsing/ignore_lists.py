"""The value of a computed ``collect_ignore`` / ``collect_ignore_glob``, evaluated statically.

Followed: list literals, ``+`` / ``+=``, ``.append/.insert/.extend/.add/.update``, string
concatenation, ``os.path.join`` / ``Path`` / ``/``, f-strings, ``str(i)``, loops over a literal
``range`` or list (unrolled, bounded), ``if`` / ``try`` / ``with`` blocks, and calls to
functions of the same module or (through ``calls``, resolved by the collector) of a
repository module that build and return a list. A list another module binds (``from
tools.lists import IGNORED``) is a ``calls`` entry too, marked VALUE: never known (any module
importing it may change it), the collector learns which module it is, so that a change to that
module is seen to move the list (sources/computed_ignores.py).

Conditions are not decided (``sys.platform``, ``sys.version_info``, ``import_module(...) is
None`` alike): an entry added on ANY branch counts as ignored, as a ``skipif`` with any
condition counts as a skip. The trap: an entry whose value is not known must not be dropped.
It becomes a ``Gap`` holding the literal prefix it is known to start with (``"ruletest" +
str(n)`` -> ``ruletest``); the tests under that prefix are undecidable, the rest of the tree
is not. ``.remove()`` and anything else that can shrink the list are gaps too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from guards.collect.python.parsing.facts import IgnoreGap, IgnoreList
from guards.collect.python.parsing.symbols import Env, literal_str
from guards.collect.python.parsing.walk import nodes as walk_nodes
from guards.core.records import record

MAX_STEPS = 20_000  # statements executed while unrolling loops and following calls
MAX_CALL_DEPTH = 4
VALUE = "value:"  # a ``calls`` entry that names a list another module binds, not a function
ADDERS = ("append", "insert", "add")
EXTENDERS = ("extend", "update")
JOINERS = ("os.path.join", "posixpath.join", "pathlib.Path", "pathlib.PurePath", "Path")
COPIERS = ("list", "sorted", "tuple", "set")
# The stated target for platform tests: POSIX (Linux), where CI runs; on it these are identities.
TARGET = {"sys.platform": "linux", "os.name": "posix"}
IDENTITIES = ("os.path.normcase", "os.path.normpath", "posixpath.normpath", "os.fspath")


@record
class Gap:
    """An entry whose value is known only to start with PREFIX (``""``: nothing known)."""

    prefix: str
    line: int
    what: str


@dataclass
class Listed:
    """What a list may hold: known entries, gaps, and calls to resolve in another module."""

    paths: list[str] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    calls: list[tuple[str, int]] = field(default_factory=list)

    def merge(self, other: Listed) -> Listed:
        return Listed(
            [*self.paths, *(p for p in other.paths if p not in self.paths)],
            [*self.gaps, *(g for g in other.gaps if g not in self.gaps)],
            [*self.calls, *(c for c in other.calls if c not in self.calls)],
        )


@record
class Prefix:
    """A string known only to start with TEXT."""

    text: str


Text = str | Prefix
State = dict[str, object]  # name -> Listed | str | int | Prefix


class TooMuch(Exception):
    """The evaluation budget ran out."""


class ListEval:
    """Runs statements abstractly; FUNCS are the module's functions, ENV resolves imports."""

    def __init__(self, env: Env, funcs: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]) -> None:
        self.env, self.funcs = env, funcs
        self.steps = 0
        self.depth = 0

    def module(self, stmts: list[ast.stmt], names: tuple[str, ...]) -> dict[str, Listed | None]:
        """The value of each of NAMES after STMTS (None: never assigned)."""
        state: State = {}
        try:
            self.block(stmts, state)
        except TooMuch:
            return {
                n: _unknown(stmts[0].lineno if stmts else 0, "too much to follow") for n in names
            }
        return {n: _as_list(state.get(n)) for n in names}

    def function(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef, args: tuple[object, ...] = ()
    ) -> Listed:
        """What FUNC returns (a list it builds) given positional ARGS, every return merged."""
        params = [a.arg for a in func.args.args]
        if self.depth >= MAX_CALL_DEPTH or len(params) != len(args):
            return _unknown(func.lineno, f"{func.name}() is not followed")
        state: State = {"<return>": Listed(), **dict(zip(params, args, strict=True))}
        self.depth += 1
        try:
            self.block(func.body, state)
        finally:
            self.depth -= 1
        out = state["<return>"]
        return out if isinstance(out, Listed) else _unknown(func.lineno, f"{func.name}()")

    def block(self, stmts: list[ast.stmt], state: State) -> None:
        for stmt in stmts:
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise TooMuch
            self.stmt(stmt, state)

    def stmt(self, stmt: ast.stmt, state: State) -> None:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                self.assign(target, stmt.value, state)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            self.assign(stmt.target, stmt.value, state)
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            self.augment(stmt, stmt.target.id, state)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            self.method(stmt.value, state)
        elif isinstance(stmt, (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.While)):
            self.branches(stmt, state)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            self.loop(stmt, state)
        elif isinstance(stmt, ast.Return) and stmt.value is not None and "<return>" in state:
            before = state["<return>"]
            base = before if isinstance(before, Listed) else Listed()
            state["<return>"] = base.merge(self.listed(stmt.value, state))
        else:
            self.other(stmt, state)

    def assign(self, target: ast.expr, value: ast.expr, state: State) -> None:
        if isinstance(target, ast.Name):
            state[target.id] = self.value(value, state)
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
            for sub_target, sub_value in zip(target.elts, value.elts, strict=False):
                self.assign(sub_target, sub_value, state)
        else:
            self.other_target(target, state)

    def value(self, node: ast.expr, state: State) -> object:
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)):
            return node.value
        if _listish(node, state):
            return self.listed(node, state)
        number = self.number(node, state)
        if number is not None:
            return number
        text = self.text(node, state)
        if isinstance(text, str) or text.text:
            return text
        if isinstance(node, ast.Call) or self.imported(node) is not None:
            return self.listed(node, state)
        return _unknown(node.lineno, f"{ast.unparse(node)[:60]} is not followed")

    def imported(self, node: ast.expr) -> str | None:
        """The import path of what NODE names in another module (``IGNORED`` bound by ``from
        tools.lists import IGNORED``, ``lists.IGNORED``), else None."""
        if not isinstance(node, (ast.Name, ast.Attribute)):
            return None
        sym = self.env.resolve(node)
        return sym if sym and "." in sym and ":" not in sym else None

    def number(self, node: ast.expr, state: State) -> int | None:
        """A small integer expression (``num + 1``), or None."""
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.Name):
            known = state.get(node.id)
            return known if type(known) is int else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            left, right = self.number(node.left, state), self.number(node.right, state)
            if left is None or right is None:
                return None
            out = left + right if isinstance(node.op, ast.Add) else left - right
            return out if abs(out) < 10**6 else None
        return None

    def augment(self, stmt: ast.AugAssign, name: str, state: State) -> None:
        current = state.get(name)
        if isinstance(current, Listed) and isinstance(stmt.op, ast.Add):
            state[name] = current.merge(self.listed(stmt.value, state))
        elif isinstance(current, Listed):
            state[name] = current.merge(
                _unknown(stmt.lineno, f"{name} is changed by {ast.unparse(stmt)[:60]}")
            )
        else:
            state[name] = self.text(ast.BinOp(stmt.target, stmt.op, stmt.value), state)

    def method(self, call: ast.Call, state: State) -> None:
        func = call.func
        owner = func.value if isinstance(func, ast.Attribute) else None
        name = owner.id if isinstance(owner, ast.Name) else ""
        current = state.get(name)
        if not isinstance(current, Listed) or not isinstance(func, ast.Attribute):
            self.other(ast.Expr(call, lineno=call.lineno), state)
            return
        if func.attr in ADDERS and call.args:
            state[name] = current.merge(self.listed(ast.List([call.args[-1]]), state))
        elif func.attr in EXTENDERS and call.args:
            state[name] = current.merge(self.listed(call.args[0], state))
        else:
            what = f"{name}.{func.attr}(...) at line {call.lineno} is not followed"
            shrunk = self.text(call.args[0], state) if call.args else Prefix("")
            state[name] = current.merge(_gap_of(shrunk, call.lineno, what))

    def branches(self, stmt: ast.stmt, state: State) -> None:
        decided = on_target(stmt.test, self.env) if isinstance(stmt, ast.If) else None
        if isinstance(stmt, ast.If) and decided is not None:
            self.block(stmt.body if decided else stmt.orelse, state)
            return
        blocks = [getattr(stmt, n, []) for n in ("body", "orelse")]
        blocks += [h.body for h in getattr(stmt, "handlers", [])]
        final = getattr(stmt, "finalbody", [])
        results = []
        for block in blocks:
            copy = dict(state)
            if isinstance(stmt, ast.While):
                _forget_assigned(block, copy)
            self.block(block, copy)
            results.append(copy)
        _join(state, results)
        self.block(final, state)

    def loop(self, stmt: ast.For | ast.AsyncFor, state: State) -> None:
        values = self.iteration(stmt.iter, state)
        if values is None or not isinstance(stmt.target, ast.Name):
            copy = dict(state)
            _forget_assigned(stmt.body, copy)
            for name in _names(stmt.target):
                copy[name] = Prefix("")
            self.block(stmt.body, copy)
            _join(state, [state.copy(), copy])
        else:
            for value in values:
                state[stmt.target.id] = value
                self.block(stmt.body, state)
        self.block(stmt.orelse, state)

    def iteration(self, node: ast.expr, state: State) -> list[object] | None:
        if isinstance(node, ast.Call) and _called(node, "range") and 1 <= len(node.args) <= 2:
            bounds = [self.value(a, state) for a in node.args]
            if all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
                lo, hi = (0, bounds[0]) if len(bounds) == 1 else bounds
                if isinstance(lo, int) and isinstance(hi, int) and hi - lo <= 1000:
                    return list(range(lo, hi))
        known = state.get(node.id) if isinstance(node, ast.Name) else None
        if isinstance(known, Listed) and not known.gaps and not known.calls:
            return list(known.paths)
        if isinstance(node, (ast.List, ast.Tuple)):
            values = [self.value(e, state) for e in node.elts]
            return values if all(isinstance(v, (str, int)) for v in values) else None
        return None

    def other(self, stmt: ast.stmt, state: State) -> None:
        """A statement not followed: any list it names may have changed."""
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            touched = _globals(stmt)
        else:
            touched = {n.id for n in walk_nodes(stmt) if isinstance(n, ast.Name)}
        for name in touched:
            current = state.get(name)
            if isinstance(current, Listed):
                what = f"{name} is used at line {stmt.lineno} in a way that is not followed"
                state[name] = current.merge(_unknown(stmt.lineno, what))

    def other_target(self, target: ast.expr, state: State) -> None:
        self.other(ast.Expr(target, lineno=getattr(target, "lineno", 0)), state)

    def listed(self, node: ast.expr, state: State) -> Listed:
        """What the list expression NODE may hold."""
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return self.elements(node.elts, state)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.listed(node.left, state).merge(self.listed(node.right, state))
        known = state.get(node.id) if isinstance(node, ast.Name) else None
        if isinstance(known, Listed):
            return known
        if isinstance(node, ast.Call):
            return self.call(node, state)
        if known is None and (sym := self.imported(node)) is not None:
            return Listed(calls=[(VALUE + sym, node.lineno)])
        return _unknown(node.lineno, f"{ast.unparse(node)[:60]} is not a list that can be followed")

    def elements(self, elts: list[ast.expr], state: State) -> Listed:
        out = Listed()
        for elt in elts:
            if isinstance(elt, ast.Starred):
                out = out.merge(self.listed(elt.value, state))
                continue
            text = self.text(elt, state)
            if isinstance(text, str):
                out = out.merge(Listed([text]))
            else:
                out = out.merge(_gap_of(text, elt.lineno, f"the entry {ast.unparse(elt)[:60]}"))
        return out

    def call(self, node: ast.Call, state: State) -> Listed:
        if isinstance(node.func, ast.Name) and node.func.id in COPIERS and len(node.args) == 1:
            return self.listed(node.args[0], state)
        if isinstance(node.func, ast.Name) and node.func.id in COPIERS and not node.args:
            return Listed()
        sym = self.env.resolve(node.func)
        plain = not node.keywords and not any(isinstance(a, ast.Starred) for a in node.args)
        if sym is not None and sym.startswith("local:") and sym[6:] in self.funcs and plain:
            args = tuple(self.value(a, state) for a in node.args)
            return self.function(self.funcs[sym[6:]], args)
        if sym is not None and not sym.startswith("local:") and not node.args and not node.keywords:
            return Listed(calls=[(sym, node.lineno)])
        return _unknown(node.lineno, f"{ast.unparse(node)[:60]} is not followed")

    def text(self, node: ast.expr, state: State) -> Text:
        """A string expression: its value, or the literal prefix it is known to start with."""
        literal = literal_str(node)
        if literal is not None:
            return literal
        if isinstance(node, ast.Name):
            known = state.get(node.id)
            return known if isinstance(known, (str, Prefix)) else Prefix("")
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)):
            sep = "/" if isinstance(node.op, ast.Div) else ""
            return _concat([self.text(node.left, state), self.text(node.right, state)], sep)
        if isinstance(node, ast.JoinedStr):
            return _concat([self._fstring_part(v, state) for v in node.values], "")
        if isinstance(node, ast.Call) and node.args and not node.keywords:
            return self._call_text(node, state)
        return Prefix("")

    def _fstring_part(self, node: ast.expr, state: State) -> Text:
        if (
            isinstance(node, ast.FormattedValue)
            and node.format_spec is None
            and node.conversion == -1
        ):
            return self._str_of(node.value, state)
        return self.text(node, state)

    def _call_text(self, node: ast.Call, state: State) -> Text:
        name = self.env.resolve(node.func) or ast.unparse(node.func)
        if _called(node, "str") and len(node.args) == 1:
            return self._str_of(node.args[0], state)
        if name in IDENTITIES and len(node.args) == 1:
            return self.text(node.args[0], state)
        split = _split_on_slash(node)
        if name in JOINERS and split is not None:
            return self.text(split, state)  # os.path.join(*p.split("/")) is p on POSIX
        if name in JOINERS or ast.unparse(node.func) in JOINERS:
            return _concat([self.text(a, state) for a in node.args], "/")
        return Prefix("")

    def _str_of(self, node: ast.expr, state: State) -> Text:
        value = state.get(node.id) if isinstance(node, ast.Name) else None
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return str(node.value)
        return self.text(node, state)


def on_target(test: ast.expr, env: Env) -> bool | None:
    """A test on the platform, decided for TARGET; None for anything else."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = on_target(test.operand, env)
        return None if inner is None else not inner
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        known = TARGET.get(env.resolve(test.left) or "")
        value = literal_str(test.comparators[0])
        equality = isinstance(test.ops[0], (ast.Eq, ast.NotEq))
        if known is not None and value is not None and equality:
            return (known == value) == isinstance(test.ops[0], ast.Eq)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.args:
        known = TARGET.get(env.resolve(test.func.value) or "")
        prefix = literal_str(test.args[0])
        if known is not None and prefix is not None and test.func.attr == "startswith":
            return known.startswith(prefix)
    return None


def _split_on_slash(node: ast.Call) -> ast.expr | None:
    """P in ``f(*P.split("/"))``."""
    if len(node.args) != 1 or not isinstance(node.args[0], ast.Starred):
        return None
    inner = node.args[0].value
    splits = isinstance(inner, ast.Call) and [literal_str(a) for a in inner.args] == ["/"]
    if splits and isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
        return inner.func.value if inner.func.attr == "split" else None
    return None


def frozen(listed: Listed | None) -> IgnoreList | None:
    """The picklable record of LISTED."""
    if listed is None:
        return None
    gaps = tuple(IgnoreGap(g.prefix, g.line, g.what) for g in listed.gaps)
    return IgnoreList(tuple(listed.paths), gaps, tuple(listed.calls))


def function_in(tree: ast.Module, path: str, name: str) -> IgnoreList:
    """What function NAME of module PATH (parsed as TREE) returns, as an ignore list."""
    env = Env(package_of(path))
    funcs: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            env.bind_import(stmt)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            funcs[stmt.name] = stmt
            env.names[stmt.name] = f"local:{stmt.name}"
    if name not in funcs:
        return IgnoreList(gaps=(IgnoreGap("", 0, f"{name} is not a function of {path}"),))
    evaluator = ListEval(env, funcs)
    try:
        listed = evaluator.function(funcs[name])
    except TooMuch:
        listed = _unknown(funcs[name].lineno, f"{name}() is too long to follow")
    return frozen(listed) or IgnoreList()


def package_of(path: str) -> str:
    return path.rsplit("/", 1)[0].replace("/", ".") if "/" in path else ""


def _concat(parts: list[Text], sep: str) -> Text:
    out = ""
    for i, part in enumerate(parts):
        glue = sep if i and out and not out.endswith("/") else ""
        if isinstance(part, Prefix):
            return Prefix(out + glue + part.text)
        out += glue + part
    return out


def _gap_of(text: Text, line: int, what: str) -> Listed:
    prefix = text.text if isinstance(text, Prefix) else text
    return Listed(gaps=[Gap(prefix, line, f"{what} is not known past {prefix!r}")])


def _unknown(line: int, what: str) -> Listed:
    return Listed(gaps=[Gap("", line, what)])


def _as_list(value: object) -> Listed | None:
    if value is None:
        return None
    return value if isinstance(value, Listed) else _unknown(0, "not a list")


def _listish(node: ast.expr, state: State) -> bool:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.ListComp)):
        return True
    if isinstance(node, ast.Name):
        return isinstance(state.get(node.id), Listed)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _listish(node.left, state) or _listish(node.right, state)
    return False


def _called(node: ast.Call, name: str) -> bool:
    return isinstance(node.func, ast.Name) and node.func.id == name


def _names(target: ast.expr) -> Iterator[str]:
    for node in walk_nodes(target):
        if isinstance(node, ast.Name):
            yield node.id


def _globals(node: ast.AST) -> set[str]:
    """Names a nested function or class can change at module level (global or mutation)."""
    out: set[str] = set()
    for sub in walk_nodes(node):
        if isinstance(sub, ast.Global):
            out.update(sub.names)
        elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name):
            out.add(sub.value.id)
    return out


def _forget_assigned(stmts: list[ast.stmt], state: State) -> None:
    """Scalars a loop body reassigns are unknown in it (a later iteration differs)."""
    for name in _stores(stmts):
        if not isinstance(state.get(name), Listed):
            state[name] = Prefix("")


def _stores(stmts: list[ast.stmt]) -> set[str]:
    names = (n for s in stmts for n in walk_nodes(s) if isinstance(n, ast.Name))
    return {n.id for n in names if isinstance(n.ctx, ast.Store)}


def _join(state: State, branches: list[State]) -> None:
    """After branches: a list holds what it holds on any branch; a differing scalar is unknown."""
    for name in {n for b in branches for n in b}:
        values = [b.get(name) for b in branches]
        lists = [v for v in values if isinstance(v, Listed)]
        if lists:
            merged = Listed()
            for value in lists:
                merged = merged.merge(value)
            state[name] = merged
        elif all(v == values[0] for v in values):
            state[name] = values[0]
        else:
            state[name] = Prefix("")
