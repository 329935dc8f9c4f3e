"""Rust: the tests ``cargo test`` runs, as ``cargo nextest list`` names them, and what keeps
each from running.

Counts: ``#[ignore]`` (with or without a reason, or from a true ``cfg_attr``), a false
``#[cfg(...)]`` on the test or on a module above it, ``#[should_panic]`` (a weakening, its own
kind), ``test = false`` and ``harness = false`` on the target in Cargo.toml. Identity:
``<binary id> <module path>::<fn>``, the binary id being the package name (lib), ``pkg::name``
(integration test) or ``pkg::bin/name``; the test path is what ``cargo test -- --list`` prints.
The trap: a change to Cargo.toml (a feature dropped from ``default``, ``test = false``) or to
a parent module (``#[cfg(windows)] mod tests;``) skips tests in files the change does not
touch, so the package's files, or the module files below a changed one, are read as well. A
target that cannot be read (Undecidable) stops the verdict only where the change may reach it
(_reaches_the_change).
``autotests = false`` leaves the files it would have discovered unbuilt (their tests counted as
skipped), but not one a built target reads: ripgrep's ``[[test]] name = "integration"`` is
tests/tests.rs with every ``tests/*.rs`` as its modules.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from guards.collect.interface import Files
from guards.collect.model import FileResult, TestItem, Undecidable
from guards.collect.rust import cargo
from guards.collect.rust.cfg import Env
from guards.collect.rust.walk import Walk

LANGUAGE = "rust"
GREP_TERMS = ("test", "cfg", "mod ", "ignore", "should_panic", "path")


def claims(path: str) -> bool:
    """PATH is Rust source or a Cargo manifest (outside a ``target/`` build folder)."""
    parts = path.split("/")
    if "target" in parts[:-1]:
        return False
    return path.endswith(".rs") or parts[-1] == cargo.MANIFEST


def collect(files: Files, paths: Iterable[str]) -> list[FileResult]:
    """The tests of the Rust files among PATHS (a package's all when its Cargo.toml is there)."""
    by_package: dict[str, list[str]] = {}
    for path in (p for p in paths if claims(p)):
        manifest = cargo.find_manifest(files, path)
        if manifest is not None:
            by_package.setdefault(manifest, []).append(path)
    results: list[FileResult] = []
    for manifest in sorted(by_package):
        results.extend(_package(files, manifest, by_package[manifest]))
    return results


def _package(files: Files, manifest: str, wanted: list[str]) -> list[FileResult]:
    package = cargo.load(files, manifest, tuple(wanted))
    env = Env(package.features, package.build_script)
    found: dict[str, list[TestItem]] = {}
    above: dict[str, set[str]] = {}
    built: set[str] = set()  # the files the targets cargo builds read
    read: set[str] = set()  # the files the targets that could be read read
    failed: list[tuple[Walk, Undecidable]] = []
    for target in sorted(package.targets, key=lambda t: bool(t.why)):
        if target.why and target.path in built:
            continue  # a file autotests = false leaves to a [[test]] entry, or a module of one
        walk = Walk(files, package, target, env)
        try:
            ran = walk.run()
        except Undecidable as exc:
            failed.append((walk, exc))
            continue
        for path, items in ran.items():
            found.setdefault(path, []).extend(items)
            above.setdefault(path, set()).update(walk.above.get(path, ()))
        built |= walk.seen if not target.why else set()
        read |= walk.seen
    changed = set(wanted)
    _reaches_the_change(failed, {p for p in changed if files.exists(p)}, read, manifest)
    wanted = [*wanted, *(p for p in found if above.get(p, set()) & changed)]
    if manifest in changed:
        wanted = [*wanted, *found]
    rust = sorted({p for p in wanted if p.endswith(".rs") and files.exists(p)})
    return [FileResult(p, tuple(found.get(p, ()))) for p in rust]


def _reaches_the_change(
    failed: list[tuple[Walk, Undecidable]], changed: set[str], read: set[str], manifest: str
) -> None:
    """Raise the first target's Undecidable that may hide a test of the change: unless the
    manifest is unchanged, every changed file is one a target that could be read read too
    (READ: its tests are known), and none is among the files the failed target reads (its
    module tree, as the walk finds modules: Walk.files_read). A target the change cannot
    reach reads the same files, and stops the same way, at both revisions: its tests are the
    same unknown on each side (tokio's tests/tcp_accept.rs, a table of tests, against a
    change to another test file). A changed file no target reads (a module declared inside a
    macro's call: tokio's ``cfg_rt! { pub mod runtime; }``) may hold tests of its own no
    walk sees, so the change is refused as before."""
    for walk, exc in failed:
        if manifest in changed or not changed <= read:
            raise exc
        try:
            reached = bool(
                Walk(walk.files, walk.package, walk.target, walk.env).files_read() & changed
            )
        except Undecidable:
            reached = True  # its files cannot be told either
        if reached:
            raise exc


def _root(manifest: str) -> str:
    return posixpath.dirname(manifest)
