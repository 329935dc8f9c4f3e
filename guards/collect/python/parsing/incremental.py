"""Analyze a changed module again from its other revision's facts: the bodies of the functions
the change did not touch are not parsed.

Contract: ``analyze_again(path, data, options, before, old)`` is ``analyze(path, data, options)``
(the same Module, field for field) or None when it cannot be had cheaply; BEFORE is the Module
of OLD (the module's bytes at the other revision) analyzed with the same OPTIONS. A function is
reused when it is defined once, directly in the module, in both revisions, with the same lines
from ``def`` to end (Module.bodies records where), found in DATA by its ``def`` line. Its body
becomes ``pass`` and blank lines (line numbers kept), the reduced module is analyzed as any
module, and the body's facts are put back from BEFORE, moved by the lines the change added
above it: its references, a fixture's skip condition, the names it assigns, its nested
definitions.

Why the parse is the same: the reduced module differs from DATA in the reused bodies only, and
its parse proves each reused function a top-level definition whose body is the one ``pass``
line. After a top-level ``def`` header the tokenizer is in one state (no bracket or string
open, column 0 outside), the state it met the body in within OLD: it reads the same tokens, and
the next line of code, at column 0 since the function ended, leaves it as the reduced parse
does. A function the reduced parse places otherwise (the change opened a string or a bracket
above it, or indented a line into it) is parsed in a next round, without it.

Why the facts are the same: a body's facts depend on its nodes and on the module's names (Env),
nothing else. The names the revisions bind differently are found; a body whose text spells one
of them, or that may run code a string holds (``exec``: those names are no words of the text),
is parsed. Neither revision may star-import (a star's names are unknown), and BEFORE must
hold nothing undecidable (which body it came from is not recorded).

The traps: an encoding cookie (in the first two lines) and ``barry_as_FLUFL`` change how
unchanged text reads: a cookie may not change, and a module that says the other in either
revision is parsed whole; identifiers are NFKC-normalized, so a body that is
not ASCII is parsed when names changed; lines are what the parser counts (``\\r\\n``, ``\\r``,
``\\n``: bytes.splitlines); a hook's body is read by name elsewhere
(``pytest_generate_tests``), so no ``pytest_`` function is reused, nor anything of a conftest.
"""

from __future__ import annotations

import ast
import dataclasses
import posixpath
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence

from guards.collect.model import Def, NotParsable, Undecidable
from guards.collect.python.parsing.facts import Body, Func, Module, Ref
from guards.collect.python.parsing.options import AnalysisOptions
from guards.collect.python.parsing.walk import nodes_of
from guards.core.records import record

FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
DEFINITIONS = (*FUNCS, ast.ClassDef)
WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
RUNS_CODE = frozenset({"exec", "eval", "compile", "getattr"})  # builtins that may run a string
ROUNDS = 3  # reduced parses at most: each round leaves out the bodies the last one could not use
MIN_SHARE = 0.5  # reuse only when this share of the module's bytes is in reused bodies
HEADER_LINES = 2  # where an encoding cookie may sit
FUTURE_GRAMMAR = b"barry_as_FLUFL"  # ``<>`` for ``!=``: in either revision, bodies read otherwise
COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]")  # PEP 263
HOOK_PREFIX = "pytest_"


@record
class Reuse:
    """A body of OLD, SIZE bytes, put in the new module SHIFT lines further down."""

    body: Body
    shift: int
    size: int


def spans(
    tree: ast.Module,
    stmts: Sequence[ast.stmt],
    walked: Mapping[int, list[ast.AST]],
    source: bytes,
) -> tuple[Body, ...]:
    """The Body of every function defined once among the import-time STMTS, directly in TREE,
    whose body starts on a line of its own and does not end in a line continuation."""
    defined = Counter(s.name for s in stmts if isinstance(s, DEFINITIONS))
    lines = source.splitlines(keepends=True)
    found = (
        _body(node, walked, lines)
        for node in tree.body
        if isinstance(node, FUNCS) and defined[node.name] == 1
    )
    return tuple(body for body in found if body is not None)


