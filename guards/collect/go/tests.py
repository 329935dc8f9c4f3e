"""The tests of one ``_test.go`` file as ``go test -json`` names them, with their skips.

Tests are ``TestX``, ``BenchmarkX``, ``FuzzX`` (one ``*testing.T/B/F`` parameter; the name after
the prefix does not start with a lower-case letter) and ``ExampleX`` with an output comment.
Identity: ``<import path>::<Test>[/<subtest>...]``. Subtest names are literal strings rewritten as
go does (spaces become ``_``, "" becomes ``#00``, a repeated name gets ``#01``, ``#02``...).
The trap: a parent that skips before ``t.Run`` never runs its subtests (they are absent from
the runner's report); a parent that skips after it ran them does not skip them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from tree_sitter import Node

from guards.collect.go.package import Func, Package, Reach
from guards.collect.go.scan import Scan, scan_body, testing_params
from guards.collect.go.syntax import field as child
from guards.collect.go.syntax import line, text
from guards.collect.model import Skip, TestItem, Undecidable
from guards.collect.treesitter import walk

PREFIXES = ("Test", "Benchmark", "Fuzz")
MAX_SUBTESTS = 5000


def is_test_name(name: str) -> bool:
    for prefix in PREFIXES:
        if name == prefix or (name.startswith(prefix) and not name[len(prefix)].islower()):
            return name != "TestMain"
    return False


def file_tests(package: Package, path: str) -> list[TestItem]:
    """The tests of PATH, a compiled file, with the skips of their own bodies."""
    root = package.files[path]
    items: list[TestItem] = []
    for func in _test_funcs(package, path, root):
        items.extend(_items(package, func))
    return items


def _test_funcs(package: Package, path: str, root: Node) -> Iterator[Func]:
    imports = package.imports[path]
    for node in root.named_children:
        if node.type != "function_declaration":
            continue
        name = text(child(node, "name"))
        params = child(node, "parameters")
        if (is_test_name(name) and len(testing_params(params, imports)) == 1) or (
            name.startswith("Example") and _has_output(node)
        ):
            yield Func(path, node, imports)


def _has_output(node: Node) -> bool:
    for sub in walk(node):
        if sub.type == "comment":
            body = text(sub).lstrip("/").strip().lower()
            if body.startswith(("output:", "unordered output:")):
                return True
    return False


def _items(package: Package, func: Func) -> list[TestItem]:
    body = child(func.node, "body")
    if body is None:
        return []
    names = testing_params(child(func.node, "parameters"), func.imports)
    scan = scan_body(body, names, func.imports)
    prefix = f"{package.import_path}::{func.name}"
    return _build(package, func, prefix, line(func.node), scan, ())


def _build(
    package: Package,
    func: Func,
    nodeid: str,
    at: int,
    scan: Scan,
    inherited: tuple[Skip, ...],
) -> list[TestItem]:
    own = _skips(package, func, scan)
    skips = inherited or own
    items = [TestItem(nodeid, func.path, at, skips)]
    seen: dict[str, int] = {}
    for sub in scan.subtests:
        if len(items) > MAX_SUBTESTS:
            raise Undecidable(func.path, at, f"more than {MAX_SUBTESTS} subtests")
        if sub.name is None:
            continue  # a computed name: the runner's id is not known statically
        name = _unique(rewrite(sub.name, func.path, sub.line), seen)
        before = inherited or _parent(own, sub.line)
        body = sub.body if sub.body is not None else _named_body(package, sub.func)
        if body is None:
            items.append(TestItem(f"{nodeid}/{name}", func.path, sub.line, before))
            continue
        inner = scan_body(body, set(sub.tnames), func.imports)
        items.extend(_build(package, func, f"{nodeid}/{name}", sub.line, inner, before))
    return items


def _named_body(package: Package, name: str) -> Node | None:
    found = package.funcs.get(name, [])
    return child(found[0].node, "body") if len(found) == 1 else None


def _skips(package: Package, func: Func, scan: Scan) -> tuple[Skip, ...]:
    skips = [_skip(h.line, h.short, f"{h.what} in the test", "") for h in scan.hits]
    for call in scan.calls:
        for reach in package.helper_skips(call, func.imports):
            skips.append(_via(call.line, call.short, reach, func.path))
    return tuple(sorted(skips, key=lambda s: (s.kind != "go-skip", s.line)))


def _via(at: int, short: bool, reach: Reach, path: str) -> Skip:
    chain = " -> ".join(reach.via)
    where = f"{reach.path}:{reach.hit.line}"
    detail = f"{reach.hit.what} in helper {chain} ({where})"
    return _skip(at, short or reach.hit.short, detail, "")


def _skip(at: int, short: bool, detail: str, path: str) -> Skip:
    if short:
        return Skip("go-short-skip", at, f"{detail}, under testing.Short()", path)
    return Skip("go-skip", at, detail, path)


def _parent(own: tuple[Skip, ...], at: int) -> tuple[Skip, ...]:
    """The parent's skips that come before the subtest starts (so it never runs)."""
    kinds = {"go-skip": "go-parent-skip", "go-short-skip": "go-parent-short-skip"}
    return tuple(
        Skip(kinds[s.kind], s.line, f"its parent test skips first: {s.detail}", s.path)
        for s in own
        if s.line < at
    )


def rewrite(name: str, path: str, at: int) -> str:
    """A subtest name as go reports it (spaces become underscores)."""
    if any(
        not (c.isprintable() or c == " ") or (unicodedata.category(c) == "Zs" and c != " ")
        for c in name
    ):
        raise Undecidable(path, at, f"subtest name {name!r} has characters go rewrites")
    return name.replace(" ", "_")


def _unique(name: str, seen: dict[str, int]) -> str:
    count = seen.get(name)
    seen[name] = 0 if count is None else count + 1
    if count is None:
        return name or "#00"
    return f"{name}#{count + 1:02d}"
