"""Java source -> classes, methods and annotations, read with tree-sitter (pure, no I/O).

The records keep what decides whether a test runs: annotations with their literal arguments,
modifiers, parameter types (Surefire's report names use them) and the calls in a method body
(assumptions, helpers). An annotation argument that is not a literal is kept as its source
text (``Expr``) so a rule can still print it and decide it is not literal.

The traps: a file with a syntax error would compile to nothing, so it is refused
(``NotParsable``), never read as "no tests"; sizes are bounded before parsing; and what is parsed
is the file as javac reads it, its Unicode escapes translated (core/java_text.py).
"""

from __future__ import annotations

from functools import cache
from typing import TypeAlias

import tree_sitter_java
from tree_sitter import Language, Node, Parser

from guards.collect.treesitter import parse_checked
from guards.core import java_text
from guards.core.records import record


@record
class Expr:
    """A non-literal annotation argument: its source text (``OS.LINUX``, ``Slow.class``)."""

    text: str


Value: TypeAlias = "str | int | bool | Expr | tuple[Value, ...]"


@record
class Annotation:
    """``@Name(args)``: simple name, written name, line, arguments (``value`` when unnamed)."""

    name: str
    written: str
    line: int
    args: tuple[tuple[str, Value], ...] = ()
    text: str = ""

    def arg(self, key: str) -> Value | None:
        return next((v for k, v in self.args if k == key), None)


@record
class Call:
    """A method call or ``throw new X`` in a body: the receiver text, the name, the line."""

    receiver: str
    name: str
    line: int
    args: str = ""
    top: bool = False  # a statement of the body itself, not nested in a block


@record
class Method:
    name: str
    line: int
    annotations: tuple[Annotation, ...]
    modifiers: frozenset[str]
    param_types: tuple[str, ...]
    calls: tuple[Call, ...]


@record
class JClass:
    name: str
    line: int
    kind: str  # class | interface | enum | record | annotation
    annotations: tuple[Annotation, ...]
    modifiers: frozenset[str]
    methods: tuple[Method, ...]
    inner: tuple[JClass, ...]
    superclass: str = ""


@record
class Unit:
    """One compilation unit: package, imports (``org.junit.Test``, ``static a.B.*``), classes."""

    package: str
    imports: tuple[str, ...]
    classes: tuple[JClass, ...]


@cache
def parser() -> Parser:
    return Parser(Language(tree_sitter_java.language()))


def parse(path: str, data: bytes) -> Unit:
    """The compilation unit in DATA; NotParsable when it is too large or not Java."""
    source = java_text.translated(data)  # javac reads the escapes first
    return _unit(parse_checked(parser(), path, source, what="Java syntax error", size_line=0))


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text else ""


def _unit(root: Node) -> Unit:
    package, imports, classes = "", [], []
    for child in root.named_children:
        if child.type == "package_declaration":
            package = _text(child.named_children[-1]) if child.named_children else ""
        elif child.type == "import_declaration":
            imports.append(_import(child))
        elif child.type.endswith("_declaration"):
            classes.append(_class(child))
    return Unit(package, tuple(imports), tuple(classes))


def _import(node: Node) -> str:
    text = _text(node).removeprefix("import").removesuffix(";").strip()
    return " ".join(text.split())


_KINDS = {
    "class_declaration": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "record_declaration": "record",
    "annotation_type_declaration": "annotation",
}


def _class(node: Node) -> JClass:
    annotations, modifiers = _modifiers(node)
    body = node.child_by_field_name("body")
    members = body.named_children if body is not None else []
    superclass = node.child_by_field_name("superclass")
    return JClass(
        name=_text(node.child_by_field_name("name")),
        line=node.start_point[0] + 1,
        kind=_KINDS.get(node.type, "class"),
        annotations=annotations,
        modifiers=modifiers,
        methods=tuple(_method(m) for m in members if m.type == "method_declaration"),
        inner=tuple(_class(m) for m in members if m.type in _KINDS),
        superclass=_text(superclass).removeprefix("extends").strip(),
    )


def _modifiers(node: Node) -> tuple[tuple[Annotation, ...], frozenset[str]]:
    mods = next((c for c in node.children if c.type == "modifiers"), None)
    if mods is None:
        return (), frozenset()
    annotations = tuple(_annotation(c) for c in mods.named_children if "annotation" in c.type)
    words = frozenset(_text(c) for c in mods.children if "annotation" not in c.type)
    return annotations, words


def _annotation(node: Node) -> Annotation:
    written = _text(node.child_by_field_name("name"))
    arguments = node.child_by_field_name("arguments")
    return Annotation(
        name=written.rsplit(".", 1)[-1],
        written=written,
        line=node.start_point[0] + 1,
        args=_arguments(arguments) if arguments is not None else (),
        text=" ".join(_text(node).split()),
    )


