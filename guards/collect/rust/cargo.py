"""A Cargo package at one revision: its name, default features and the targets ``cargo test``
builds, as Cargo's auto-discovery and the manifest's ``[lib]``/``[[bin]]``/``[[test]]`` say.

Targets: the lib (``src/lib.rs``), bins (``src/main.rs``, ``src/bin/*.rs``,
``src/bin/<name>/main.rs``), integration tests (``tests/*.rs``, ``tests/<name>/main.rs``),
examples and benches only when the manifest sets ``test = true`` on them. ``test = false``
keeps a target out of ``cargo test``; ``harness = false`` runs it without libtest (its
``#[test]`` functions never run). The trap: a ``[[bin]]``/``[[test]]`` entry with the name of a
discovered target replaces it, and ``autobins``/``autotests = false`` turn discovery off.
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Mapping
from typing import Any

from guards.collect.interface import Files
from guards.collect.model import NotParsable, Undecidable
from guards.core import shapes
from guards.core.records import record

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover -- Python 3.10 reads TOML with tomli
    import tomli as tomllib

MANIFEST = "Cargo.toml"
MAX_FEATURE_STEPS = 10_000


@record
class Target:
    kind: str  # lib | bin | test | example | bench
    name: str
    path: str  # the root source file
    test: bool = True
    harness: bool = True
    why: str = ""  # why a discovered target is not built (autotests = false)

    def binary_id(self, package: str) -> str:
        """nextest's binary id: ``pkg``, ``pkg::bin/name``, ``pkg::name`` (integration test)."""
        if self.kind == "lib":
            return package
        if self.kind == "test":
            return f"{package}::{self.name}"
        return f"{package}::{self.kind}/{self.name}"


@record
class Package:
    manifest: str
    name: str
    features: frozenset[str]
    build_script: bool
    targets: tuple[Target, ...]

    @property
    def root(self) -> str:
        return posixpath.dirname(self.manifest)


def find_manifest(files: Files, path: str) -> str | None:
    """The Cargo.toml of the package PATH belongs to (the nearest one with ``[package]``)."""
    parts = path.split("/")[:-1]
    for cut in range(len(parts), -1, -1):
        candidate = "/".join([*parts[:cut], MANIFEST])
        data = files.read(candidate)
        if data is not None and "package" in _toml(candidate, data):
            return candidate
    return None


def load(files: Files, manifest: str, hints: tuple[str, ...] = ()) -> Package:
    """The package of MANIFEST; HINTS are paths whose ``<dir>/<name>/main.rs`` may be targets.
    A key in a shape cargo refuses (``[lib] path = 3``) is NotParsable, as cargo reads it."""
    data = _toml(manifest, files.read(manifest) or b"")
    try:
        return _package(files, manifest, data, hints)
    except shapes.Shape as exc:
        raise NotParsable(manifest, 1, shapes.refused(exc, "cargo")) from exc


def _package(files: Files, manifest: str, data: dict[str, Any], hints: tuple[str, ...]) -> Package:
    package = shapes.table(data.get("package"), "package")
    root = posixpath.dirname(manifest)
    build = package.get("build", True)
    build_script = bool(build) and (build is not True or files.exists(_join(root, "build.rs")))
    return Package(
        manifest,
        str(package.get("name", "")),
        default_features(data),
        build_script,
        tuple(_targets(files, root, data, hints)),
    )


def _toml(path: str, data: bytes) -> dict[str, Any]:
    try:
        parsed: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise NotParsable(path, 1, f"not valid TOML: {error}") from error
    return parsed


