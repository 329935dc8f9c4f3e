"""Walk one file's syntax tree: the tests it declares, their describe chain and their skips.

A test's identity is ``<path> > <describe> > ... > <title>``. A title that is not a literal
(or an ``.each`` table that is not) keys the test by its source text, with ``by_function``
saying why. A test declared under ``if``/``switch``/``?:``/``&&`` runs only when that holds:
a conditional skip. In a loop (``for``, ``.forEach``, ``.map``) it is declared once per item.

A describe whose callback is a reference to a function of the file's top level that nothing
else names (``describe('strict', strictSuite)`` with ``function strictSuite() {...}`` below,
babel's) declares what that function's body declares, as an inline callback would: the function
runs there and only there. Such functions are walked where they are passed, not where they
are written (a declaration is hoisted: it may come first).

A function that declares tests (or hooks), the file's only one of its name, every other mention
of which is a direct call within the block that declares it (``test(app)`` in express's suites,
``function test(app) { it(...) }`` below; babel's ``buildTests(file)`` inside a describe) is a
shared-behaviour helper: its body declares its tests at each call, under the suite and the
conditions of that call, as if written there (its name shadows the runner's ``test``). Arguments
run first; an ``async`` function or a generator is no such helper (what follows an ``await``
declares too late, a generator's body does not run on the call).

The trap: a test declared inside any other function (a callback named twice or exported, a
helper passed as a value, one that calls itself, one called from a callback that runs at test
time) runs where and as often as that function is called, which only running the file shows:
Undecidable. So is a helper that declares a hook that skips: the hook joins the calling suite,
and skips its other tests too. Calls of helpers are bounded before the walk (MAX_INLINED calls and
MAX_INLINED_BYTES of their bodies per file, MAX_HELPER_DEPTH at once): a helper of a thousand
tests called a thousand times would be a million tests from a 70 KB file.

Focus (``.only``, ``fit``, ``fdescribe``) is per file, as jest runs it: once one test or suite is
focused, every other test in the file is skipped.
"""

from __future__ import annotations

from dataclasses import replace

from guards.collect.js import each, effects
from guards.collect.js.calls import HOOKS, SUITES, TESTS, Bindings, Chain
from guards.collect.js.syntax import Node, line, literal, nodes_of, string_value, text, unwrap
from guards.collect.model import Skip, Undecidable
from guards.core.records import record

SEP = " > "
LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})
ITERATORS = frozenset({"forEach", "map", "flatMap"})
CONDITIONS = frozenset({"if_statement", "switch_statement", "ternary_expression"})
MAX_DEPTH = 200
MAX_INLINED = 2_000  # calls of shared-behaviour helpers walked in one file
MAX_INLINED_BYTES = 2_000_000  # their bodies' source, summed over the calls: a file's worth
MAX_HELPER_DEPTH = 32  # helpers whose calls are being walked at once (one calls the next)
IDENTIFIERS = ("identifier", "shorthand_property_identifier")  # a use of a name
DECLARATIONS = ("function_declaration", "lexical_declaration", "variable_declaration")
PENDING_BARE = frozenset({"jest", "mocha"})  # mocha/jasmine: pending; vitest, node:test: it runs


@record
class Scope:
    names: tuple[str, ...] = ()
    skips: tuple[Skip, ...] = ()
    focused: bool = False
    note: str = ""  # why titles below are keyed by template
    function: int = 0  # line of an enclosing function that is no describe callback
    callback: bool = False  # the next function is a loop callback, not a helper


@record
class Raw:
    names: tuple[str, ...]
    line: int
    skips: tuple[Skip, ...]
    focused: bool
    note: str
    own_focus: bool = False


