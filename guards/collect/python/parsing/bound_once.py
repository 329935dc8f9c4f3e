"""The names a function binds exactly once, as a call in it reads them: ``src = b"def test():
pass"`` then ``compile(src, ...)``, ``co = compile("raise E()", "", "exec")`` then ``exec(co)``,
``lines = ["if 1:\\n", "    pass\\n"]`` then ``compile("".join(lines), ...)``. What an
exec/eval/compile of such a name runs is known (symbols.evaluated reads it as if spelled in
place); pytest's own tests compile and exec code so, and each was "code chosen at run time".

Contract: ``bound_once(func, nodes).at(call)`` maps each name CALL reads the one binding of to
that binding's value, where:

- FUNC binds the name exactly once (its parameters and its body's NODES, nested scopes included,
  counted by name_bindings.binds: a parameter of FUNC or of a nested function or lambda, a
  second assignment, ``+=``, ``del``, a ``for`` or ``with`` target, ``:=``, ``import``, ``def``,
  ``class``, ``except ... as``, a ``match`` capture, ``global``, ``nonlocal``), by one plain
  ``name = value``;
- CALL reads that binding: the assignment's scope is CALL's own, or a function enclosing it.
  A name that only a nested function binds is a global to the code around it, and a class
  body's names are not its methods' (``exec(src)`` beside ``def inner(): src = "x = 1"`` runs
  the module's ``src``);
- a list (it can change after it is bound) is its value only where nothing can have run
  between its binding and CALL's reading of it: the assignment is a statement of its scope's
  body, the statements after it up to CALL's are inert (a constant bound to a name, ``pass``),
  and CALL's statement reads the list first (``co = compile("".join(lines), ...)``: a name
  looked up, then the join). Any code in between (a call, an operator, an attribute) could
  reach the list without naming it (a frame's locals, ``gc``), so it is not read past one.

A function that reaches a namespace or a frame by itself (``locals()``, ``vars()``,
``sys._getframe()``, ``inspect.currentframe()``, ``f_locals``: a class body's ``locals()["code"]
= ...`` rebinds ``code``, as Python 3.13's ``f_locals`` does a function's) binds no name once.

The trap: a name is one variable across the whole function only when nothing else binds it,
and a binding is the one a read sees only from inside its scope: counting every binding form
and placing every node in its scope is what makes the one value the value where it is read.
Not followed: a helper the function calls that writes its caller's frame (Python 3.13's
``sys._getframe(1).f_locals``), as no call's effects on the caller are.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator, Sequence

from guards.collect.python.parsing.name_bindings import binds

FuncNode = ast.FunctionDef | ast.AsyncFunctionDef
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, *COMPREHENSIONS)
Place = tuple[ast.AST, int]  # a node's scope, and the index of the scope's statement holding it
NAMESPACES = frozenset({"locals", "vars"})  # builtins that hand out a scope's namespace
FRAMES = frozenset({"_getframe", "currentframe", "f_locals", "f_back", "PyFrame_LocalsToFast"})


class Bound:
    """The one binding of each name bound once in a function, and where every node sits."""

    def __init__(self, assigns: dict[str, ast.Assign], func: FuncNode) -> None:
        self.assigns = assigns
        self.where: dict[int, Place] = {}
        self.outer: dict[int, ast.AST] = {}  # a nested scope -> the scope it is in
        if assigns:
            self._place(func)

    def at(self, call: ast.Call) -> dict[str, ast.expr]:
        """Name -> its value, for each name bound once whose binding CALL reads (above)."""
        return {
            name: assign.value
            for name, assign in self.assigns.items()
            if self._reads(call, name, assign)
        }

    def _reads(self, call: ast.Call, name: str, assign: ast.Assign) -> bool:
        if id(call) not in self.where:
            return False
        scope, _ = self.where[id(assign)]
        if not self._sees(self.where[id(call)][0], scope):
            return False
        return type(assign.value) is not ast.List or self._settled(call, name, assign, scope)

    def _sees(self, reader: ast.AST, scope: ast.AST) -> bool:
        """Whether code in READER reads what SCOPE binds: the same scope, or a function
        enclosing it (a class body's names are no nested function's)."""
        if reader is scope:
            return True
        if isinstance(scope, ast.ClassDef):
            return False
        outer = self.outer.get(id(reader))
        while outer is not None and outer is not scope:
            outer = self.outer.get(id(outer))
        return outer is scope

    def _settled(self, call: ast.Call, name: str, assign: ast.Assign, scope: ast.AST) -> bool:
        """Whether the list ASSIGN binds to NAME is unchanged where CALL reads it."""
        body: list[ast.stmt] = getattr(scope, "body", [])
        (_, first), (in_scope, last) = self.where[id(assign)], self.where[id(call)]
        if in_scope is not scope or first >= last or body[first] is not assign:
            return False
        inert = all(_inert(stmt) for stmt in body[first + 1 : last])
        return inert and _reads_first(body[last], call, name)

    def _place(self, func: FuncNode) -> None:
        """Every node of FUNC's body with its scope and its scope's statement (WHERE)."""
        todo: list[tuple[ast.AST, ast.AST, int]] = [(s, func, k) for k, s in enumerate(func.body)]
        while todo:
            node, scope, index = todo.pop()
            self.where[id(node)] = (scope, index)
            if isinstance(node, SCOPES):
                self.outer[id(node)] = scope
                todo += [(child, scope, index) for child in _header(node)]
                todo += [(child, node, k) for k, child in enumerate(_inside(node))]
            else:
                todo += [(child, scope, index) for child in ast.iter_child_nodes(node)]


def bound_once(func: FuncNode, nodes: Sequence[ast.AST]) -> Bound:
    """The names bound once in FUNC (its parameters and its body's NODES) and nothing else."""
    args = func.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    count = Counter(a.arg for a in params if a is not None)
    for node in nodes:
        count.update(binds(node))
        if _reaches_namespace(node):
            return Bound({}, func)
    assigns = {
        node.targets[0].id: node
        for node in nodes
        if type(node) is ast.Assign
        and len(node.targets) == 1
        and type(node.targets[0]) is ast.Name
        and count[node.targets[0].id] == 1
    }
    return Bound(assigns, func)


def _reaches_namespace(node: ast.AST) -> bool:
    """Whether NODE names what hands out a namespace or a frame (NAMESPACES, FRAMES)."""
    if type(node) is ast.Name:
        return node.id in NAMESPACES or node.id in FRAMES
    return type(node) is ast.Attribute and node.attr in FRAMES


def _header(node: ast.AST) -> Iterator[ast.AST]:
    """What of a scope NODE runs in the scope around it: a function's decorators, defaults and
    annotations, a class's decorators and bases, a comprehension's first iterable."""
    if isinstance(node, COMPREHENSIONS):
        yield node.generators[0].iter
    elif isinstance(node, ast.Lambda):
        yield node.args
    elif isinstance(node, ast.ClassDef):
        yield from (*node.decorator_list, *node.bases, *node.keywords)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield from (*node.decorator_list, node.args)
        if node.returns is not None:
            yield node.returns


def _inside(node: ast.AST) -> list[ast.AST]:
    """What of a scope NODE runs in its own scope, a function's or class's statements in order."""
    if isinstance(node, COMPREHENSIONS):
        first = node.generators[0].iter
        return [c for c in ast.iter_child_nodes(node) if c is not first]
    if isinstance(node, ast.Lambda):
        return [node.body]
    return list(getattr(node, "body", ()))  # a function's or a class's statements


def _inert(stmt: ast.stmt) -> bool:
    """A statement that runs no code: ``pass``, a constant, a constant bound to names."""
    if isinstance(stmt, ast.Pass):
        return True
    if isinstance(stmt, ast.Expr):
        return isinstance(stmt.value, ast.Constant)
    return (
        isinstance(stmt, ast.Assign)
        and isinstance(stmt.value, ast.Constant)
        and all(isinstance(t, ast.Name) for t in stmt.targets)
    )


def _reads_first(stmt: ast.stmt, call: ast.Call, name: str) -> bool:
    """Whether STMT's first work is to look up names and join the list NAME for CALL: its value
    is CALL, or a call of a name whose first argument leads to CALL (``eval(compile(...))``),
    and CALL's first argument is ``"<constant>".join(name)``."""
    node = stmt.value if isinstance(stmt, (ast.Assign, ast.Expr, ast.Return)) else None
    if isinstance(stmt, ast.Assign) and not all(isinstance(t, ast.Name) for t in stmt.targets):
        return False
    while node is not call:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            return False
        node = node.args[0]
    return bool(call.args) and joined_name(call.args[0]) == name


def joined_name(node: ast.AST) -> str | None:
    """NAME of ``"<constant>".join(NAME)``, else None."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, (str, bytes))
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
    ):
        return None
    return node.args[0].id