def default_features(data: dict[str, Any]) -> frozenset[str]:
    """The features a build without flags enables: ``default`` and what it implies."""
    table = shapes.table(data.get("features"), "features")
    enabled: set[str] = set()
    todo = ["default"] if "default" in table else []
    steps = 0
    while todo:
        steps += 1
        if steps > MAX_FEATURE_STEPS:
            raise Undecidable(MANIFEST, 1, "the feature graph is too large")
        name = todo.pop()
        if name in enabled:
            continue
        enabled.add(name)
        for item in shapes.strings(table.get(name), f"features.{name}"):
            todo.append(_implied(item))
    enabled.discard("")
    return frozenset(enabled)


def _implied(item: str) -> str:
    if item.startswith("dep:"):
        return ""
    name, slash, _ = item.partition("/")
    return "" if slash and name.endswith("?") else name


def _targets(files: Files, root: str, data: dict[str, Any], hints: tuple[str, ...]) -> list[Target]:
    package = shapes.table(data.get("package"), "package")
    found: list[Target] = []
    lib = shapes.table(data.get("lib"), "lib")
    lib_path = _join(root, shapes.string(lib.get("path", "src/lib.rs"), "lib.path"))
    if "lib" in data or files.exists(lib_path):
        found.append(_target("lib", str(lib.get("name", package.get("name", ""))), lib_path, lib))
    found += _kind(files, root, data, "bin", _auto_bins(files, root, package, hints))
    found += _kind(files, root, data, "test", _auto_dir(files, root, "tests", hints))
    found += _kind(files, root, data, "example", {})
    found += _kind(files, root, data, "bench", {})
    return found


def _kind(
    files: Files, root: str, data: dict[str, Any], kind: str, auto: dict[str, str]
) -> list[Target]:
    key = {"bin": "autobins", "test": "autotests"}.get(kind, "")
    off = bool(key) and shapes.table(data.get("package"), "package").get(key) is False
    default_test = kind in {"bin", "test"}
    why = f"{key} = false" if off else ""
    targets = {n: Target(kind, n, p, default_test and not off, why=why) for n, p in auto.items()}
    for entry in shapes.tables(data.get(kind), kind):
        name = str(entry.get("name", ""))
        path = (
            _join(root, shapes.string(entry["path"], f"{kind}.path"))
            if "path" in entry
            else auto.get(name, _guess(root, kind, name))
        )
        targets[name] = _target(kind, name, path, entry, default_test)
    return list(targets.values())


def _target(
    kind: str, name: str, path: str, entry: Mapping[str, Any], default_test: bool = True
) -> Target:
    return Target(
        kind, name, path, bool(entry.get("test", default_test)), bool(entry.get("harness", True))
    )


def _guess(root: str, kind: str, name: str) -> str:
    folder = {"bin": "src/bin", "test": "tests", "example": "examples", "bench": "benches"}[kind]
    return _join(root, f"{folder}/{name}.rs")


def _auto_bins(
    files: Files, root: str, package: Mapping[str, Any], hints: tuple[str, ...]
) -> dict[str, str]:
    found = _auto_dir(files, root, "src/bin", hints)
    main = _join(root, "src/main.rs")
    if files.exists(main):
        found[str(package.get("name", ""))] = main
    return found


def _auto_dir(files: Files, root: str, folder: str, hints: tuple[str, ...]) -> dict[str, str]:
    base = _join(root, folder)
    found: dict[str, str] = {}
    for path in files.list_dir(base):
        if path.endswith(".rs"):
            found[posixpath.basename(path)[:-3]] = path
    for path in _subdir_mains(files, base, hints):
        found[posixpath.basename(posixpath.dirname(path))] = path
    return found


def _subdir_mains(files: Files, base: str, hints: tuple[str, ...]) -> list[str]:
    """``<base>/<name>/main.rs`` for the subfolders of BASE that HINTS lie in."""
    below = [h[len(base) + 1 :].split("/") for h in hints if h.startswith(base + "/")]
    names = sorted({parts[0] for parts in below if len(parts) > 1})
    return [p for p in (_join(base, f"{n}/main.rs") for n in names) if files.exists(p)]


def _join(root: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(root, path)) if root else posixpath.normpath(path)
