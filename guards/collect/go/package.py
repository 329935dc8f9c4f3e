"""One Go package directory at one revision: its compiled files, functions and helpers.

Helpers are followed inside the directory only (its ``.go`` and ``_test.go`` files that the
default build compiles, both the package and its external ``_test`` package): a plain call
``f(...)``, a call through the package's own import (``pkg.F(...)`` from ``pkg_test``) and a
method call ``x.M(...)`` (any method named M in the directory: the receiver's type is not
resolved, so this over-approximates). The trap: recursion and mutual recursion between helpers.
What a helper reaches is a least fixed point over every helper of the package it can call, each
scanned once: a skip goes around a cycle to all of it (a walk that answers "nothing" for a helper
already on its path would keep that answer for whichever helper met the cycle first), and a long
chain of helpers is no bound (gin's binding package). Another package of the module calling back
into this one is bounded (MAX_DEPTH solves under way), Undecidable past it.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from tree_sitter import Node

from guards.collect.go import constraints
from guards.collect.go.scan import (
    Call,
    Hit,
    Imports,
    Scan,
    is_testing_type,
    scan_body,
    testing_params,
)
from guards.collect.go.syntax import field as child
from guards.collect.go.syntax import line, parse, string_value, text
from guards.collect.interface import Files
from guards.collect.model import Undecidable
from guards.collect.treesitter import walk
from guards.core.records import record

MAX_DEPTH = 12
Loader = Callable[[str], "Package | None"]
MAX_FILES = 2000


@record
class Func:
    path: str
    node: Node
    imports: Imports

    @property
    def name(self) -> str:
        return text(child(self.node, "name"))


@record
class Reach:
    """A skip a function reaches: the hit and the chain of helpers that leads there."""

    hit: Hit
    path: str
    via: tuple[str, ...]


@dataclass
class Package:
    folder: str
    import_path: str
    files: dict[str, Node] = field(default_factory=dict)  # compiled files only
    excluded: dict[str, str] = field(default_factory=dict)  # path -> why not compiled
    imports: dict[str, Imports] = field(default_factory=dict)
    funcs: dict[str, list[Func]] = field(default_factory=dict)
    methods: dict[str, list[Func]] = field(default_factory=dict)
    loader: Loader | None = None  # another package of the module, by import path
    _memo: dict[int, tuple[Reach, ...]] = field(default_factory=dict)
    _solving: int = 0  # solves under way: another package's helpers calling back into this one
    _names: Counter[str] | None = None

    def references(self, name: str) -> int:
        """How often NAME appears as an identifier in the package (its declaration included)."""
        if self._names is None:
            kinds = {"identifier", "field_identifier"}
            self._names = Counter(
                text(n) for root in self.files.values() for n in walk(root) if n.type in kinds
            )
        return self._names[name]

    def helper_skips(self, call: Call, owner: Imports) -> tuple[Reach, ...]:
        """The skips a call reaches through functions of this package (or another of the
        module's)."""
        found: list[Reach] = []
        for package, func in self._targets(call, owner):
            for reach in package.reaches(func):
                found.append(Reach(reach.hit, reach.path, (func.name, *reach.via)))
        return tuple(found)

    def reaches(self, func: Func) -> tuple[Reach, ...]:
        """The skips FUNC reaches, through any chain of helpers (each skip once, by its
        shortest chain found)."""
        if id(func.node) not in self._memo:
            self._solve(func)
        return self._memo.get(id(func.node), ())

    def _solve(self, start: Func) -> None:
        """Every helper of this package START can call, scanned once, then what each reaches
        as a least fixed point: a skip passes around a cycle of helpers (``a`` calls ``b``
        calls ``a``) to all of them, whatever the order they were met in."""
        if self._solving >= MAX_DEPTH:
            raise Undecidable(start.path, line(start.node), f"helpers nest deeper than {MAX_DEPTH}")
        self._solving += 1
        try:
            graph = self._graph(start)
            self._memo.update(_least(graph))
        finally:
            self._solving -= 1

    def _graph(self, start: Func) -> dict[int, _Node]:
        """START and the functions of this package it reaches through calls, not yet solved."""
        graph: dict[int, _Node] = {}
        queue = [start]
        while queue:
            func = queue.pop()
            if id(func.node) in graph or id(func.node) in self._memo:
                continue
            scan = self._scan(func)
            targets = [t for call in scan.calls for t in self._targets(call, func.imports)]
            graph[id(func.node)] = _Node(func, tuple(scan.hits), tuple(targets))
            queue += [f for package, f in targets if package is self]
        return graph

    def _scan(self, func: Func) -> Scan:
        body = child(func.node, "body")
        if body is None:
            return Scan()
        names = testing_params(child(func.node, "parameters"), func.imports)
        return scan_body(body, names, func.imports, as_helper=True)

    def _targets(self, call: Call, owner: Imports) -> list[tuple[Package, Func]]:
        if not call.qualifier:
            return [(self, f) for f in self.funcs.get(call.name, [])]
        if call.qualifier in owner.own:
            return [(self, f) for f in self.funcs.get(call.name, []) if not _is_test_pkg(f)]
        if call.qualifier in owner.aliases:
            other = self._imported(owner, call.qualifier)
            found = other.funcs.get(call.name, []) if other is not None else []
            return [(other, f) for f in found if other is not None and not _is_test_pkg(f)]
        return [(self, f) for f in self.methods.get(call.name, [])]

    def _imported(self, owner: Imports, alias: str) -> Package | None:
        """The package of the module imported as ALIAS (None: another module, or std)."""
        path = next((p for a, p in owner.paths if a == alias), None)
        return self.loader(path) if self.loader is not None and path else None


@record
class _Node:
    """A helper while its package is solved: its own skips and the functions it calls."""

    func: Func
    hits: tuple[Hit, ...]
    targets: tuple[tuple[Package, Func], ...]


def _least(graph: dict[int, _Node]) -> dict[int, tuple[Reach, ...]]:
    """What each function of GRAPH reaches: its own hits, and what its targets reach (in the
    graph, as found so far; elsewhere, solved apart), until nothing new is found. A skip is
    kept once per function, by (hit, file): so the rounds end."""
    found = {
        k: {(h, n.func.path): Reach(h, n.func.path, ()) for h in n.hits} for k, n in graph.items()
    }
    changed = True
    while changed:
        changed = False
        for key, node in graph.items():
            for package, func in node.targets:
                inner = found.get(id(func.node))
                reached = inner.values() if inner is not None else package.reaches(func)
                for r in list(reached):
                    if (r.hit, r.path) not in found[key]:
                        found[key][(r.hit, r.path)] = Reach(r.hit, r.path, (func.name, *r.via))
                        changed = True
    return {k: tuple(v.values()) for k, v in found.items()}


def _own(node: _Node) -> dict[tuple[Hit, str], Reach]:
    return {(hit, node.func.path): Reach(hit, node.func.path, ()) for hit in node.hits}


def _is_test_pkg(func: Func) -> bool:
    return func.path.endswith("_test.go")


def load(files: Files, folder: str, import_path: str, loader: Loader | None = None) -> Package:
    """The compiled files of FOLDER and their functions."""
    package = Package(folder, import_path, loader=loader)
    listing = [p for p in files.list_dir(folder) if p.endswith(".go")]
    if len(listing) > MAX_FILES:
        raise Undecidable(folder or ".", 0, f"more than {MAX_FILES} Go files in one package")
    for path in sorted(listing):
        data = files.read(path)
        if data is not None:
            _add(package, path, data)
    _share_fields(package)
    return package


def _share_fields(package: Package) -> None:
    """Tell every file's Imports the struct fields of a testing type anywhere in the package."""
    fields: set[str] = set()
    for path, root in package.files.items():
        for node in walk(root):
            kind = child(node, "type") if node.type == "field_declaration" else None
            if kind is not None and is_testing_type(kind, package.imports[path]):
                fields.update(text(n) for n in node.children_by_field_name("name"))
    shared = frozenset(fields)
    package.imports = {p: replace(i, fields=shared) for p, i in package.imports.items()}
    for funcs in (*package.funcs.values(), *package.methods.values()):
        funcs[:] = [replace(f, imports=package.imports[f.path]) for f in funcs]


def _add(package: Package, path: str, data: bytes) -> None:
    source = data.decode("utf-8", "replace")
    why = constraints.name_excludes(posixpath.basename(path))
    try:
        why = why or constraints.header_excludes(source)
    except ValueError as error:
        raise Undecidable(path, 1, str(error)) from error
    if why:
        package.excluded[path] = why
        return
    root = parse(path, data)
    package.files[path] = root
    imports = read_imports(root, package.import_path)
    package.imports[path] = imports
    for node in root.named_children:
        if node.type == "function_declaration":
            func = Func(path, node, imports)
            package.funcs.setdefault(func.name, []).append(func)
        elif node.type == "method_declaration":
            func = Func(path, node, imports)
            package.methods.setdefault(func.name, []).append(func)


def read_imports(root: Node, own_path: str) -> Imports:
    testing: set[str] = set()
    aliases: set[str] = set()
    own: set[str] = set()
    paths: list[tuple[str, str]] = []
    for node in root.named_children:
        if node.type != "import_declaration":
            continue
        for spec in (n for n in _specs(node)):
            target = string_value(child(spec, "path") or spec) or ""
            alias = text(child(spec, "name")) or target.rpartition("/")[2]
            aliases.add(alias)
            paths.append((alias, target))
            if target == "testing":
                testing.add(alias)
            if target == own_path:
                own.add(alias)
    return Imports(frozenset(testing), frozenset(aliases), frozenset(own), paths=tuple(paths))


def _specs(node: Node) -> list[Node]:
    found = []
    for sub in node.named_children:
        if sub.type == "import_spec":
            found.append(sub)
        elif sub.type == "import_spec_list":
            found.extend(s for s in sub.named_children if s.type == "import_spec")
    return found