class Walker:
    def __init__(self, path: str, bindings: Bindings, flavor: str) -> None:
        self.path, self.bindings, self.flavor = path, bindings, flavor
        self.found: list[Raw] = []
        self.focus_line = 0
        self.root: Node | None = None
        self.functions: dict[str, tuple[Node, Node]] = {}  # top-level name -> (statement, fn)
        self.helpers: dict[str, Node] = {}  # name -> the function, walked where it is called
        # spans of the statements of functions walked where they are used (a suite's callback,
        # a helper), not where they are written
        self.elsewhere: set[tuple[int, int]] = set()
        self.inlining: tuple[str, ...] = ()  # the helpers whose call is being walked
        self.inlined = self.inlined_bytes = 0

    def run(self, root: Node) -> list[Raw]:
        self.root, self.functions = root, _top_level_functions(root)
        found = _helpers(root, self.path)
        self.helpers = {
            n: found[n][1] for n in self._declaring({n: f for n, (_, f) in found.items()})
        }
        self.elsewhere = {_span(found[n][0]) for n in self.helpers}
        held = {id(statement) for statement, _ in self.functions.values()}
        scope = Scope(skips=self._hooks(root))
        for child in root.named_children:
            if id(child) not in held:
                self._visit(child, scope, 1)
        for statement, _ in self.functions.values():
            self._visit(statement, scope, 1)  # as written, unless walked where it is used
        return self.found

    def _children(self, node: Node, scope: Scope, depth: int) -> None:
        for child in node.named_children:
            self._visit(child, scope, depth + 1)

    def _visit(self, node: Node, scope: Scope, depth: int) -> None:
        if _span(node) in self.elsewhere:
            return  # a helper's declaration: walked where it is called
        if depth > MAX_DEPTH:
            raise Undecidable(self.path, line(node), f"nesting deeper than {MAX_DEPTH}")
        if node.type == "call_expression" and self._call(node, scope, depth):
            return
        self._children(node, self._enter(node, scope), depth)

    def _enter(self, node: Node, scope: Scope) -> Scope:
        kind = node.type
        if kind in effects.FUNCTIONS or kind == "method_definition":
            if scope.callback:
                return replace(scope, callback=False)
            return scope if scope.function else replace(scope, function=line(node))
        if kind in LOOPS:
            return replace(scope, note=f"declared in a loop (line {line(node)})")
        if kind in CONDITIONS or (kind == "binary_expression" and _logical(node)):
            cond = node.child_by_field_name("condition") or node.child_by_field_name("left")
            why = f"declared only when `{text(cond)[:60] if cond else '...'}` holds"
            return replace(scope, skips=(*scope.skips, Skip("skipif", line(node), why)))
        return replace(scope, callback=False) if scope.callback else scope  # most nodes: as is

    def _call(self, node: Node, scope: Scope, depth: int) -> bool:
        callee = node.child_by_field_name("function")
        if callee is not None and callee.type == "identifier" and text(callee) in self.helpers:
            self._inline(node, text(callee), scope, depth)
            return True
        chain = self.bindings.resolve(callee) if callee is not None else None
        if chain is None or chain.pending or chain.kind == "other":
            if callee is not None and _iterator(callee):
                loop = replace(scope, note=f"declared in a loop (line {line(node)})", callback=True)
                self._visit(callee, scope, 1)
                for arg in _args(node):
                    self._visit(arg, loop, 1)
                return True
            return False
        if scope.function:
            raise Undecidable(
                self.path, line(node),
                f"a {chain.kind} declared inside a function (line {scope.function}) runs "
                "where and as often as that function is called",
            )  # fmt: skip # -- a packed call reads better here
        args = _args(node)
        if chain.kind == "suite":
            self._suite(node, chain, args, scope)
        else:
            self._test(node, chain, args, scope)
        return True

    def _declaring(self, functions: dict[str, Node]) -> set[str]:
        """The FUNCTIONS whose body declares a test, a suite or a hook, or calls one of them that
        does (one that declares none is walked as written: it declares nothing anywhere)."""
        calls = {name: self._calls(fn, set(functions)) for name, fn in functions.items()}
        found = {name for name, (direct, _) in calls.items() if direct}
        while more := {n for n, (_, via) in calls.items() if via & found} - found:
            found |= more
        return found

    def _calls(self, fn: Node, names: set[str]) -> tuple[bool, set[str]]:
        """Whether FN calls a test API (or one chosen at run time), and which of NAMES it calls."""
        direct, via = False, set()
        for call in nodes_of(fn, self.path, ("call_expression",)):
            callee = call.child_by_field_name("function")
            if callee is not None and callee.type == "identifier" and text(callee) in names:
                via.add(text(callee))
            elif callee is not None:
                try:
                    chain = self.bindings.resolve(callee)
                except Undecidable:
                    chain = Chain("it")  # walked where it is called, it says why
                direct = direct or (chain is not None and chain.base in TESTS | SUITES | HOOKS)
        return direct, via

    def _inline(self, node: Node, name: str, scope: Scope, depth: int) -> None:
        """Walk the helper NAME's body where NODE calls it, in SCOPE, after its arguments (one
        level deeper than the call: MAX_DEPTH bounds a chain of helpers too)."""
        body = self.helpers[name].child_by_field_name("body")
        self._budget(line(node), name, body)
        for arg in _args(node):
            self._visit(arg, scope, depth + 1)
        if body is None:
            return
        self.inlining = (*self.inlining, name)
        try:
            if body.type == "statement_block":
                self._children(body, scope, depth)
            else:  # an arrow function's expression
                self._visit(body, scope, depth + 1)
        finally:
            self.inlining = self.inlining[:-1]

    def _budget(self, at: int, name: str, body: Node | None) -> None:
        """Undecidable, before the walk, for a call of NAME that calls itself, goes past the
        bounds, or would add a hook that skips to the calling suite."""
        if name in self.inlining:
            raise Undecidable(self.path, at, f"{name}() calls itself: how often only running shows")
        if len(self.inlining) >= MAX_HELPER_DEPTH:
            raise Undecidable(
                self.path, at, f"test helpers call each other {MAX_HELPER_DEPTH} deep"
            )
        self.inlined += 1
        self.inlined_bytes += body.end_byte - body.start_byte if body is not None else 0
        if self.inlined > MAX_INLINED or self.inlined_bytes > MAX_INLINED_BYTES:
            raise Undecidable(
                self.path, at,
                f"test helpers called more than {MAX_INLINED} times or over "
                f"{MAX_INLINED_BYTES:,} bytes of their bodies",
            )  # fmt: skip # -- a packed call reads better here
        if body is not None and body.type == "statement_block" and self._hooks(body):
            raise Undecidable(
                self.path, at, f"{name}() declares a hook that skips every test of the suite here"
            )

    def _titles(self, chain: Chain, args: list[Node], scope: Scope) -> list[tuple[str, str]]:
        """(title, note) per case: one for a plain call, one per row for ``.each``."""
        if not args:
            return [("", scope.note or "no title")]
        title, note = _title(args[0])
        table = _table(chain)
        if table is None:
            return [(title, note or scope.note)]
        found = each.titles(title, table, self.flavor) if not note else None
        if found is None:
            return [(title, f"{chain.base}.each table is not a literal: keyed by title template")]
        return [(t, scope.note) for t in found]

    def _test(self, node: Node, chain: Chain, args: list[Node], scope: Scope) -> None:
        at = line(node)
        effect = effects.of_chain(chain, at)
        rest = args[1:]
        fn = next((a for a in rest if a.type in effects.FUNCTIONS), None)
        options = next((a for a in rest if a.type == "object"), None)
        skips = (*scope.skips, *effect.skips, *effects.of_options(options), *effects.of_body(fn))
        bare = fn is None and not any(_reference(a) for a in rest)
        if bare and self.flavor in PENDING_BARE and "todo" not in chain.mods:
            skips = (*skips, Skip("todo", at, f"{chain.base}() without a function: pending"))
        focused = scope.focused or effect.focused
        self._note_focus(effect, at)
        for title, note in self._titles(chain, args, scope):
            raw = Raw((*scope.names, title), at, skips, focused, note, effect.focused)
            self.found.append(raw)

    def _suite(self, node: Node, chain: Chain, args: list[Node], scope: Scope) -> None:
        at = line(node)
        effect = effects.of_chain(chain, at)
        fn = next((a for a in args[1:] if a.type in effects.FUNCTIONS), None)
        if fn is None and any(_reference(a) for a in args[1:]):
            fn = self._passed(args[1:])
            if fn is None:
                raise Undecidable(self.path, at, f"{chain.base}() takes its callback by reference")
        options = next((a for a in args[1:] if a.type == "object"), None)
        self._note_focus(effect, at)
        if fn is None:
            return
        body = fn.child_by_field_name("body")
        own = (*effect.skips, *effects.of_options(options))
        if own and self.flavor == "node":  # node:test reports a skipped suite as one test
            for title, note in self._titles(chain, args, scope):
                names = (*scope.names, title)
                self.found.append(Raw(names, at, (*scope.skips, *own), scope.focused, note))
            return
        skips = (*scope.skips, *own, *self._hooks(body))
        for title, note in self._titles(chain, args, scope):
            inner = Scope((*scope.names, title), skips, scope.focused or effect.focused, note)
            if body is not None and body.type == "statement_block":
                self._children(body, inner, 1)
            elif body is not None:
                self._visit(body, inner, 1)

    def _passed(self, args: list[Node]) -> Node | None:
        """The function a suite's callback names, when it is one of the file's top level that
        no other place names (it runs there only); None otherwise."""
        names = [text(a) for a in args if a.type == "identifier"]
        name = next((n for n in names if n in self.functions), None)
        if name is None or self._mentions(name) != 2:
            return None  # its declaration and this callback: nothing else calls it
        statement, fn = self.functions[name]
        if _span(statement) in self.elsewhere:
            return None
        self.elsewhere.add(_span(statement))
        return fn

    def _mentions(self, name: str) -> int:
        """How many identifiers of the file are NAME (its declaration counts one)."""
        found = nodes_of(self.root, self.path, IDENTIFIERS) if self.root is not None else []
        return sum(text(n) == name for n in found)

    def _note_focus(self, effect: effects.Effect, at: int) -> None:
        if effect.focused and not self.focus_line:
            self.focus_line = at

    def _hooks(self, body: Node | None) -> tuple[Skip, ...]:
        """Skips in the hooks declared directly in BODY: they skip every test of the suite."""
        if body is None:
            return ()
        found: list[Skip] = []
        for statement in body.named_children:
            call = _statement_call(statement)
            if call is None:
                continue
            callee = call.child_by_field_name("function")
            chain = self.bindings.resolve(callee) if callee is not None else None
            if chain is None or chain.kind != "other":
                continue
            fn = next((a for a in _args(call) if a.type in effects.FUNCTIONS), None)
            for skip in effects.of_body(fn):
                found.append(Skip("hook-skip", skip.line, f"{chain.base}() hook: {skip.detail}"))
        return tuple(found)


