"""What keeps one test or suite from running: its chain, its options, its body, its hooks.

- chain: ``x``-prefixed bases and ``.skip`` skip, ``.todo`` is a todo, ``.fails``/``.failing``
  expect failure (xfail), ``.skipIf(c)``/``.runIf(c)`` skip unless ``c`` is a literal that
  makes them run, ``.only``/``fit``/``fdescribe`` focus;
- node:test options: ``{ skip: true | 'why' }``, ``{ todo: ... }`` (``false``/``0``/``''``
  do not skip; a non-literal value is a conditional skip);
- body: ``this.skip()`` (mocha), ``ctx.skip()``/``context.skip()``/``skip()`` from the
  context parameter (vitest), ``t.skip()``/``t.todo()`` (node:test), ``pending()`` (jasmine),
  wherever they are in the body, conditional or not (as ``pytest.skip()`` in a body counts).

The trap: a skip inside a hook (``before``/``beforeAll``/``beforeEach``) skips every test of its
suite, so hooks are read before the suite's tests.
"""

from __future__ import annotations

from collections.abc import Iterator

from guards.collect.js.calls import Chain
from guards.collect.js.syntax import DYNAMIC, Node, line, literal, object_literal, text, unwrap
from guards.collect.model import Skip
from guards.collect.treesitter import walk
from guards.core.records import record

FUNCTIONS = frozenset(
    {"arrow_function", "function_expression", "function", "function_declaration",
     "generator_function", "generator_function_declaration"}
)  # fmt: skip # -- a packed call reads better here
RUNTIME = {"skip": "runtime-skip", "todo": "todo"}


@record
class Effect:
    skips: tuple[Skip, ...] = ()
    focused: bool = False


def of_chain(chain: Chain, at: int) -> Effect:
    name = ".".join((chain.base, *chain.mods))
    skips: list[Skip] = []
    if chain.base.startswith("x"):
        skips.append(Skip("skip", at, name))
    for mod, args in zip(chain.mods, chain.args, strict=True):
        skips.extend(_modifier(mod, args, name, at))
    focused = chain.base.startswith("f") or "only" in chain.mods
    return Effect(tuple(skips), focused)


def _modifier(mod: str, args: Node | None, name: str, at: int) -> Iterator[Skip]:
    if mod == "skip":
        yield Skip("skip", at, name)
    elif mod == "todo":
        yield Skip("todo", at, name)
    elif mod in ("fails", "failing"):
        yield Skip("xfail", at, f"{name}: expected to fail")
    elif mod in ("skipIf", "runIf") and args is not None:
        cond = args.named_children[0] if args.named_children else None
        value = literal(cond) if cond is not None else DYNAMIC
        runs = (mod == "skipIf" and value is not DYNAMIC and not value) or (
            mod == "runIf" and value is not DYNAMIC and bool(value)
        )
        if not runs:
            shown = text(cond)[:60] if cond is not None else ""
            yield Skip("skipif", at, f"{name}({shown})")


def of_options(options: Node | None) -> tuple[Skip, ...]:
    """node:test's ``{ skip, todo }`` options object."""
    if options is None:
        return ()
    values = object_literal(options)
    if values is DYNAMIC:
        return (Skip("skipif", line(options), f"options {text(options)[:60]} are not literal"),)
    out = []
    for key, kind in (("skip", "skip"), ("todo", "todo")):
        value = values.get(key, False)
        if value is DYNAMIC:
            out.append(Skip("skipif", line(options), f"{{ {key}: ... }} decided at run time"))
        elif value:
            out.append(Skip(kind, line(options), f"{{ {key}: {_shown(value)} }}"))
    return tuple(out)


def _shown(value: object) -> str:
    return "true" if value is True else repr(value)


def of_body(fn: Node | None) -> tuple[Skip, ...]:
    """Run-time skips anywhere in the body of the test (or hook) function FN."""
    if fn is None:
        return ()
    param, destructured = _context_param(fn)
    found: list[Skip] = []
    for call in _calls(fn):
        callee = unwrap(call.child_by_field_name("function") or call)
        skip = _runtime(callee, param, destructured)
        if skip is not None:
            found.append(Skip(RUNTIME.get(skip[1], "runtime-skip"), line(call), skip[0]))
    return tuple(found)


def _runtime(callee: Node, param: str, destructured: frozenset[str]) -> tuple[str, str] | None:
    if callee.type == "identifier":
        name = text(callee)
        if name == "pending":
            return "pending() (jasmine)", "skip"
        return (f"{name}() from the test context", name) if name in destructured else None
    if callee.type != "member_expression":
        return None
    obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
    if obj is None or prop is None or text(prop) not in RUNTIME:
        return None
    owner = text(unwrap(obj))
    if owner == "this" or (param and owner == param):
        return f"{owner}.{text(prop)}() at run time", text(prop)
    return None


def _context_param(fn: Node) -> tuple[str, frozenset[str]]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return "", frozenset()
    first = params if params.type == "identifier" else next(iter(params.named_children), None)
    if first is not None and first.type in ("required_parameter", "optional_parameter"):
        first = first.child_by_field_name("pattern")
    if first is None:
        return "", frozenset()
    if first.type == "identifier":
        return text(first), frozenset()
    if first.type == "object_pattern":
        names = {text(c) for c in first.named_children if c.type.startswith("shorthand")}
        return "", frozenset(names & set(RUNTIME))
    return "", frozenset()


def _calls(node: Node) -> Iterator[Node]:
    return (n for n in walk(node) if n.type == "call_expression")