def _body(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    walked: Mapping[int, list[ast.AST]],
    lines: list[bytes],
) -> Body | None:
    head = node.body[0]
    start = min([head.lineno, *(d.lineno for d in getattr(head, "decorator_list", ()))])
    end = node.end_lineno or node.lineno
    text = lines[start - 1] if start <= len(lines) else b""
    indent = len(text) - len(text.lstrip(b" \t\f"))
    if start <= node.lineno or indent != head.col_offset or indent == 0:
        return None  # a body on the header's line: no line of it is the body's alone
    if end > len(lines) or lines[end - 1].rstrip(b"\r\n").endswith(b"\\"):
        return None
    nodes = walked.get(id(node.body)) or nodes_of(node.body)
    stores = {n.id for n in nodes if type(n) is ast.Name and type(n.ctx) is ast.Store}
    return Body(node.name, node.lineno, start, end, tuple(sorted(stores)))


def analyze_again(
    path: str, data: bytes, options: AnalysisOptions, before: Module, old: bytes
) -> Module | None:
    """``analyze(path, data, options)`` from BEFORE, the facts of OLD; None when it is not
    cheaper, or not surely the same (then the caller analyzes DATA in full)."""
    if not _reusable(path, options, before) or FUTURE_GRAMMAR in data + old:
        return None
    lines = data.splitlines(keepends=True)
    plan = _plan(before, old.splitlines(keepends=True), lines, len(data))
    for _ in range(ROUNDS):
        if not plan:
            return None
        module = _reduced(path, lines, plan, options)
        if module is None or module.stars:
            return None
        names = _changed_names(before, module)
        wrong = {
            r.body.name for r in [*_unproven(module, plan, before), *_spelling(plan, lines, names)]
        }
        if not wrong:
            return _patched(module, plan, before)
        plan = _enough([r for r in plan if r.body.name not in wrong], len(data))
    return None


def _reusable(path: str, options: AnalysisOptions, before: Module) -> bool:
    conftest = options.as_conftest or posixpath.basename(path) == "conftest.py"
    return not (
        conftest or options.lazy_bodies or before.stars or before.undecidable or not before.bodies
    )


def _plan(before: Module, old: list[bytes], new: list[bytes], size: int) -> list[Reuse]:
    """The bodies of BEFORE found whole in NEW (the same lines from ``def`` to end), each with
    its shift; a definition whose ``def`` line NEW holds more than once is left out."""
    header = old[:HEADER_LINES], new[:HEADER_LINES]
    if header[0] != header[1] and any(COOKIE.search(line) for lines in header for line in lines):
        return []
    where: dict[bytes, list[int]] = {}
    for at, line in enumerate(new, 1):
        where.setdefault(line, []).append(at)
    functions = {f.name for f in before.functions}
    plan = []
    for body in before.bodies:
        found = where.get(old[body.line - 1], [])
        shift = found[0] - body.line if len(found) == 1 else None
        text = b"".join(old[body.line - 1 : body.end])
        if (
            shift is not None
            and body.name in functions
            and not body.name.startswith(HOOK_PREFIX)
            and b"".join(new[body.line - 1 + shift : body.end + shift]) == text
        ):
            plan.append(Reuse(body, shift, len(text)))
    return _enough(plan, size)


def _enough(plan: list[Reuse], size: int) -> list[Reuse]:
    """PLAN when its bodies are worth a second parse of the rest (MIN_SHARE of SIZE bytes),
    else nothing."""
    return plan if sum(r.size for r in plan) >= MIN_SHARE * size else []


def _reduced(
    path: str, lines: list[bytes], plan: list[Reuse], options: AnalysisOptions
) -> Module | None:
    """The facts of LINES with each planned body reduced to ``pass``; None when they do not
    parse or analyze (the full analysis then says why)."""
    from guards.collect.python.parsing.analyze import analyze  # it imports this module

    out = list(lines)
    for reuse in plan:
        start, end = reuse.body.start + reuse.shift, reuse.body.end + reuse.shift
        first = out[start - 1]
        indent = first[: len(first) - len(first.lstrip(b" \t\f"))]
        out[start - 1] = indent + b"pass" + _ending(first)
        for at in range(start, end):
            out[at] = _ending(out[at])
    try:
        return analyze(path, b"".join(out), options)
    except (NotParsable, Undecidable):
        return None  # the full analysis says why


def _ending(line: bytes) -> bytes:
    return line[len(line.rstrip(b"\r\n")) :]


