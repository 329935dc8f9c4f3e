"""Records of the dependencies guard: one dependency as a manifest declares it, and what one
manifest (with its includes) declares.

``name`` is the name the package manager fetches (an npm alias ``"lodash": "npm:lodahs@4"``
or a Cargo ``package = "..."`` rename fetches the aliased name, so that is the name judged).
``source`` is empty for the ecosystem's default registry, else the git/URL/path it comes from.
A path inside the repository is the repository's own folder (OWN + the path): a new
dependency on one is no new source, the code it names is read and reviewed in the same pull
request (a new Cargo workspace crate, ripgrep's ``grep-index = { path = "crates/index" }``),
while a dependency moved there from the registry is vendored (judge.py); a path that leaves
the repository is a path source like any other (``own_path``).
"""

from __future__ import annotations

import posixpath
import re
from typing import NamedTuple

OWN = "the repository's own folder "  # a source inside the repository (own_path)


class Dep(NamedTuple):
    ecosystem: str  # pypi | npm | go | cargo | rubygems | maven
    name: str
    path: str  # the manifest that declares it
    source: str = ""


class Declared(NamedTuple):
    """Dependencies and package sources (index URLs, registries) of one manifest."""

    deps: tuple[Dep, ...] = ()
    sources: tuple[str, ...] = ()


class Source(NamedTuple):
    """A package source (index URL, registry) and the file that names it."""

    text: str
    path: str


class Found(NamedTuple):
    """What a set of manifests declares, each package source with its file."""

    deps: tuple[Dep, ...] = ()
    sources: tuple[Source, ...] = ()


def located(declared: Declared, path: str) -> Found:
    return Found(declared.deps, tuple(Source(text, path) for text in declared.sources))


def merge(parts: list[Found]) -> Found:
    return Found(
        tuple(d for p in parts for d in p.deps),
        tuple(dict.fromkeys(s for p in parts for s in p.sources)),
    )


def own_path(manifest: str, target: str) -> bool:
    """Whether TARGET, a path MANIFEST names (relative to its folder), stays inside the
    repository: ``inside`` it, and not a home (``~``) or drive path either."""
    if not target or target.startswith(("~", "\\")) or re.match(r"[A-Za-z]:", target):
        return False
    return inside(manifest, target) is not None


def inside(manifest: str, target: str) -> str | None:
    """TARGET, a path MANIFEST names relative to its folder, as a path of the repository;
    None when it leaves it (absolute, or ``..`` past the root after normalizing)."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(manifest), target))
    if target.startswith("/") or joined == ".." or joined.startswith("../"):
        return None
    return joined
