"""The tests of one Cargo target: its module tree from the root file, as libtest names them.

``mod x;`` loads ``x.rs`` or ``x/mod.rs`` (beside a root or ``mod.rs`` file, else in a folder
named after the file), ``#[path = "..."]`` overrides it; inline ``mod x { }`` nests. A test is a
function with ``#[test]`` or an attribute ending in ``::test`` (``#[tokio::test]``), after
``cfg_attr`` expansion; its name is the module path from the root plus the function's name.
The trap: ``#[cfg]`` on a module (outer, or inner ``#![cfg]`` at the top of its file or body)
removes every test below it. A ``macro_rules!`` that writes tests is read when it is simple
(test_macros.py: each invocation in item position, after its definition in the walk, is a test
named by its first argument); any other that writes test attributes hides tests from a static
reader, so it is Undecidable.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, field, replace

from tree_sitter import Node

from guards.collect.interface import Files
from guards.collect.model import Skip, TestItem, Undecidable
from guards.collect.rust import cfg, dormant, test_macros
from guards.collect.rust.cargo import Package, Target
from guards.collect.rust.marks import cfg_skip, marks
from guards.collect.rust.meta import Meta, parse
from guards.collect.rust.syntax import attribute_text, line, text
from guards.collect.rust.syntax import parse as parse_rust
from guards.core.records import record

MAX_FILES = 5000
MAX_DEPTH = 64
SKIP_ORDER = (
    "rust-cfg",
    "cargo-test-false",
    "cargo-harness-false",
    "rust-not-test",
    "rust-ignore",
    "should-panic",
)


@record
class Where:
    """A module being walked: its file, path from the crate root and folder for its children."""

    path: str
    modpath: tuple[str, ...]
    folder: str
    off: Skip | None
    depth: int = 0
    in_test: bool = False
    chain: tuple[str, ...] = ()  # the files of the modules above this one


@dataclass
class Walk:
    files: Files
    package: Package
    target: Target
    env: cfg.Env
    found: dict[str, list[TestItem]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    roots: list[Node] = field(default_factory=list)
    above: dict[str, set[str]] = field(default_factory=dict)  # file -> files of its parents
    lost: list[tuple[str, TestItem]] = field(default_factory=list)  # (fn name, would-be test)
    macros: dict[str, tuple[test_macros.TestMacro, str]] = field(default_factory=dict)  # (it, file)
    exported: dict[str, test_macros.TestMacro] = field(default_factory=dict)  # #[macro_export]
    unknown: list[tuple[str, str, int]] = field(default_factory=list)  # (name, file, line)
    files_only: bool = False  # only which files the target reads: what cannot be read is left

    def files_read(self) -> set[str]:
        """The files this target reads, its module tree (a walk that leaves what it cannot
        read: the tests of a target that cannot be read are unknown, its files are not)."""
        self.files_only = True
        path, in_test = self.target.path, self.target.kind == "test"
        self.file(Where(path, (), posixpath.dirname(path), None, 0, in_test))
        return self.seen

    def run(self) -> dict[str, list[TestItem]]:
        path, in_test = self.target.path, self.target.kind == "test"
        self.file(Where(path, (), posixpath.dirname(path), self._target_skip(), 0, in_test))
        self._no_early_invocations()
        counts = dormant.references(self.roots)
        for name, item in self.lost:
            if counts[name] <= 1:
                self.found[item.path].append(item)
        return self.found

    def _target_skip(self) -> Skip | None:
        manifest = self.package.manifest
        what = f"{self.target.kind} target {self.target.name!r}"
        if not self.target.test:
            why = self.target.why or "test = false"
            return Skip("cargo-test-false", 0, f"{what} has {why}", manifest)
        if not self.target.harness:
            return Skip("cargo-harness-false", 0, f"{what} has harness = false", manifest)
        return None

    def file(self, where: Where) -> None:
        data = self.files.read(where.path)
        if data is None or where.path in self.seen:
            return
        if len(self.seen) >= MAX_FILES or where.depth > MAX_DEPTH:
            raise Undecidable(where.path, 0, f"a module tree deeper or larger than {MAX_FILES}")
        self.seen.add(where.path)
        self.above.setdefault(where.path, set()).update(where.chain)
        self.found.setdefault(where.path, [])
        root = parse_rust(where.path, data)
        self.roots.append(root)
        self.items(root, where)

    def items(self, container: Node, where: Where) -> None:
        where = self._inner_cfg(container, where)
        attrs: list[Node] = []
        for node in container.named_children:
            if node.type == "attribute_item":
                attrs.append(node)
                continue
            if node.type in {"line_comment", "block_comment", "inner_attribute_item"}:
                continue
            if self.files_only:
                self._file_of(node, attrs, where)
            else:
                self.item(node, self.metas(attrs, where.path), where)
            attrs = []

    def _file_of(self, node: Node, attrs: list[Node], where: Where) -> None:
        """The files_read walk of one item: a module's files, whatever its ``cfg`` says
        (attributes that cannot be read, a ``#[path]`` among them maybe, raise); nothing else."""
        if node.type == "mod_item":
            self.module(node, self.metas(attrs, where.path), where)

    def metas(self, attrs: list[Node], path: str) -> list[tuple[Meta, int]]:
        out: list[tuple[Meta, int]] = []
        for attr in attrs:
            try:
                raw = parse(attribute_text(attr))
                expanded = cfg.expand([raw], self.env)
            except cfg.CfgUnknown as error:
                raise Undecidable(path, line(attr), str(error)) from error
            source = attribute_text(attr) if expanded and raw.path == "cfg_attr" else ""
            out.extend((replace(m, source=source) if source else m, line(attr)) for m in expanded)
        return out

    def _inner_cfg(self, container: Node, where: Where) -> Where:
        if self.files_only:
            return where
        inner = [n for n in container.named_children if n.type == "inner_attribute_item"]
        off = cfg_skip(self.metas(inner, where.path), self.env, where.path)
        if off is None or where.off is not None:
            return where
        return replace(where, off=off)

    def item(self, node: Node, metas: list[tuple[Meta, int]], where: Where) -> None:
        if node.type == "function_item":
            self.function(node, metas, where)
        elif node.type == "mod_item":
            self.module(node, metas, where)
        elif node.type == "macro_definition":
            self.macro(node, metas, where)
        elif (call := test_macros.invoked(node)) is not None:
            if call[0] in self.macros:
                self.invocation(call[0], call[1], metas, where)
            else:
                self.unknown.append((call[0], where.path, line(call[1])))

    def _no_early_invocations(self) -> None:
        """Undecidable when a ``#[macro_export]`` test macro read later was invoked before:
        it is in scope by path anywhere in the crate (``crate::m!``), so its tests there were
        not seen. A macro not exported is in scope only after its definition."""
        for name, path, at in self.unknown:
            macro = self.exported.get(name)
            if macro is not None and test_macros.may_write(macro, self._lookup):
                what = f"{name}! is invoked before the walk read its definition"
                raise Undecidable(path, at, f"{what}: its test is not visible")

    def macro(self, node: Node, metas: list[tuple[Meta, int]], where: Where) -> None:
        """A ``macro_rules!`` definition, read (test_macros.py). One that cannot be read but
        whose own ``#[cfg]`` leaves it out of this build is no definition here (tokio's
        ``#[cfg(all(loom, test))] macro_rules! tokio_thread_local``, defined again for the
        other case); one that can is kept, so its tests under the same ``cfg`` are skipped."""
        found = self._definition(node, metas, where.path)
        name = text(node.child_by_field_name("name"))
        if found is None:
            self.macros.pop(name, None)  # a later definition shadows an earlier one
            return
        self.macros[name] = (found, where.path)
        if any(m.path == "macro_export" for m, _ in metas):
            self.exported[name] = found

    def _definition(
        self, node: Node, metas: list[tuple[Meta, int]], path: str
    ) -> test_macros.TestMacro | None:
        """NODE read (test_macros.read), None where it cannot be and its own cfg is off."""
        try:
            return test_macros.read(node, path)
        except Undecidable:
            if cfg_skip(metas, self.env, path) is None:
                raise
            return None

    def _lookup(self, name: str, used: set[str] | None = None) -> test_macros.TestMacro | None:
        """The macro NAME in scope, noting its file in USED."""
        found = self.macros.get(name)
        if found is None:
            return None
        if used is not None:
            used.add(found[1])
        return found[0]

    def invocation(
        self, name: str, tree: Node, metas: list[tuple[Meta, int]], where: Where
    ) -> None:
        """The test an invocation of a simple test macro writes: its attributes, then the
        invocation's own. The file defining the macro counts as above this one: a change to
        it reads this file's tests again (the package's scope, rust/__init__.py)."""
        macro, defined = self.macros[name]
        used = {defined}  # the files of the macros it goes through
        lookup = functools.partial(self._lookup, used=used)
        expanded = test_macros.expand(macro, test_macros.tokens_of(tree), lookup)
        if isinstance(expanded, str):
            raise Undecidable(where.path, line(tree), f"{expanded}: its test is not visible")
        self.above.setdefault(where.path, set()).update(used)
        if expanded is None:
            return  # it writes no test
        fn, attributes = expanded
        attrs = [(parse(a), line(tree)) for a in attributes]
        try:
            written = [(m, at) for raw, at in attrs for m in cfg.expand([raw], self.env)]
        except cfg.CfgUnknown as error:
            raise Undecidable(where.path, line(tree), str(error)) from error
        self.test(fn, line(tree), [*metas, *written], where, True)

    def function(self, node: Node, metas: list[tuple[Meta, int]], where: Where) -> None:
        is_test = any(m.path == "test" or m.path.endswith("::test") for m, _ in metas)
        if not is_test and not dormant.candidate(node, where.in_test):
            return
        self.test(text(node.child_by_field_name("name")), line(node), metas, where, is_test)

    def test(
        self, fn: str, at: int, metas: list[tuple[Meta, int]], where: Where, is_test: bool
    ) -> None:
        name = "::".join((*where.modpath, fn))
        skips = [s for s in (where.off, cfg_skip(metas, self.env, where.path)) if s]
        skips += marks(metas)
        if not is_test:
            why = f"{fn} has no #[test] attribute: a test that lost it never runs"
            skips.append(Skip("rust-not-test", at, why))
        skips = [replace(s, path="") if s.path == where.path else s for s in skips]
        skips.sort(key=lambda s: SKIP_ORDER.index(s.kind))
        nodeid = f"{self.target.binary_id(self.package.name)} {name}"
        item = TestItem(nodeid, where.path, at, tuple(skips))
        if is_test:
            self.found[where.path].append(item)
        else:
            self.lost.append((fn, item))

    def module(self, node: Node, metas: list[tuple[Meta, int]], where: Where) -> None:
        name = text(node.child_by_field_name("name"))
        off = None if self.files_only else where.off or cfg_skip(metas, self.env, where.path)
        body = node.child_by_field_name("body")
        modpath, depth = (*where.modpath, name), where.depth + 1
        in_test = where.in_test or dormant.mentions_test(metas)
        if body is not None:
            folder = posixpath.join(where.folder, name)
            self.items(body, Where(where.path, modpath, folder, off, depth, in_test))
            return
        for path, folder in self._module_files(name, metas, where):
            if self.files.exists(path):
                chain = (*where.chain, where.path)
                self.file(Where(path, modpath, folder, off, depth, in_test, chain))
                return

    def _module_files(
        self, name: str, metas: list[tuple[Meta, int]], where: Where
    ) -> list[tuple[str, str]]:
        explicit = [m.value for m, _ in metas if m.path == "path" and m.value is not None]
        if explicit:
            path = posixpath.normpath(posixpath.join(where.folder, explicit[-1]))
            return [(path, posixpath.dirname(path))]
        flat = posixpath.join(where.folder, f"{name}.rs")
        nested = posixpath.join(where.folder, name, "mod.rs")
        return [(flat, posixpath.join(where.folder, name)), (nested, posixpath.dirname(nested))]
