"""Records of the dependencies guard: one dependency as a manifest declares it, and what one
manifest (with its includes) declares.

``name`` is the name the package manager fetches (an npm alias ``"lodash": "npm:lodahs@4"``
or a Cargo ``package = "..."`` rename fetches the aliased name, so that is the name judged).
``source`` is empty for the ecosystem's default registry, else the git/URL/path it comes from.
"""

from __future__ import annotations

from typing import NamedTuple


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
