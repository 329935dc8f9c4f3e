"""Pure verdicts: dependencies new at head, sources changed, names that imitate known ones.

A dependency is keyed by ecosystem and normalized name; a name is new when no changed
manifest declared it at base. A version bump keeps the key, so it passes. A head dependency
with a git/URL/path source is a finding unless the same key had the same source at base, or
the source is a folder of the repository and the base fetched that key from nowhere else (a
new workspace crate, or one moved in the repository; vendoring a registry package is a
finding); a package source (index URL, registry) at head that was not at base is one too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from guards.checks.dependencies.model import OWN, Dep, Found
from guards.checks.dependencies.names import imitated, normalize


class Problem(NamedTuple):
    rule: str
    dep: Dep | None
    message: str
    failed: bool = True
    path: str | None = None

    @property
    def where(self) -> str | None:
        return self.dep.path if self.dep else self.path


def key(dep: Dep) -> tuple[str, str]:
    return dep.ecosystem, normalize(dep.ecosystem, dep.name)


def added(base: Found, head: Found) -> list[Dep]:
    before = {key(d) for d in base.deps}
    fresh: dict[tuple[str, str], Dep] = {}
    for dep in head.deps:
        if key(dep) not in before:
            fresh.setdefault(key(dep), dep)
    return list(fresh.values())


def unlisted(new: Sequence[Dep], allow: Mapping[str, set[str]], strict: bool) -> Iterator[Problem]:
    for dep in new:
        names = allow.get(dep.ecosystem)
        if names is None:
            yield Problem("dependencies_allowed", dep, _no_list(dep), strict)
        elif key(dep)[1] not in {normalize(dep.ecosystem, n) for n in names}:
            yield Problem("dependencies_allowed", dep, f"{_shown(dep)} is not on the allowlist")


def lookalikes(
    new: Sequence[Dep], known: Mapping[str, Sequence[str]], max_distance: int
) -> Iterator[Problem]:
    for dep in new:
        target = imitated(dep.ecosystem, dep.name, known.get(dep.ecosystem, ()), max_distance)
        if target is not None:
            message = f"{_shown(dep)} imitates {target!r}: a typosquat? did you mean {target}?"
            yield Problem("no_lookalike_dependency", dep, message)


def sources(base: Found, head: Found) -> Iterator[Problem]:
    before = {(key(d), d.source) for d in base.deps}
    for dep in head.deps:
        if dep.source and (key(dep), dep.source) not in before and not _own(dep, base):
            message = f"{_shown(dep)} comes from {dep.source}, not the registry"
            yield Problem("sources_unchanged", dep, message)
    before_texts = {s.text for s in base.sources}
    for source in head.sources:
        if source.text not in before_texts:
            message = f"new package source: {source.text}"
            yield Problem("sources_unchanged", None, message, path=source.path)


def _own(dep: Dep, base: Found) -> bool:
    """Whether DEP comes from a folder of the repository and was not at base from anywhere
    else: a new workspace crate or package, or one moved within the repository. One the base
    fetched from the registry or elsewhere is vendored, and that is a new source."""
    if not dep.source.startswith(OWN):
        return False
    return all(d.source.startswith(OWN) for d in base.deps if key(d) == key(dep))


def _shown(dep: Dep) -> str:
    return f"{dep.ecosystem} dependency {dep.name!r}"


def _no_list(dep: Dep) -> str:
    return f"{_shown(dep)} is new and there is no {dep.ecosystem} allowlist at base to vet it"