def _top_level_functions(root: Node) -> dict[str, tuple[Node, Node]]:
    """The functions declared at ROOT's top level by name: ``function f() {}`` and ``const f =
    () => {}`` / ``function () {}`` (one declarator), each with its statement."""
    found: dict[str, tuple[Node, Node]] = {}
    for statement in root.named_children:
        top = statement.type in ("function_declaration", "lexical_declaration")  # no ``var``
        named = _function_declared(statement) if top else None
        if named is not None:
            found[text(named[0])] = (statement, named[1])
    return found


def _helpers(root: Node, path: str) -> dict[str, tuple[Node, Node]]:
    """The plain functions (neither async nor generators) by name, each with its statement, that
    are the file's only declaration of the name and whose every other mention is a direct call
    inside the block holding the declaration: nothing else can run them."""
    declared: dict[str, list[tuple[Node, Node, Node]]] = {}
    for statement in nodes_of(root, path, DECLARATIONS):
        named = _function_declared(statement)
        if named is not None:
            declared.setdefault(text(named[0]), []).append((statement, *named))
    once = {n: d[0] for n, d in declared.items() if len(d) == 1 and _plain(d[0][2])}
    names = {_span(name) for _, name, _ in once.values()}
    found = {n: (statement, fn) for n, (statement, _, fn) in once.items()}
    called: set[str] = set()
    other: set[str] = set()
    for node in nodes_of(root, path, IDENTIFIERS):
        name = text(node)
        if name in found and _span(node) not in names:
            (called if _callee(node) and _within(node, found[name][0].parent) else other).add(name)
    return {n: found[n] for n in called - other}


