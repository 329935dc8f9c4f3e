"""A test API used as a value instead of called where the walker reads it: Undecidable.

``(0, test.skip)('x', fn)`` reads as a call (the last item of a comma expression is its value),
but ``test.skip.call(null, 'x', fn)``, ``Reflect.apply(test.skip, null, [...])``,
``[test.skip][0]('x', fn)``, ``({ s: test.skip }).s('x', fn)`` and ``const itIf = (c) => (c ?
it : it.skip)`` each declare a test, skipped or not, through no call the walker reads. Read as
nothing, a pull request that moved a test into one made it vanish (a removed test: a warning)
while the runner skipped it.

Contract: ``check(root, bindings, path)`` raises Undecidable at the first use of a test API (a
name calls.Bindings resolves: ``it``, an alias, ``vi.test`` of a namespace) that ends anywhere
but: the callee of a call (walk.py reads it, or says why it cannot), the value a declaration or
an assignment to a name binds (aliases.py reads it), a statement of its own, an operand of
``typeof``/``void``/``!``, or a property of the API that is no modifier (``test.name``). On the
way up, modifiers (``.skip``, ``.each(table)``), parentheses, casts, the last item of a comma
expression and the branches of ``?:``, ``&&``, ``||`` and ``??`` are the same use.

The traps: a use is followed up to where it ends, not judged where the name stands (``it`` in
``[it.skip][0]`` stands in a member access, which stands in an array). And Bindings knows names
file-wide, not by scope: a name a function's parameter, a loop's variable or a nested
declaration binds to something else (``cases.forEach((test) => check(test))``) is no test API
there, and is not checked.
"""

from __future__ import annotations

from functools import cache

import tree_sitter

from guards.collect.js.calls import HOOKS, SUITES, TESTS, Bindings, Chain
from guards.collect.js.syntax import WRAPPERS, Node, grammar, language, line, text, unwrap
from guards.collect.model import Undecidable

INVOKERS = frozenset({"call", "apply", "bind"})  # a function's own ways to be called
HARMLESS = frozenset({"expression_statement", "unary_expression", "type_query"})
LOGICAL = frozenset({"&&", "||", "??"})
WHY = "is a test API used as a value, not called: which tests it declares only running shows"
FUNCTIONS = frozenset(
    {"function_declaration", "function_expression", "function", "arrow_function",
     "generator_function", "generator_function_declaration", "method_definition"}
)  # fmt: skip # -- packed
BINDING_NAMES = ("identifier", "shorthand_property_identifier_pattern")
DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration"})
BINDERS = frozenset(
    {"import_specifier", "import_clause", "namespace_import", "export_specifier",
     "formal_parameters", "pair_pattern", "object_pattern", "array_pattern", "rest_pattern",
     "assignment_pattern", "required_parameter", "optional_parameter", "catch_clause"}
)  # fmt: skip # -- packed: where a name is bound, not used


def check(root: Node, bindings: Bindings, path: str) -> None:
    names = tuple(sorted(TESTS | SUITES | HOOKS | bindings.names.keys()))
    for name in _named(root, path, names):
        start = _outer(name, bindings)
        chain = _resolved(start, bindings)
        if chain is None or _declared(name):
            continue
        used, where = _end(start, chain, bindings)
        if not _ends_well(used, where) and not _shadowed(name, bindings):  # most uses are calls
            raise Undecidable(path, line(name), f"`{text(used)[:60]}` {WHY}")


def _named(root: Node, path: str, names: tuple[str, ...]) -> list[Node]:
    cursor = tree_sitter.QueryCursor(_query(grammar(path), names))
    return cursor.captures(root).get("name", [])


@cache
def _query(kind: str, names: tuple[str, ...]) -> tree_sitter.Query:
    quoted = " ".join('"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"' for n in names)
    pattern = f"([(identifier) (shorthand_property_identifier)] @name (#any-of? @name {quoted}))"
    query: tree_sitter.Query = tree_sitter.Query(language(kind), pattern)
    return query


def _outer(name: Node, bindings: Bindings) -> Node:
    """NAME, or the member access of which it is the object when it names a namespace
    (``vi`` of ``vi.test``: the API is the access)."""
    parent = name.parent
    namespace = text(name) in bindings.names and _resolved(name, bindings) is None
    if namespace and parent is not None and parent.type == "member_expression":
        return parent
    return name


def _end(node: Node, chain: Chain | None, bindings: Bindings) -> tuple[Node, Node | None]:
    """(the outermost node that is still this use, its parent)."""
    while (parent := node.parent) is not None:
        up = _same_use(node, parent, chain, bindings)
        if up is None:
            return node, parent
        node, chain = parent, up
    return node, None


