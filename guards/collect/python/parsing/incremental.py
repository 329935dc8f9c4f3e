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
definitions, whether it returns a value.

Why the parse is the same: the reduced module differs from DATA in the reused bodies only, and
its parse proves each reused function a top-level definition whose body is the one ``pass``
line. After a top-level ``def`` header the tokenizer is in one state (no bracket or string
open, column 0 outside), the state it met the body in within OLD: it reads the same tokens, and
the next line of code, at column 0 since the function ended, leaves it as the reduced parse
does. A function the reduced parse places otherwise (the change opened a string or a bracket
above it, or indented a line into it) is parsed in a next round, without it.

Why the facts are the same: a body's facts depend on its nodes and on the module's names (Env),
nothing else. The names the revisions bind differently are found; a body whose text spells one
of them (NFKC-normalized, as Python reads identifiers), or that ran code a string holds in OLD
(``exec``: those names are no words of the text; a body whose words all resolve as before runs
the same calls), is parsed. Neither revision may star-import (a star's names are unknown),
and BEFORE must hold nothing undecidable (which body it came from is not recorded).

The traps: an encoding cookie (in the first two lines) and ``barry_as_FLUFL`` change how
unchanged text reads: a cookie may not change, and a module that says the other in either
revision is parsed whole; lines are what the parser counts (``\\r\\n``, ``\\r``,
``\\n``: bytes.splitlines); a hook's body is read by name elsewhere
(``pytest_generate_tests``), so no ``pytest_`` function is reused, nor anything of a conftest.
"""

from __future__ import annotations

import ast
import dataclasses
import posixpath
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from guards.collect.model import Def, NotParsable, Undecidable
from guards.collect.python.parsing.bodies import import_time
from guards.collect.python.parsing.facts import HOOK_PREFIX, Body, Func, Module, Ref
from guards.collect.python.parsing.fixture_guards import assigned, says_global
from guards.collect.python.parsing.lambdas import as_def
from guards.collect.python.parsing.options import AnalysisOptions
from guards.collect.python.parsing.walk import first_line, nodes_of
from guards.core.records import record

FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
ASCII_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
# A word character or any non-ASCII one, written as the ASCII characters it leaves out: the
# same set as ``[\w\u0080-\U0010ffff]`` (tested), which took 2.3 ms of every run's start-up to
# compile (re builds a charset of the whole Unicode range).
WORD = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+")
ROUNDS = 3  # reduced parses at most: each round leaves out the bodies the last one could not use
MIN_SHARE = 0.25  # reuse only when this share of the module's bytes is in reused bodies
HEADER_LINES = 2  # where an encoding cookie may sit
FUTURE_GRAMMAR = b"barry_as_FLUFL"  # ``<>`` for ``!=``: in either revision, bodies read otherwise
COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]")  # PEP 263
MAX_SAME_LINE = 16  # a ``def`` line the new text holds more often is not looked up (quadratic)


Functions = dict[tuple[str, str], Func]  # by (class, name); "" for no class


@record
class Reuse:
    """A body of OLD, SIZE bytes, put in the new module SHIFT lines further down."""

    body: Body
    shift: int
    size: int

    @property
    def start(self) -> int:
        """Where the body starts in the new module."""
        return self.body.start + self.shift

    @property
    def end(self) -> int:
        return self.body.end + self.shift


def spans(
    tree: ast.Module, walked: Mapping[int, list[ast.AST]], runs: set[int], source: bytes
) -> tuple[Body, ...]:
    """The Body of every function defined once directly in TREE, or in a class defined once
    directly in TREE, whose body starts on a line of its own and does not end in a line
    continuation."""
    lines, binds = source.splitlines(keepends=True), says_global(source)
    found = [_body("", node, walked, runs, lines, binds) for node in _once(tree.body, FUNCS)]
    for owner in _once(tree.body, (ast.ClassDef,)):
        found += [
            _body(owner.name, node, walked, runs, lines, binds) for node in _once(owner.body, FUNCS)
        ]
    return tuple(body for body in found if body is not None)


def _once(block: Sequence[ast.stmt], kinds: tuple[type, ...]) -> list[Any]:
    """The definitions of KINDS directly in BLOCK whose name no other definition in it binds
    (through compound statements, whatever their conditions)."""
    defined = Counter(_name(s) for s in import_time(list(block)))
    return [s for s in block if isinstance(s, kinds) and defined[_name(s)] == 1]


def _name(stmt: ast.stmt) -> str | None:
    """The name STMT defines: a def's, a class's, or one bound to a lambda (lambdas.py)."""
    if isinstance(stmt, (*FUNCS, ast.ClassDef)):
        return stmt.name
    lambda_def = as_def(stmt)
    return lambda_def.name if lambda_def is not None else None


def _body(
    owner: str,
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    walked: Mapping[int, list[ast.AST]],
    runs: set[int],
    lines: list[bytes],
    binds: Callable[[ast.AST], bool],
) -> Body | None:
    head = node.body[0]
    start = first_line(head)
    end = node.end_lineno or node.lineno
    if end > len(lines) or lines[end - 1].rstrip(b"\r\n").endswith(b"\\"):
        return None
    indent = len(_indent(lines[start - 1]))
    if start <= node.lineno or indent != head.col_offset or indent == 0:
        return None  # a body on the header's line: no line of it is the body's alone
    kept = walked.get(id(node.body))  # the names body_refs saw assigned, when it read the body
    stores = assigned(nodes_of(node.body) if kept is None else kept) if binds(node) else set()
    runs_code = id(node.body) in runs
    return Body(owner, node.name, node.lineno, start, end, tuple(sorted(stores)), runs_code)


def analyze_again(
    path: str, data: bytes, options: AnalysisOptions, before: Module, old: bytes
) -> Module | None:
    """``analyze(path, data, options)`` from BEFORE, the facts of OLD; None when it is not
    cheaper, or not surely the same (then the caller analyzes DATA in full)."""
    if not _reusable(path, options, before) or FUTURE_GRAMMAR in data + old:
        return None
    lines, olds = data.splitlines(keepends=True), _functions(before)
    plan = _plan(before, olds, old.splitlines(keepends=True), lines, len(data))
    for _ in range(ROUNDS):
        if not plan:
            return None
        module = _reduced(path, lines, plan, options)
        if module is None or module.stars:
            return None
        names = _changed_names(before, module)
        wrong = [*_unproven(module, plan, olds), *_spelling(plan, lines, names)]
        if not wrong:
            return _patched(module, plan, before, olds)
        keys = {_key(r.body) for r in wrong}
        plan = _enough([r for r in plan if _key(r.body) not in keys], len(data))
    return None


def _reusable(path: str, options: AnalysisOptions, before: Module) -> bool:
    conftest = options.as_conftest or posixpath.basename(path) == "conftest.py"
    return not (
        conftest or options.lazy_bodies or before.stars or before.undecidable or not before.bodies
    )


def _plan(
    before: Module, olds: Functions, old: list[bytes], new: list[bytes], size: int
) -> list[Reuse]:
    """The bodies of BEFORE found whole in NEW, once (the same lines from ``def`` to end),
    each with its shift. A ``def`` line NEW holds more than MAX_SAME_LINE times is not looked
    up: a module of 10,000 classes that each define ``test_x(self)`` would cost 10,000
    comparisons a body."""
    header = old[:HEADER_LINES], new[:HEADER_LINES]
    if header[0] != header[1] and any(COOKIE.search(line) for lines in header for line in lines):
        return []
    where: dict[bytes, list[int]] = {}
    for number, line in enumerate(new, 1):
        where.setdefault(line, []).append(number)
    plan = []
    for body in before.bodies:
        text = old[body.line - 1 : body.end]
        at = _place(text, where, new)
        if at is not None and _key(body) in olds and not body.name.startswith(HOOK_PREFIX):
            plan.append(Reuse(body, at - body.line, sum(map(len, text))))
    return _enough(plan, size)


def _place(text: list[bytes], where: dict[bytes, list[int]], new: list[bytes]) -> int | None:
    """The one line of NEW where TEXT starts, or None (nowhere, more than once, or its first
    line is in NEW more than MAX_SAME_LINE times)."""
    seen = where.get(text[0], [])
    if len(seen) > MAX_SAME_LINE:
        return None
    found = [at for at in seen if new[at - 1 : at - 1 + len(text)] == text]
    return found[0] if len(found) == 1 else None


def _key(body: Body) -> tuple[str, str]:
    return body.owner, body.name


def _functions(module: Module) -> Functions:
    """MODULE's functions and its classes' methods by (class, name); "" for no class."""
    found = {("", f.name): f for f in module.functions}
    return found | {(k.name, m.name): m for k in module.classes for m in k.methods}


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
        first = out[reuse.start - 1]
        out[reuse.start - 1] = _indent(first) + b"pass" + _ending(first)
        for at in range(reuse.start, reuse.end):
            out[at] = _ending(out[at])
    try:
        return analyze(path, b"".join(out), options)
    except (NotParsable, Undecidable):
        return None  # the full analysis says why


def _indent(line: bytes) -> bytes:
    return line[: len(line) - len(line.lstrip(b" \t\f"))]


def _ending(line: bytes) -> bytes:
    return line[len(line.rstrip(b"\r\n")) :]


def _unproven(module: Module, plan: list[Reuse], olds: Functions) -> list[Reuse]:
    """The planned functions the reduced parse does not hold where OLD did, defined once
    directly in the module or a class of it, with the body its ``pass`` line, and with the
    arguments and fixture a body's facts go with (a fixture's skip condition reads
    ``request``)."""
    bodies = {_key(b): b for b in module.bodies}
    news = _functions(module)
    out = []
    for reuse in plan:
        body, shift, key = reuse.body, reuse.shift, _key(reuse.body)
        got, new = bodies.get(key), news.get(key)
        where = (body.line + shift, reuse.start, reuse.start)
        if (
            got is None
            or (got.line, got.start, got.end) != where
            or (new is not None and _fixture_shape(new) != _fixture_shape(olds[key]))
        ):
            out.append(reuse)
    return out


def _fixture_shape(func: Func) -> tuple[tuple[str, ...], bool]:
    return func.args, func.fixture is None


def _changed_names(before: Module, module: Module) -> set[str]:
    """The names the two revisions bind differently (what a body's names resolve to), a class
    member's by each part (``Gate.check`` bound to ``pytest.skip``: a body says ``Gate`` and
    ``check``, never the dotted name)."""
    old, new = before.exports, module.exports
    changed = {n for n in old.keys() | new.keys() if old.get(n) != new.get(n)}
    return {part for name in changed for part in name.split(".")}


def _spelling(plan: list[Reuse], lines: list[bytes], names: set[str]) -> list[Reuse]:
    """The planned bodies whose text spells one of NAMES, or that run code a string holds."""
    if not names:
        return []
    return [r for r in plan if r.body.runs_code or _words(r, lines) & names]


def _words(reuse: Reuse, lines: list[bytes]) -> set[str]:
    """The words of a body's text as Python reads identifiers: NFKC-normalized (U+FF53 is
    an ``s``). In code an identifier meets only ASCII punctuation or space, so runs of word
    characters and any non-ASCII ones hold each identifier whole; strings and comments add
    words, never hide one."""
    text = b"".join(lines[reuse.start - 1 : reuse.end])
    if text.isascii():
        return {w.decode() for w in ASCII_WORD.findall(text)}
    decoded = text.decode("utf-8", errors="replace")
    return {unicodedata.normalize("NFKC", w) for w in WORD.findall(decoded)}


def _patched(module: Module, plan: list[Reuse], before: Module, olds: Functions) -> Module:
    """MODULE, analyzed with PLAN's bodies reduced, with those bodies' facts from BEFORE (OLDS:
    its functions and methods)."""
    by_key = {_key(r.body): r for r in plan}

    def patched(owner: str, funcs: tuple[Func, ...]) -> tuple[Func, ...]:
        keys = [(owner, f.name) for f in funcs]
        return tuple(
            _func(f, olds[k], by_key[k].shift) if k in by_key else f
            for f, k in zip(funcs, keys, strict=True)
        )

    classes = tuple(
        dataclasses.replace(k, methods=patched(k.name, k.methods)) for k in module.classes
    )
    bodies = tuple(_moved(by_key[_key(b)]) if _key(b) in by_key else b for b in module.bodies)
    stores = {name for r in plan for name in r.body.stores}
    again = not set(module.exec_namespaces).isdisjoint(stores)  # exec_namespaces.py's trap
    return dataclasses.replace(
        module,
        names_dynamic=module.names_dynamic or again,
        exec_namespaces=() if again else module.exec_namespaces,
        functions=patched("", module.functions),
        classes=classes,
        bodies=bodies,
        bound_names=tuple(sorted(stores.union(module.bound_names))),
        defs=_defs(module.defs, plan, before.defs) if module.defs else (),
    )


def _func(new: Func, old: Func, shift: int) -> Func:
    fixture = new.fixture
    if fixture is not None and old.fixture is not None:
        fixture = dataclasses.replace(fixture, skip_when=old.fixture.skip_when)
    refs = tuple(_ref(r, shift) for r in old.refs)
    gives = old.gives_no_function  # of the body, which the reduced one (``pass``) is not
    return dataclasses.replace(new, refs=refs, fixture=fixture, gives_no_function=gives)


def _ref(ref: Ref, shift: int) -> Ref:
    return dataclasses.replace(ref, line=ref.line + shift) if ref.line and shift else ref


def _moved(reuse: Reuse) -> Body:
    """OLD's Body where the new module holds it."""
    body = reuse.body
    return dataclasses.replace(body, line=body.line + reuse.shift, start=reuse.start, end=reuse.end)


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