def _function_declared(statement: Node) -> tuple[Node, Node] | None:
    """(its name, the function) when STATEMENT declares one function: ``function f() {}``,
    ``const f = () => {}``, ``var f = function () {}``."""
    if statement.type == "function_declaration":
        name = statement.child_by_field_name("name")
        return (name, statement) if name is not None else None
    if len(statement.named_children) != 1:
        return None
    declarator = statement.named_children[0]
    name, value = (declarator.child_by_field_name(f) for f in ("name", "value"))
    if name is None or value is None or name.type != "identifier":
        return None
    return (name, unwrap(value)) if unwrap(value).type in effects.FUNCTIONS else None


def _within(node: Node, block: Node | None) -> bool:
    return block is not None and block.start_byte <= node.start_byte < block.end_byte


def _callee(node: Node) -> bool:
    parent = node.parent
    return (
        parent is not None
        and parent.type == "call_expression"
        and _span(parent.child_by_field_name("function")) == _span(node)
    )


def _span(node: Node | None) -> tuple[int, int]:
    return (node.start_byte, node.end_byte) if node is not None else (-1, -1)


def _plain(fn: Node) -> bool:
    """Whether calling FN runs its whole body at once: no ``async``, no generator."""
    return "generator" not in fn.type and not any(c.type == "async" for c in fn.children)


def _statement_call(statement: Node) -> Node | None:
    if statement.type != "expression_statement" or not statement.named_children:
        return None
    call = unwrap(statement.named_children[0])
    return call if call.type == "call_expression" else None


def _args(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None or arguments.type == "template_string":
        return []
    return [unwrap(a) for a in arguments.named_children if a.type != "comment"]


def _table(chain: Chain) -> Node | None:
    pairs = zip(chain.mods, chain.args, strict=True)
    return next((a for m, a in pairs if m in ("each", "for") and a is not None), None)


def _title(node: Node) -> tuple[str, str]:
    value = string_value(node)
    if value is not None:
        return value, ""
    number = literal(node)
    if isinstance(number, (int, float)) and not isinstance(number, bool):
        return str(number), ""
    return text(node), "title is not a literal: keyed by its source text"


def _reference(node: Node) -> bool:
    return node.type in ("identifier", "member_expression", "call_expression")


def _iterator(callee: Node) -> bool:
    callee = unwrap(callee)
    prop = callee.child_by_field_name("property") if callee.type == "member_expression" else None
    return prop is not None and text(prop) in ITERATORS


def _logical(node: Node) -> bool:
    op = node.child_by_field_name("operator")
    return op is not None and text(op) in ("&&", "||", "??")
