"""What one Go function body does to its test: skips, helper calls, subtests (pure).

A skip is any use of ``Skip``/``Skipf``/``SkipNow`` on a name of a testing type (``*testing.T``,
``*testing.B``, ``*testing.F``, ``testing.TB``, an interface with a Skip method) or on a name
assigned from one (``tb := t``), called or taken as a method value; whether it sits under
``if testing.Short()`` decides its kind. ``t.Run("name", func ...)`` opens a subtest whose body is
scanned on its own. The trap: closures other than a subtest's body (``defer func(){...}()``,
``f := func(){...}``) are part of the function, since they may run; a condition other than
``testing.Short()`` does not make a skip less of a skip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from guards.collect.go.syntax import arguments, line, string_value, text
from guards.collect.go.syntax import field as child
from guards.collect.treesitter import walk
from guards.core.records import record

SKIPS = frozenset({"Skip", "Skipf", "SkipNow"})
TESTING_TYPES = frozenset({"T", "B", "F", "TB"})


@record
class Hit:
    line: int
    short: bool
    what: str


@record
class Call:
    """A call that may reach a helper: ``f(...)``, ``pkg.F(...)`` or ``x.M(...)``."""

    name: str
    qualifier: str
    line: int
    short: bool


@record
class Subtest:
    name: str | None  # None: not a literal
    body: Node | None  # a func literal; None when the body is a named function
    func: str  # the named function's name when body is None
    line: int
    tnames: frozenset[str]


@dataclass
class Scan:
    hits: list[Hit] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    subtests: list[Subtest] = field(default_factory=list)


@record
class Imports:
    """How one file names the testing package (alias, or "." for a dot import)."""

    testing: frozenset[str]
    aliases: frozenset[str]  # every package name usable as a qualifier in the file
    own: frozenset[str] = frozenset()  # names of the directory's own package (from pkg_test)
    fields: frozenset[str] = frozenset()  # struct fields of a testing type in the package
    paths: tuple[tuple[str, str], ...] = ()  # (name in the file, import path) of each import


def testing_params(params: Node | None, imports: Imports) -> set[str]:
    """The names declared in PARAMS whose type is a testing type."""
    names: set[str] = set()
    if params is None:
        return names
    for decl in params.named_children:
        kind = child(decl, "type")
        if kind is not None and is_testing_type(kind, imports):
            names.update(text(n) for n in decl.children_by_field_name("name"))
    return names


def is_testing_type(node: Node, imports: Imports) -> bool:
    body = text(node).lstrip("*").strip()
    if "Skip" in body and node.type == "interface_type":
        return True
    qualifier, _, name = body.rpartition(".")
    if name not in TESTING_TYPES:
        return False
    return qualifier in imports.testing or (not qualifier and "." in imports.testing)


def scan_body(body: Node, tnames: set[str], imports: Imports, *, as_helper: bool = False) -> Scan:
    """The skips, calls and subtests of BODY, whose testing names are TNAMES."""
    names = _aliases(body, set(tnames), imports)
    result = Scan()
    _visit(body, names, imports, False, result, as_helper)
    return result


def _aliases(body: Node, names: set[str], imports: Imports) -> set[str]:
    pairs: list[tuple[str, str]] = []
    for node in walk(body):
        if node.type in {"func_literal", "function_declaration", "method_declaration"}:
            names |= testing_params(child(node, "parameters"), imports)
        if node.type in {"short_var_declaration", "assignment_statement", "var_spec"}:
            pairs.extend(_assigned(node, imports, names))
    changed = True
    while changed:
        before = len(names)
        names |= {left for left, right in pairs if right in names}
        changed = len(names) != before
    return names


def _assigned(node: Node, imports: Imports, names: set[str]) -> list[tuple[str, str]]:
    if node.type == "var_spec":
        kind = child(node, "type")
        if kind is not None and is_testing_type(kind, imports):
            names.update(text(n) for n in node.children_by_field_name("name"))
        lefts = [text(n) for n in node.children_by_field_name("name")]
        value = child(node, "value")
    else:
        left = child(node, "left")
        lefts = [text(n) for n in left.named_children] if left is not None else []
        value = child(node, "right")
    rights = [text(n) for n in value.named_children] if value is not None else []
    return [(a, b) for a, b in zip(lefts, rights, strict=False)]


def _visit(
    node: Node, names: set[str], imports: Imports, short: bool, out: Scan, helper: bool
) -> None:
    if node.type == "if_statement":
        _visit_if(node, names, imports, short, out, helper)
        return
    if node.type == "call_expression" and not helper and _subtest(node, names, imports, out):
        return
    if node.type == "call_expression":
        _record_call(node, imports, short, out)
    if node.type == "selector_expression":
        operand, name = child(node, "operand"), text(child(node, "field"))
        if name in SKIPS and operand is not None and _testing_value(operand, names, imports):
            out.hits.append(Hit(line(node), short, f"{text(operand)}.{name}()"))
    for sub in node.children:
        _visit(sub, names, imports, short, out, helper)


def _testing_value(operand: Node, names: set[str], imports: Imports) -> bool:
    if _testing_type(operand, imports):  # (*testing.T).Skip, testing.TB.Skip: a method value
        return True
    if operand.type == "identifier":
        return text(operand) in names
    if operand.type == "call_expression":  # s.T().Skip(), suite helpers
        return text(child(operand, "function")).rpartition(".")[2] in TESTING_TYPES
    if operand.type == "selector_expression":  # w.t.Skip(), t a field of a testing type
        return text(child(operand, "field")) in imports.fields
    if operand.type == "parenthesized_expression":
        return any(_testing_value(n, names, imports) for n in operand.named_children)
    return False


def _testing_type(operand: Node, imports: Imports) -> bool:
    """Whether OPERAND names a testing type (``(*testing.T)``, ``testing.TB``, ``T`` under a
    dot import): ``(*testing.T).Skip`` is the method, called later with its receiver."""
    name = "".join(text(operand).split()).strip("()").lstrip("*").strip("()")
    package, _, kind = name.rpartition(".")
    return kind in TESTING_TYPES and (
        package in imports.testing or (not package and "." in imports.testing)
    )


def _visit_if(
    node: Node, names: set[str], imports: Imports, short: bool, out: Scan, helper: bool
) -> None:
    condition = child(node, "condition")
    under = short or (condition is not None and _is_short(condition, imports))
    for sub in node.children:
        inside = under if sub == child(node, "consequence") else short
        _visit(sub, names, imports, inside, out, helper)


def _is_short(condition: Node, imports: Imports) -> bool:
    body = text(condition).replace(" ", "")
    return any(body == f"{q}.Short()" for q in imports.testing) or (
        "." in imports.testing and body == "Short()"
    )


def _subtest(node: Node, names: set[str], imports: Imports, out: Scan) -> bool:
    function = child(node, "function")
    if function is None or function.type != "selector_expression":
        return False
    operand = child(function, "operand")
    if text(child(function, "field")) != "Run" or operand is None:
        return False
    args = arguments(node)
    if not _testing_value(operand, names, imports) or len(args) != 2:
        return False
    body = args[1] if args[1].type == "func_literal" else None
    func = text(args[1]) if args[1].type == "identifier" else ""
    if body is None and not func:
        return False
    out.subtests.append(Subtest(string_value(args[0]), body, func, line(node), frozenset(names)))
    return True


def _record_call(node: Node, imports: Imports, short: bool, out: Scan) -> None:
    function = child(node, "function")
    if function is None:
        return
    if function.type == "identifier":
        out.calls.append(Call(text(function), "", line(node), short))
    elif function.type == "selector_expression":
        operand = child(function, "operand")
        qualifier = text(operand) if operand is not None and operand.type == "identifier" else "."
        out.calls.append(Call(text(child(function, "field")), qualifier, line(node), short))