def _unproven(module: Module, plan: list[Reuse], before: Module) -> list[Reuse]:
    """The planned functions the reduced parse does not hold where OLD did, as a top-level
    definition (defined once) whose body is its ``pass`` line, with the arguments and fixture
    a body's facts go with (a fixture's skip condition reads ``request``)."""
    bodies = {b.name: b for b in module.bodies}
    funcs = {f.name: f for f in module.functions}
    olds = {f.name: f for f in before.functions}
    out = []
    for reuse in plan:
        body, shift = reuse.body, reuse.shift
        got, new, old = bodies.get(body.name), funcs.get(body.name), olds[body.name]
        where = (body.line + shift, body.start + shift, body.start + shift)
        if (
            got is None
            or (got.line, got.start, got.end) != where
            or (
                new is not None
                and (new.args, new.fixture is None) != (old.args, old.fixture is None)
            )
        ):
            out.append(reuse)
    return out


def _fixture_shape(func: Func) -> tuple[tuple[str, ...], bool]:
    return func.args, func.fixture is None


def _changed_names(before: Module, module: Module) -> set[str]:
    """The names the two revisions bind differently (what a body's names resolve to)."""
    old, new = before.exports, module.exports
    return {n for n in old.keys() | new.keys() if old.get(n) != new.get(n)}


def _spelling(plan: list[Reuse], lines: list[bytes], names: set[str]) -> list[Reuse]:
    """The planned bodies whose text spells one of NAMES, or may run code a string holds, or
    is not ASCII (an identifier is read NFKC-normalized: U+FF53 is an ``s``)."""
    if not names:
        return []
    wanted = names | RUNS_CODE
    out = []
    for reuse in plan:
        start, end = reuse.body.start + reuse.shift, reuse.body.end + reuse.shift
        text = b"".join(lines[start - 1 : end])
        if not text.isascii() or {w.decode() for w in WORD.findall(text)} & wanted:
            out.append(reuse)
    return out


def _patched(module: Module, plan: list[Reuse], before: Module) -> Module:
    """MODULE, analyzed with PLAN's bodies reduced, with those bodies' facts from BEFORE."""
    by_name = {r.body.name: r for r in plan}
    olds = {f.name: f for f in before.functions}
    functions = tuple(
        _func(f, olds[f.name], by_name[f.name].shift) if f.name in by_name else f
        for f in module.functions
    )
    bodies = tuple(_moved(b, by_name[b.name]) if b.name in by_name else b for b in module.bodies)
    stores = {name for r in plan for name in r.body.stores}
    return dataclasses.replace(
        module,
        functions=functions,
        bodies=bodies,
        bound_names=tuple(sorted(stores.union(module.bound_names))),
        defs=_defs(module.defs, plan, before.defs) if module.defs else (),
    )


def _func(new: Func, old: Func, shift: int) -> Func:
    fixture = new.fixture
    if fixture is not None and old.fixture is not None:
        fixture = dataclasses.replace(fixture, skip_when=old.fixture.skip_when)
    refs = tuple(_ref(r, shift) for r in old.refs)
    return dataclasses.replace(new, refs=refs, fixture=fixture)


def _ref(ref: Ref, shift: int) -> Ref:
    return dataclasses.replace(ref, line=ref.line + shift) if ref.line and shift else ref


def _moved(body: Body, reuse: Reuse) -> Body:
    return dataclasses.replace(body, end=reuse.body.end + reuse.shift, stores=reuse.body.stores)


def _defs(defs: tuple[Def, ...], plan: list[Reuse], olds: tuple[Def, ...]) -> tuple[Def, ...]:
    """DEFS without the reduced functions' own, with OLDS's definitions inside each reused
    function (itself and what nests in it), moved."""
    reduced = {r.body.line + r.shift for r in plan}
    kept = [d for d in defs if d.line not in reduced]
    lines = [d.line for d in olds]  # ascending (analyze.all_defs)
    for reuse in plan:
        body = reuse.body
        inside = olds[bisect_left(lines, body.line) : bisect_right(lines, body.end)]
        kept += [dataclasses.replace(d, line=d.line + reuse.shift) for d in inside]
    return tuple(sorted(kept, key=lambda d: d.line))
