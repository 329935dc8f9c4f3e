"""One Go package directory at one revision: its compiled files, functions and helpers.

Helpers are followed inside the directory only (its ``.go`` and ``_test.go`` files that the
default build compiles, both the package and its external ``_test`` package): a plain call
``f(...)``, a call through the package's own import (``pkg.F(...)`` from ``pkg_test``) and a
method call ``x.M(...)`` (any method named M in the directory: the receiver's type is not
resolved, so this over-approximates). The trap: recursion and mutual recursion between helpers;
the walk is memoized and bounded (MAX_DEPTH), and a deeper chain is Undecidable.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from tree_sitter import Node

from guards.collect.go import constraints
from guards.collect.go.scan import Call, Hit, Imports, is_testing_type, scan_body, testing_params
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
    _names: Counter[str] | None = None

    def references(self, name: str) -> int:
        """How often NAME appears as an identifier in the package (its declaration included)."""
        if self._names is None:
            kinds = {"identifier", "field_identifier"}
            self._names = Counter(
                text(n) for root in self.files.values() for n in walk(root) if n.type in kinds
            )
        return self._names[name]

    def helper_skips(self, call: Call, owner: Imports, depth: int = 0) -> tuple[Reach, ...]:
        """The skips a call reaches through functions of this package."""
        found: list[Reach] = []
        for package, func in self._targets(call, owner):
            for reach in package.reaches(func, depth + 1):
                found.append(Reach(reach.hit, reach.path, (func.name, *reach.via)))
        return tuple(found)

    def reaches(self, func: Func, depth: int) -> tuple[Reach, ...]:
        key = id(func.node)
        if key in self._memo:
            return self._memo[key]
        if depth > MAX_DEPTH:
            raise Undecidable(func.path, line(func.node), f"helpers nest deeper than {MAX_DEPTH}")
        self._memo[key] = ()  # a cycle adds nothing new
        body = child(func.node, "body")
        result: list[Reach] = []
        if body is not None:
            names = testing_params(child(func.node, "parameters"), func.imports)
            scan = scan_body(body, names, func.imports, as_helper=True)
            result = [Reach(h, func.path, ()) for h in scan.hits]
            for call in scan.calls:
                result.extend(self.helper_skips(call, func.imports, depth))
        self._memo[key] = tuple(result)
        return self._memo[key]

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