def _arguments(node: Node) -> tuple[tuple[str, Value], ...]:
    pairs = [c for c in node.named_children if c.type == "element_value_pair"]
    if not pairs:
        values = [c for c in node.named_children if c.type not in ("comment", "line_comment")]
        return (("value", value(values[0])),) if values else ()
    return tuple(
        (_text(p.child_by_field_name("key")), value(p.child_by_field_name("value"))) for p in pairs
    )


def value(node: Node | None) -> Value:
    """A literal as Python (str, int, bool, tuple); anything else as its source text."""
    if node is None:
        return Expr("")
    kind = node.type
    if kind == "string_literal":
        return _string(node)
    if kind == "decimal_integer_literal":
        return int(_text(node).rstrip("lL").replace("_", ""))
    if kind in ("true", "false"):
        return kind == "true"
    if kind == "element_value_array_initializer":
        return tuple(value(c) for c in node.named_children if "comment" not in c.type)
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return value(node.named_children[0])
    return Expr(" ".join(_text(node).split()))


def _string(node: Node) -> Value:
    parts = list(node.named_children)
    if all(c.type == "string_fragment" for c in parts):
        return "".join(_text(c) for c in parts)
    return Expr(_text(node))  # escapes or a text block: kept as written


def _method(node: Node) -> Method:
    annotations, modifiers = _modifiers(node)
    params = node.child_by_field_name("parameters")
    body = node.child_by_field_name("body")
    return Method(
        name=_text(node.child_by_field_name("name")),
        line=node.start_point[0] + 1,
        annotations=annotations,
        modifiers=modifiers,
        param_types=tuple(_param_type(p) for p in params.named_children if "param" in p.type)
        if params is not None
        else (),
        calls=tuple(_calls(body)) if body is not None else (),
    )


def _param_type(node: Node) -> str:
    """The simple erased type Surefire prints: ``List`` for ``java.util.List<String>``."""
    if node.type == "spread_parameter":
        kind = next(c for c in node.named_children if c.type not in ("modifiers",))
        return _erase(kind) + "[]"
    return _erase(node.child_by_field_name("type"))


def _erase(node: Node | None) -> str:
    if node is None:
        return ""
    if node.type == "array_type":
        dims = _text(node.child_by_field_name("dimensions")).count("[")
        return _erase(node.child_by_field_name("element")) + "[]" * dims
    if node.type == "generic_type":
        return _erase(node.named_children[0])
    return _text(node).split("<", 1)[0].rsplit(".", 1)[-1].strip()


def _calls(body: Node) -> list[Call]:
    """Calls and ``throw new`` anywhere in BODY (lambdas and local classes included)."""
    found: list[Call] = []
    stack = [(c, True) for c in reversed(body.named_children)]
    while stack:
        node, top = stack.pop()
        call = _call(node, top)
        if call is not None:
            found.append(call)
        inner_top = False
        stack.extend((c, inner_top) for c in reversed(node.named_children))
    return found


def _reference(node: Node, line: int) -> Call:
    """``Assumptions::abort`` as a call of it that may run anywhere (a method reference is
    called where it is passed); ``SkipException::new`` as a ``throw new`` of it (what it makes
    is thrown where it is made)."""
    receiver, name = _text(node.children[0]), node.children[-1]
    if name.type == "new":
        return Call("throw", receiver.rsplit(".", 1)[-1], line, "", False)
    return Call(receiver, _text(name), line, "", False)


def _call(node: Node, top: bool) -> Call | None:
    line = node.start_point[0] + 1
    if node.type == "expression_statement" and node.named_child_count == 1:
        return None  # its call is visited next, as a top-level one
    if node.type == "method_invocation":
        parent = node.parent
        is_top = top or (
            parent is not None
            and parent.type == "expression_statement"
            and parent.parent is not None
            and parent.parent.type == "block"
            and parent.parent.parent is not None
            and parent.parent.parent.type in ("method_declaration", "constructor_declaration")
        )
        args = node.child_by_field_name("arguments")
        return Call(
            _text(node.child_by_field_name("object")),
            _text(node.child_by_field_name("name")),
            line,
            " ".join(_text(args).split()),
            is_top,
        )
    if node.type == "method_reference" and len(node.children) >= 3:
        return _reference(node, line)
    if node.type == "throw_statement" and node.named_children:
        thrown = node.named_children[0]
        if thrown.type == "object_creation_expression":
            kind = _text(thrown.child_by_field_name("type")).rsplit(".", 1)[-1]
            return Call("throw", kind, line, "", top)
    return None
