"""go.mod and go.work, Cargo.toml (+ .cargo/config.toml), Gemfile and *.gemspec, pom.xml
(Gradle: gradle.py).

go.mod is line based (``require`` lines and blocks; a ``replace`` is a source). Cargo.toml is
TOML (``package = "..."`` renames fetch that package; git/path/registry are sources). A Gemfile
is a program: its ``gem`` declarations and ``source`` lines are read by patterns, which is
practical and can only miss computed names.
pom.xml is XML read with ElementTree (size-bounded by the caller).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from guards.checks import formats
from guards.checks.dependencies.model import OWN, Declared, Dep, own_path
from guards.core import shapes
from guards.errors import GuardsError

GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?(?P<m>[^\s()]+)\s+v\S+", re.M)
GO_REPLACE = re.compile(r"^\s*(?:replace\s+)?(?P<m>[^\s()]+)(?:\s+v\S+)?\s+=>\s+(?P<t>.+)$", re.M)
GEM = re.compile(r"""^\s*gem\s*\(?\s*["'](?P<n>[^"']+)["'](?P<rest>.*)$""", re.M)
GEM_SOURCE = re.compile(r"""^\s*source\s*\(?\s*["'](?P<u>[^"']+)["']""", re.M)
GEMSPEC = re.compile(
    r"""\.add_(?:runtime_|development_)?dependency\s*\(?\s*"""
    r"""(?:["'](?P<n>[^"']+)["']|%q[<{(\[](?P<q>[^>})\]]+))"""
)
GEM_LOCATED = re.compile(r"\b(git|github|path|source):\s*[\"']?([^\"',\s]+)")
CARGO_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")


def go_mod(data: bytes, path: str) -> Declared:
    text = re.sub(r"//.*", "", data.decode("utf-8", "replace"))
    blocks = re.findall(r"^require\s*\((.*?)\)", text, re.M | re.S)
    lines = "\n".join([*blocks, *re.findall(r"^require\s+[^(\s].*$", text, re.M)])
    replaced = {m["m"]: m["t"].strip() for m in GO_REPLACE.finditer(_replace_lines(text))}
    deps = [Dep("go", m["m"], path, "") for m in GO_REQUIRE.finditer(lines)]
    deps += [Dep("go", name, path, f"replace => {t}") for name, t in replaced.items()]
    return Declared(tuple(deps))


def _replace_lines(text: str) -> str:
    blocks = re.findall(r"^replace\s*\((.*?)\)", text, re.M | re.S)
    return "\n".join([*blocks, *re.findall(r"^replace\s+[^(\s].*$", text, re.M)])


def cargo(data: bytes, path: str) -> Declared:
    doc = formats.toml(data, path)
    tables = [shapes.table(doc.get(t), t) for t in CARGO_TABLES]
    workspace = shapes.table(doc.get("workspace"), "workspace")
    tables.append(shapes.table(workspace.get("dependencies"), "workspace.dependencies"))
    for name, target in shapes.table(doc.get("target"), "target").items():
        where = f"target.{name}"
        target = shapes.table(target, where)
        tables += [shapes.table(target.get(k), f"{where}.{k}") for k in CARGO_TABLES]
    deps = [_crate(name, spec, path) for table in tables for name, spec in table.items()]
    return Declared(tuple(deps), tuple(_cargo_sources(doc)))


def _crate(name: str, spec: Any, path: str) -> Dep:
    if not isinstance(spec, Mapping):
        return Dep("cargo", name, path)
    located = ", ".join(f"{k}={spec[k]}" for k in ("git", "path", "registry") if k in spec)
    if set(spec) & {"git", "path", "registry"} == {"path"} and own_path(path, str(spec["path"])):
        located = OWN + str(spec["path"])
    return Dep("cargo", str(spec.get("package", name)), path, located)


def _cargo_sources(doc: Mapping[str, Any]) -> Iterator[str]:
    for key in ("source", "registries", "replace"):  # replace: deprecated, and still honoured
        for name, conf in shapes.table(doc.get(key), key).items():
            yield f"{key}.{name} {conf}"
    for name, conf in shapes.table(doc.get("patch"), "patch").items():
        yield f"patch.{name} {sorted(shapes.table(conf, f'patch.{name}'))}"


def gemfile(data: bytes, path: str) -> Declared:
    text = "\n".join(
        re.sub(r"(^|\s)#.*$", "", line) for line in data.decode("utf-8", "replace").splitlines()
    )
    deps = []
    for match in GEM.finditer(text):
        located = ", ".join(f"{k}={v}" for k, v in GEM_LOCATED.findall(match["rest"]))
        deps.append(Dep("rubygems", match["n"], path, located))
    return Declared(tuple(deps), tuple(f"source {m['u']}" for m in GEM_SOURCE.finditer(text)))


def gemspec(data: bytes, path: str) -> Declared:
    """A gem's own dependencies (a Gemfile's ``gemspec`` line installs them):
    ``add_dependency``, ``add_runtime_dependency``, ``add_development_dependency``, the name a
    string or ``%q<...>``."""
    text = "\n".join(
        re.sub(r"(^|\s)#.*$", "", line) for line in data.decode("utf-8", "replace").splitlines()
    )
    return Declared(tuple(Dep("rubygems", m["n"] or m["q"], path) for m in GEMSPEC.finditer(text)))


def pom(data: bytes, path: str) -> Declared:
    import xml.etree.ElementTree as ET  # loaded only for a changed pom.xml

    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise GuardsError(f"{path}: not valid XML ({exc})") from exc
    for el in root.iter():
        el.tag = el.tag.rpartition("}")[2] if isinstance(el.tag, str) else el.tag
    deps = [
        Dep(
            "maven",
            f"{d.findtext('groupId', '').strip()}:{d.findtext('artifactId', '').strip()}",
            path,
        )
        for d in root.iter("dependency")
    ]
    repos = [
        f"repository {r.findtext('url', '').strip()}"
        for tag in ("repository", "pluginRepository")
        for r in root.iter(tag)
    ]
    return Declared(tuple(deps), tuple(repos))


def cargo_config(data: bytes, path: str) -> Declared:
    return Declared((), tuple(_cargo_sources(formats.toml(data, path))))
