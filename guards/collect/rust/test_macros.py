"""``macro_rules!`` that write tests, read as libtest sees them: each invocation of a *simple* one
is one test, named by one of its arguments (ripgrep's ``rgtest!(name, |dir, cmd| {...})``, its
``ignored!`` / ``matched!(not, name, ...)`` / ``extract!(which, name, ...)`` tables).

Contract: ``read(node, path)`` is None for a macro that writes no test attribute, a
``TestMacro`` for a simple one, and raises Undecidable for any other that writes (or may write)
one. Simple: every rule's matcher is a flat row of literal tokens and ``$x:frag`` bindings (a
trailing ``$(,)*``; in the last rule, any repetition at the end, clap's
``$([ $line:expr, $words:expr ]),+``, which matches whatever follows: were it refused, rustc
would stop), and
every rule's transcriber either writes one test, ``#[test] ... fn $x(...) {...}`` with its
attributes written out, or is one invocation of a macro (itself, or another it passes its tokens
to: ripgrep's ``ext!`` is ``extract!(ext, $($tt)*)``). ``expand(macro, tokens, lookup)`` picks
the rule an invocation's TOKENS match as rustc does (the first that matches), following those
invocations through the macros LOOKUP finds in scope, and gives the test's name and attributes
(an ``#[ignore]`` written there skips every test the macro writes; the invocation's own
``#[cfg(windows)]`` is the caller's), or None when it writes none. A macro not read that writes
no test attribute itself is kept by the names it invokes: an invocation of it is Undecidable
when one of them is a macro that may write a test (``$( t!($n); )*``).

The traps: an attribute holding a metavariable (``#[$meta]``, ``$(#[$attr])*``) may write
``#[ignore]`` from an argument, so it is not simple; nor is a test attribute anywhere else in a
transcriber (``mod $name { #[test] fn works() }``, ``paste! { ... }``). An ``expr`` ends at the
first top-level ``,``, ``;`` or ``=>`` (none is inside one), past a leading closure's
``|a, b|``; a ``|`` or ``<`` before such a separator (``f::<A, B>``) may hold it, and then
which rule matches is unsure: the invocation is Undecidable. At the end of the arguments,
``None::<&str>`` is one expression whatever it holds. A word in the body is no attribute:
``cfg!(feature = "pcre2")`` and ``.is_ignore()`` write nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from guards.collect.model import Undecidable
from guards.collect.rust.syntax import line, text
from guards.collect.treesitter import walk
from guards.core.records import record

WHAT = "a macro_rules! that writes test attributes from its arguments or in a shape not read"
MAX_EXPANSIONS = 8
LITERALS = frozenset(
    {"string_literal", "raw_string_literal", "char_literal", "integer_literal", "float_literal",
     "boolean_literal"}
)  # fmt: skip # -- a packed set reads better
ONE_TOKEN = frozenset({"ident", "tt", "literal", "lifetime", "block"})
MANY_TOKENS = frozenset({"expr", "ty", "path", "pat", "pat_param"})  # vis may be empty: unsure
SPLITTERS = ("|", "<")  # a comma after one of these may be inside a closure or generics
SEPARATORS = frozenset({",", ";", "=>"})  # what may follow an expr: none is inside one
QUALIFIERS = frozenset({"#", "!", "pub", "async", "const", "unsafe", "extern", "default"})
FN_QUALIFIERS = frozenset({"pub", "async", "const", "unsafe", "extern"})
WRITTEN = frozenset({"metavariable", "token_repetition"})  # may write a fn or a mod
CONDITIONS = frozenset({"cfg", "doc"})  # attributes that condition or document, nothing else
STRING = re.compile(r'r#*"[^"]*"#*|"(?:[^"\\]|\\.)*"', re.S)  # ``doc = "the latest"`` is prose
WORD = re.compile(r"\w+")
Token = tuple[str, str]  # (kind: ident | meta | tree | literal | punct, text)
Element = tuple[str, str, str]  # ("lit", text, ""), ("bind", $var, fragment), ("trail", ",", op),
# ("rest", "", ""): a repetition that ends the last rule's matcher, ("all", $var, ""): $($var:tt)*
TRAILING = frozenset({"$(,)*", "$(,)?", "$(,)+"})  # the last of a matcher: optional commas
Tokens = tuple[Token, ...]
Bound = dict[str, list[Token]]


@record
class Rule:
    pattern: tuple[Element, ...]
    test: tuple[str, tuple[str, ...]] | None  # ($var naming the test, its attributes' insides)
    again: tuple[str, Tokens] | None  # (macro, arguments) of the one macro it invokes


@record
class TestMacro:
    """A macro that writes tests or may: its rules when simple, else the macros it invokes
    (OPAQUE: it writes no test attribute itself, but one of those may). CONDITIONS: it writes
    a ``cfg`` (or ``doc``) attribute from its arguments on the items it is given, and no test
    attribute: only an invocation given a test can change one (``expand``)."""

    name: str
    rules: tuple[Rule, ...]
    opaque: frozenset[str] = frozenset()
    conditions: bool = False


Lookup = Callable[[str], "TestMacro | None"]  # a macro in scope by name (None: none of ours)


def read(node: Node, path: str) -> TestMacro | None:
    """NODE (a ``macro_definition``) as a TestMacro; None when it writes no test attribute and
    invokes no macro (then it writes no test)."""
    name = text(node.child_by_field_name("name"))
    rules = [c for c in node.named_children if c.type == "macro_rule"]
    bodies = [b for b in (r.child_by_field_name("right") for r in rules) if b is not None]
    tests = any(_test_attributes(b) for b in bodies)
    computed = [t for b in bodies for t in _computed_trees(b)]
    conditions = bool(computed) and not tests and all(map(_conditioning, computed))
    writes = tests or (bool(computed) and not conditions)
    invokes = frozenset(n for b in bodies for n in _invoked_names(b))
    if not writes and not invokes and not conditions:
        return None
    read_rules = tuple(_rule(name, r) for r in rules)
    if read_rules and None not in read_rules and not _rest_before_last(read_rules):
        return TestMacro(name, tuple(r for r in read_rules if r is not None))
    if writes:
        raise Undecidable(path, line(node), f"{WHAT} ({name}!)")
    return TestMacro(name, (), invokes, conditions)  # writes none itself; what it invokes may


def expand(
    macro: TestMacro, tokens: Tokens, lookup: Lookup
) -> tuple[str, tuple[str, ...]] | str | None:
    """(test name, attributes) of an invocation's TOKENS, None when it writes no test, or why
    it cannot be told. LOOKUP finds the macros it forwards to (ripgrep's ``ext!`` to
    ``extract!``), as they are in scope where it is invoked."""
    for _ in range(MAX_EXPANSIONS):
        if macro.conditions and _given_a_test(tokens, lookup):
            return f"{WHAT} ({macro.name}!, given a test, a module or a macro)"
        if macro.opaque or macro.conditions:
            return _opaque(macro, lookup)
        chosen = _choose(macro, tokens)
        if isinstance(chosen, str):
            return chosen
        rule, bound = chosen
        if rule.test is not None:
            return _named(macro, rule.test, bound)
        assert rule.again is not None
        target, arguments = rule.again
        spliced = _substitute(arguments, bound)
        following = macro if target == macro.name else lookup(target)
        if spliced is None:
            return f"{macro.name}! passes on a metavariable it does not bind"
        if following is None:
            return None  # a macro of no test: another crate's, or one that writes none
        macro, tokens = following, spliced
    return f"{macro.name}! invokes macros more than {MAX_EXPANSIONS} deep"


def may_write(macro: TestMacro, lookup: Lookup, depth: int = 0) -> bool:
    """Whether an invocation of MACRO can write a test: a rule writes one, or it invokes a
    macro that can (too deep to tell counts as can)."""
    if depth > MAX_EXPANSIONS or macro.conditions:
        return True  # conditions the tests it may be given
    if any(r.test is not None for r in macro.rules):
        return True
    targets = {r.again[0] for r in macro.rules if r.again is not None} | macro.opaque
    found = (lookup(n) for n in targets - {macro.name})
    return any(t is not None and may_write(t, lookup, depth + 1) for t in found)


def _named(
    macro: TestMacro, test: tuple[str, tuple[str, ...]], bound: Bound
) -> tuple[str, tuple[str, ...]] | str:
    named = bound.get(test[0], ())
    if len(named) != 1 or named[0][0] != "ident":
        return f"the test name {test[0]} of {macro.name}! is not a name here"
    return named[0][1], test[1]


def _opaque(macro: TestMacro, lookup: Lookup) -> str | None:
    """Why an invocation of a macro not read is unsure: it invokes one that writes tests."""
    found = {n: lookup(n) for n in macro.opaque - {macro.name}}
    writers = sorted(n for n, t in found.items() if t is not None and may_write(t, lookup))
    if writers:
        return f"{macro.name}! invokes {writers[0]}! in a shape not read"
    return None


def tokens_of(tree: Node) -> tuple[Token, ...]:
    """The tokens inside an invocation's (or a transcriber's) token TREE."""
    return tuple(_token(n) for n in _inside(tree))


def _inside(tree: Node) -> list[Node]:
    """The tokens between TREE's brackets, as rustc sees them: a comment is none (axum's
    matcher comments each binding), a doc comment is one (``#[doc = "..."]``)."""
    return [n for n in tree.children[1:-1] if not _plain_comment(n)]


def _plain_comment(node: Node) -> bool:
    if node.type not in ("line_comment", "block_comment"):
        return False
    said = text(node)
    doc = said.startswith(("///", "//!", "/*!")) or (said.startswith("/**") and len(said) > 4)
    return not doc or said.startswith(("////", "/***"))


def invoked(node: Node) -> tuple[str, Node] | None:
    """(macro name, its token tree) of an item-position invocation NODE (``m!(...)`` as an
    expression statement, or ``m! {...}``), else None."""
    statement = node.type == "expression_statement" and node.named_children
    call = node.named_children[0] if statement else node
    if call.type != "macro_invocation":
        return None
    macro = call.child_by_field_name("macro")
    tree = next((c for c in call.named_children if c.type == "token_tree"), None)
    if macro is None or tree is None:
        return None
    name = macro.child_by_field_name("name") if macro.type == "scoped_identifier" else macro
    return text(name), tree


def _token(node: Node) -> Token:
    kinds = {
        "identifier": "ident", "metavariable": "meta", "token_tree": "tree",
        "token_repetition": "rep",
    }  # fmt: skip # -- a packed table reads better
    kind = "literal" if node.type in LITERALS else kinds.get(node.type, "punct")
    return kind, text(node)


def _rule(macro: str, rule: Node) -> Rule | None:
    pattern = _pattern(rule.child_by_field_name("left"))
    body = rule.child_by_field_name("right")
    if pattern is None or body is None or _computed_attributes(body):
        return None
    tokens, count = _inside(body), _test_attributes(body)
    test = _test_fn(tokens)
    if test is not None and count == 1:
        return Rule(pattern, test, None)
    if count == 0:
        again = _one_invocation(tokens)
        if again is not None:
            return Rule(pattern, None, again)
    return None


def _repeated(node: Node) -> Element:
    """A repetition that ends a matcher: ``$($x:tt)*`` binds every token left to ``$x`` (what
    ripgrep's ``ext!`` passes on as ``$($x)*``); any other matches whatever is left."""
    var = _only_binding(node)
    if var and "".join(text(node).split()) == f"$({var}:tt)*":
        return ("all", var, "")
    return ("rest", "", "")


def _only_binding(node: Node) -> str:
    bindings = [c for c in node.children if c.type == "token_binding_pattern"]
    return text(bindings[0].child_by_field_name("name")) if len(bindings) == 1 else ""


def _rest_before_last(rules: tuple[Rule | None, ...]) -> bool:
    """Whether a rule but the last ends in a repetition, which is taken to match whatever
    follows: rustc might refuse it and try the next rule, so which rule matches is unsure."""
    return any(
        r is not None and any(e[0] in ("rest", "all") for e in r.pattern) for r in rules[:-1]
    )


def _pattern(matcher: Node | None) -> tuple[Element, ...] | None:
    """The matcher as a flat row of literals and bindings; None when it repeats or nests."""
    if matcher is None:
        return None
    out: list[Element] = []
    inside = _inside(matcher)
    for node in inside:
        if node.type == "token_binding_pattern":
            var, kind = node.child_by_field_name("name"), node.child_by_field_name("type")
            out.append(("bind", text(var), text(kind)))
        elif node.child_count == 0 and node.type != "metavariable":
            out.append(("lit", text(node), ""))
        elif node.type == "token_tree_pattern" and node.child_count == 2:
            out.append(("lit", "".join(text(node).split()), ""))  # ``()``: matched as written
        elif "".join(text(node).split()) in TRAILING and node == inside[-1]:
            out.append(("trail", ",", text(node).strip()[-1]))  # a trailing comma, optional
        elif node.type == "token_repetition_pattern" and node == inside[-1]:
            out.append(_repeated(node))  # clap's $([ $line:expr, $words:expr ]),+ at the end
        else:
            return None
    return tuple(out)


def _test_fn(tokens: list[Node]) -> tuple[str, tuple[str, ...]] | None:
    """($var, attributes) when TOKENS are ``#[...]... fn $var (...) ... {...}`` and one of the
    attributes is a test attribute, with nothing else at the top level."""
    attributes: list[str] = []
    at = 0
    while at + 1 < len(tokens) and text(tokens[at]) == "#" and tokens[at + 1].type == "token_tree":
        attributes.append(text(tokens[at + 1])[1:-1].strip())
        at += 2
    rest = _unqualified(tokens[at:])
    if len(rest) < 4 or text(rest[0]) != "fn" or rest[1].type != "metavariable":
        return None
    body = text(rest[-1]).startswith("{") or rest[-1].type == "metavariable"  # ``$b:block``
    if not body or any(text(t) in ("#", "fn", "!") for t in rest[2:]):
        return None
    return (text(rest[1]), tuple(attributes)) if any(map(_is_test, attributes)) else None


def _unqualified(tokens: list[Node]) -> list[Node]:
    """TOKENS without the qualifiers before a ``fn`` (``pub(crate) async unsafe extern "C"``:
    tokio's ``#[::tokio::test] async fn $name()``)."""
    at = 0
    while at < len(tokens) and text(tokens[at]) in FN_QUALIFIERS:
        kinds = {t.type for t in tokens[at + 1 : at + 2]}  # ``pub(crate)``, ``extern "C"``
        takes = text(tokens[at]) in ("pub", "extern") and bool(kinds & (LITERALS | {"token_tree"}))
        at += 2 if takes else 1
    return tokens[at:]


def _one_invocation(tokens: list[Node]) -> tuple[str, Tokens] | None:
    """(macro, arguments) when TOKENS are only ``m!(...)`` (a ``;`` after it aside)."""
    kept = [t for t in tokens if text(t) != ";"]
    if len(kept) != 3 or kept[0].type != "identifier" or text(kept[1]) != "!":
        return None
    return (text(kept[0]), tokens_of(kept[2])) if kept[2].type == "token_tree" else None


def _invoked_names(body: Node) -> set[str]:
    """The names followed by ``!`` anywhere in BODY (the macros it may invoke)."""
    found = set()
    for node in walk(body):
        after = node.next_sibling
        if node.type == "identifier" and after is not None and text(after) == "!":
            found.add(text(node))
    return found


def _is_test(attribute: str) -> bool:
    head = attribute.split("(", 1)[0].replace(" ", "")
    return head == "test" or head.endswith("::test")


def _test_attributes(body: Node) -> int:
    """How many test attributes (``#[test]``, ``#[tokio::test]``) BODY holds, at any depth."""
    return sum(_is_test(text(t)[1:-1].strip()) for t in _attribute_trees(body))


def _computed_attributes(body: Node) -> bool:
    """Whether an attribute in BODY holds a metavariable (it may write any attribute) on a
    function or a module: on a ``struct`` (regex's ``$(#[$doc])* pub struct Regex``) no
    attribute makes or skips a test."""
    return bool(_computed_trees(body))


def _computed_trees(body: Node) -> list[Node]:
    """The ``[...]`` of each attribute of BODY that holds a metavariable, on a function, a
    module or what a metavariable writes (_computed_attributes)."""
    return [t for t in _attribute_trees(body) if _has_metavariable(t) and _on_test_item(t)]


def _conditioning(tree: Node) -> bool:
    """Whether the attribute whose ``[...]`` is TREE can only condition or document what it
    is on, whatever its metavariables hold: ``cfg(...)``, ``doc(...)``, ``doc = ...``, or
    ``cfg_attr(<predicate>, doc(...))`` (its attributes ``doc`` alone). None of them writes
    ``#[test]`` or ``#[ignore]``; a ``cfg`` may leave a test out, which in a macro that writes
    no test attribute (tokio's ``feature!``: ``#[cfg($meta)] $item``) only an item the
    invocation gives can be. An attribute that is a metavariable whole (axum's
    ``$(#[$m])+ pub fn $name``, given doc comments) writes what the invocation gives it,
    judged there as a ``cfg``'s item is (``_given_a_test``)."""
    inside = tree.children[1:-1]
    if len(inside) == 1 and inside[0].type == "metavariable":
        return True
    head = text(inside[0]) if inside and inside[0].type == "identifier" else ""
    if head in CONDITIONS:
        return True
    if head != "cfg_attr" or len(inside) != 2 or inside[1].type != "token_tree":
        return False
    parts = _top_level_parts(inside[1])
    return len(parts) > 1 and all(p and p[0] == "doc" for p in parts[1:])


def _top_level_parts(tree: Node) -> list[list[str]]:
    """The texts of TREE's tokens, cut at its top-level commas."""
    parts: list[list[str]] = [[]]
    for node in tree.children[1:-1]:
        if text(node) == ",":
            parts.append([])
        else:
            parts[-1].append(text(node))
    return parts


def _given_a_test(tokens: Tokens, lookup: Lookup) -> bool:
    """Whether an invocation's TOKENS may hold a test: an attribute with a word that says
    ``test`` outside its strings (``#[test]``, ``#[tokio::test]``, ``#[rstest]``,
    ``#[cfg(test)]``), a module (its tests are in it, or in its file), or an invocation of a
    macro of ours that may write or condition one (another's, as everywhere, writes none)."""
    for at, (kind, word) in enumerate(tokens):
        after = tokens[at + 1][1] if at + 1 < len(tokens) else ""
        if kind == "tree" and word.startswith("[") and _names_a_test(word):
            return True
        if word == "mod" or (kind == "ident" and after == "!" and _may_test(word, lookup)):
            return True
    return False


def _names_a_test(attribute: str) -> bool:
    words = WORD.findall(STRING.sub('""', attribute))
    return any("test" in w for w in words)


def _may_test(name: str, lookup: Lookup) -> bool:
    found = lookup(name)
    return found is not None and may_write(found, lookup)


def _on_test_item(tree: Node) -> bool:
    """Whether the attribute whose ``[...]`` is TREE is on a ``fn`` or a ``mod`` (or on what
    a metavariable or a repetition writes, which may be either), outside an ``impl`` or
    ``trait`` block (libtest refuses ``#[test]`` on an associated function: tokio's
    ``generate_addr_of_methods!`` writes ``$(#[$attrs])*`` on methods)."""
    if _associated(tree):
        return False
    node: Node | None = tree
    while node is not None:
        after = _next_item(node)
        if after is not None:
            return text(after) in ("fn", "mod") or after.type in WRITTEN
        parent = node.parent
        node = parent if parent is not None and parent.type == "token_repetition" else None
    return True  # the end of the transcriber: what follows is the invoker's


def _associated(tree: Node) -> bool:
    """Whether TREE sits in the ``{...}`` of an ``impl`` or ``trait`` of the transcriber."""
    node = tree.parent
    while node is not None and node.type in ("token_tree", "token_repetition"):
        if node.type == "token_tree" and text(node).startswith("{") and _after_impl(node):
            return True
        node = node.parent
    return False


def _after_impl(block: Node) -> bool:
    """Whether the item BLOCK ends is an ``impl`` or ``trait`` (a word of its header, after
    the last ``;`` or block before it)."""
    before = block.prev_sibling
    while before is not None and text(before) != ";" and not text(before).startswith("{"):
        if text(before) in ("impl", "trait"):
            return True
        before = before.prev_sibling
    return False


def _next_item(node: Node) -> Node | None:
    """The first token after NODE that is no attribute, qualifier or ``)`` closing it."""
    after = node.next_sibling
    while after is not None and (text(after) in QUALIFIERS or after.type == "token_tree"):
        after = after.next_sibling  # the next attribute's [...], pub(crate), unsafe ...
    return None if after is None or text(after) == ")" else after


def _attribute_trees(body: Node) -> list[Node]:
    """Every ``[...]`` token tree right after a ``#`` (or ``#!``), at any depth of BODY."""
    found, stack = [], [body]
    while stack:
        node = stack.pop()
        kids = node.children
        for i, kid in enumerate(kids):
            if kid.type == "token_tree" and text(kid).startswith("[") and _after_hash(kids, i):
                found.append(kid)
            if kid.child_count:
                stack.append(kid)
    return found


def _after_hash(kids: list[Node], at: int) -> bool:
    before = [text(k) for k in kids[max(0, at - 2) : at]]
    return bool(before) and (before[-1] == "#" or before[-2:] == ["#", "!"])


def _has_metavariable(node: Node) -> bool:
    return any(n.type == "metavariable" for n in walk(node))


def _choose(macro: TestMacro, tokens: Tokens) -> tuple[Rule, Bound] | str:
    """The first rule TOKENS match, with its bindings, or why it cannot be told. The last
    rule, unsure, is taken with what it bound before (regex's ``replace!(name, ...,
    Cow::<'_, str>::Borrowed("Z"))``): were it refused, no rule would match and rustc would
    stop; a test name or a forwarded argument it did not bind is unsure still."""
    for index, rule in enumerate(macro.rules):
        bound = _match(rule.pattern, tokens)
        if isinstance(bound, _Unsure) and index + 1 < len(macro.rules):
            return f"which rule of {macro.name}! matches is unsure: {bound.why}"
        if isinstance(bound, _Unsure):
            return rule, bound.bound
        if bound is not None:
            return rule, bound
    return f"no rule of {macro.name}! matches the invocation"


@record
class _Unsure:
    """A match that cannot be told: why, and what the elements before bound."""

    why: str
    bound: Bound


def _match(pattern: tuple[Element, ...], tokens: Tokens) -> Bound | _Unsure | None:
    """The bindings when TOKENS match PATTERN, None when they do not, _Unsure when unsure."""
    bound: Bound = {}
    at = 0
    for index, (kind, value, fragment) in enumerate(pattern):
        if kind in ("rest", "all"):
            if kind == "all":
                bound[value] = list(tokens[at:])
            at = len(tokens)  # the last rule's repetition: rustc refusing it is an error
            continue
        if kind == "trail":
            commas = len(tokens) - at
            if any(t[1] != "," for t in tokens[at:]) or not _repeats(fragment, commas):
                return None
            at = len(tokens)
            continue
        if kind == "lit":
            if at >= len(tokens) or "".join(tokens[at][1].split()) != value:
                return None
            at += 1
            continue
        if fragment in ONE_TOKEN:
            if at >= len(tokens) or not _one(fragment, tokens[at]):
                return None
            bound[value], at = [tokens[at]], at + 1
            continue
        if fragment not in MANY_TOKENS:
            return _Unsure(f"a {fragment} fragment", bound)
        end = _fragment_end(pattern, index, tokens, at)
        if isinstance(end, str):
            return _Unsure(end, bound)
        if end is None:
            return None
        bound[value], at = list(tokens[at:end]), end
    return bound if at == len(tokens) else None


def _one(fragment: str, token: Token) -> bool:
    kind, value = token
    if fragment == "ident":
        return kind == "ident"
    if fragment == "literal":
        return kind == "literal"
    if fragment == "block":
        return kind == "tree" and value.startswith("{")
    if fragment == "lifetime":
        return value.startswith("'")
    return True  # tt: any one token or tree


def _fragment_end(
    pattern: tuple[Element, ...], index: int, tokens: Tokens, at: int
) -> int | str | None:
    """Where a many-token fragment (``expr``, ``ty``, ...) at AT ends: at the first top-level
    ``,``, ``;`` or ``=>``, which must be the literal that follows it in PATTERN (or the end
    when none follows, or only optional trailing commas); None when the tokens do not fit, a
    reason when unsure."""
    following = pattern[index + 1] if index + 1 < len(pattern) else None
    optional = following is not None and following[0] == "trail"  # may end the arguments
    if following is not None and following[0] not in ("lit", "trail"):
        return "a fragment followed by another"
    start = _after_closure_head(tokens, at)
    if start is None:
        return "a closure's parameters do not close"
    risky = ""  # a splitter seen: a comma after it may be inside it
    for end in range(start, len(tokens)):
        word = tokens[end][1]
        if word in SEPARATORS:
            if risky:
                return f"{risky!r} before a {word!r} in an argument"
            fits = following is not None and word == following[1] and end > at
            return end if fits else None
        if word.startswith(SPLITTERS):
            risky = risky or word
    return len(tokens) if (following is None or optional) and at < len(tokens) else None


def _repeats(op: str, count: int) -> bool:
    return count >= 1 if op == "+" else count <= 1 if op == "?" else True


def _after_closure_head(tokens: Tokens, at: int) -> int | None:
    """Past a closure's ``|params|`` (``move`` first, or ``||``) at AT, whose commas separate
    parameters, not arguments; AT when there is none."""
    if at < len(tokens) and tokens[at][1] == "move":
        at += 1
    if at < len(tokens) and tokens[at][1] == "||":
        return at + 1
    if at >= len(tokens) or tokens[at][1] != "|":
        return at
    close = next((i for i in range(at + 1, len(tokens)) if tokens[i][1] == "|"), None)
    return None if close is None else close + 1


def _substitute(tokens: Tokens, bound: Bound) -> Tokens | None:
    """TOKENS with each bound metavariable replaced by its tokens (``$($x)*`` by all of an
    ``all`` binding); None for one not bound or another repetition."""
    out: list[Token] = []
    for kind, value in tokens:
        if kind == "rep":
            var = "".join(value.split()).removeprefix("$(").removesuffix(")*")
            if var not in bound:
                return None
            out.extend(bound[var])
        elif kind == "meta":
            if value not in bound:
                return None
            out.extend(bound[value])
        else:
            out.append((kind, value))
    return tuple(out)