def _same_use(node: Node, parent: Node, chain: Chain | None, bindings: Bindings) -> Chain | None:
    """The chain PARENT still is when NODE (CHAIN) is part of it, else None: the use ends."""
    kind = parent.type
    if kind in WRAPPERS or (kind == "ternary_expression" and node != _field(parent, "condition")):
        return chain
    if kind == "sequence_expression" and node == parent.named_children[-1]:
        return chain
    if kind == "binary_expression" and _operator(parent) in LOGICAL:
        return chain
    if kind in ("member_expression", "subscript_expression") and node == _field(parent, "object"):
        return None if _property(parent) in INVOKERS else _resolved(parent, bindings)
    if kind == "call_expression" and node == _field(parent, "function") and chain is not None:
        return _resolved(parent, bindings) if chain.pending else None  # it.each(table)(...)
    return None


def _ends_well(node: Node, parent: Node | None) -> bool:
    if parent is None or parent.type in HARMLESS:
        return True
    kind = parent.type
    if kind in ("member_expression", "subscript_expression"):
        return _property(parent) not in INVOKERS  # another property of the API: not the API
    if kind == "call_expression":
        return node == _field(parent, "function")
    if kind == "variable_declarator":
        return node == _field(parent, "value")
    if kind == "assignment_expression":
        target = _field(parent, "left")
        return target is not None and target.type == "identifier"
    return False


def _declared(name: Node) -> bool:
    """Whether NAME stands where a name is bound, not used (an import, a declaration, a
    parameter, a destructuring pattern, an export's name)."""
    parent = name.parent
    if parent is None:
        return False
    if parent.type in ("variable_declarator", "function_declaration", "class_declaration"):
        return name == _field(parent, "name")
    return parent.type in BINDERS or (
        parent.type in FUNCTIONS and name == _field(parent, "parameter")
    )


def _shadowed(name: Node, bindings: Bindings) -> bool:
    """Whether an enclosing function, loop, catch or block binds NAME's text to something else."""
    word, scope = text(name), name.parent
    while scope is not None and not _binds(scope, word, bindings):
        scope = scope.parent
    return scope is not None


def _binds(scope: Node, word: str, bindings: Bindings) -> bool:
    kind = scope.type
    if kind in FUNCTIONS:
        return _names(_field(scope, "parameters") or _field(scope, "parameter"), word)
    if kind in ("for_in_statement", "catch_clause"):
        return _names(_field(scope, "left") or _field(scope, "parameter"), word)
    if kind == "statement_block" or (kind == "program" and word not in bindings.names):
        return any(_local(s, word, bindings) for s in scope.named_children)
    return False


def _local(statement: Node, word: str, bindings: Bindings) -> bool:
    """Whether STATEMENT declares WORD as anything but a test API (a function of that name,
    babel's ``function test(...)``, or a variable bound to another value)."""
    if statement.type in ("function_declaration", "class_declaration"):
        return _names(_field(statement, "name"), word)
    if statement.type not in DECLARATIONS:
        return False
    for declarator in statement.named_children:
        if declarator.type == "variable_declarator" and _names(_field(declarator, "name"), word):
            value = _field(declarator, "value")
            return value is None or _resolved(value, bindings) is None
    return False


def _names(node: Node | None, word: str) -> bool:
    """Whether the pattern NODE binds WORD (a default value or a key binds nothing)."""
    if node is None:
        return False
    kind = node.type
    if kind in BINDING_NAMES:
        return text(node) == word
    inner = {
        "assignment_pattern": "left", "object_assignment_pattern": "left",
        "pair_pattern": "value", "required_parameter": "pattern", "optional_parameter": "pattern",
    }.get(kind)  # fmt: skip # -- packed
    if inner is not None:
        return _names(_field(node, inner), word)
    if kind in ("formal_parameters", "object_pattern", "array_pattern", "rest_pattern"):
        return any(_names(child, word) for child in node.named_children)
    return False


def _resolved(node: Node, bindings: Bindings) -> Chain | None:
    try:
        if node.type == "shorthand_property_identifier":  # ``{ it }``: the name, as a value
            return bindings.named(text(node))
        return bindings.resolve(node)
    except Undecidable:
        return None  # walk.py meets it where it is called, and says why


def _property(node: Node) -> str:
    prop = _field(node, "property") or _field(node, "index")
    return text(unwrap(prop)).strip("'\"`") if prop is not None else ""


def _operator(node: Node) -> str:
    op = _field(node, "operator")
    return text(op) if op is not None else ""


def _field(node: Node, name: str) -> Node | None:
    return node.child_by_field_name(name)
