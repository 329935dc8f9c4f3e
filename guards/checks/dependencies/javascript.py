"""npm manifests: package.json's four dependency kinds and its overrides, and registries in
.npmrc / .yarnrc(.yml).

A dependency spec that is a git/GitHub/URL/file/link reference is a source; an alias
(``npm:other@^1``) fetches the aliased package, so that name is the one judged. The trap:
``user/repo`` with no scheme is GitHub shorthand, a source too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from guards.checks import formats
from guards.checks.dependencies.model import OWN, Declared, Dep, own_path
from guards.core import shapes

KINDS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
OVERRIDES = (("overrides",), ("resolutions",), ("pnpm", "overrides"))
LOCATED = re.compile(
    r"^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|file:|link:|portal:)"
)
SHORTHAND = re.compile(r"^[\w.-]+/[\w.-]+(?:#.*)?$")
FOLDER = re.compile(r"^(?:file|link|portal):(?!//)(?P<path>.+)$")  # file:// is a URL
PATH_LIKE = ("./", "../", "/", "~")  # a spec npm reads as a folder without a protocol
ALIAS = re.compile(r"^npm:(?P<name>@?[^@\s]+)")
REGISTRY = re.compile(r"^\s*(?P<k>(?:@[\w.-]+:)?registry)\s*=\s*(?P<v>\S+)", re.M)


def package_json(data: bytes, path: str) -> Declared:
    doc = formats.jsonc(data, path)
    if not isinstance(doc, dict):
        return Declared()
    deps = [
        dep(name, str(spec), path)
        for kind in KINDS
        if isinstance(doc.get(kind), dict)
        for name, spec in doc[kind].items()
    ]
    return Declared(tuple(deps + list(_overrides(doc, path))))


def _overrides(doc: dict[str, Any], path: str) -> Iterator[Dep]:
    """The overrides that change what is fetched (npm ``overrides``, yarn ``resolutions``,
    ``pnpm.overrides``): an alias fetches another package, a git/URL/file spec another source.
    A version pin changes neither, so it is none (``"semver": "^7.5.2"`` is a fix, not a new
    dependency)."""
    for keys in OVERRIDES:
        table: Any = doc
        for key in keys:
            table = table.get(key) if isinstance(table, dict) else None
        if isinstance(table, dict):
            yield from _overridden(table, path, "")


def _overridden(table: dict[str, Any], path: str, parent: str) -> Iterator[Dep]:
    for key, spec in table.items():
        name = parent if key == "." else _package(key)
        if isinstance(spec, dict):  # npm nests an override under the package that needs it
            yield from _overridden(spec, path, name)
        elif isinstance(spec, str) and name:
            found = dep(name, spec, path)
            if found.name != name or found.source:
                yield found


def _package(key: str) -> str:
    """The package an override key names: the last of ``a>b``, ``**/a/b``, ``@s/a@1.x``
    (string cuts, no pattern: a key is as long as the manifest lets it be)."""
    parts = key.strip().rsplit(">", 1)[-1].split("/")
    scoped = len(parts) > 1 and parts[-2].startswith("@")
    name = "/".join(parts[-2:]) if scoped else parts[-1]
    version = name.find("@", 1)
    return name[:version] if version > 0 else name


def dep(name: str, spec: str, path: str) -> Dep:
    """NAME as PATH declares it: a folder inside the repository (``file:packages/x``,
    ``./x``) is the repository's own (model.OWN); one outside it (``file:../../x``, ``../x``
    from the root, ``~/x``) is a path source, as a git or URL spec is."""
    spec = spec.strip()
    if alias := ALIAS.match(spec):
        return Dep("npm", alias.group("name"), path, f"alias of {name}")
    folder = _folder(spec)
    if folder is not None:
        return Dep("npm", name, path, OWN + folder if own_path(path, folder) else spec)
    if LOCATED.match(spec) or SHORTHAND.match(spec):
        return Dep("npm", name, path, spec)
    return Dep("npm", name, path)


def _folder(spec: str) -> str | None:
    """The folder SPEC installs from (after ``file:``, ``link:`` or ``portal:``, or a spec
    npm reads as a path: ``./x``, ``../x``, ``/x``, ``~/x``), None for any other spec."""
    found = FOLDER.match(spec)
    if found is not None:
        return found["path"]
    return spec if spec.startswith(PATH_LIKE) or spec in (".", "..") else None


def npmrc(data: bytes, path: str) -> Declared:
    text = data.decode("utf-8", "replace")
    return Declared((), tuple(f"{m['k']} {m['v']}" for m in REGISTRY.finditer(text)))


def yarnrc(data: bytes, path: str) -> Declared:
    if path.endswith((".yml", ".yaml")):
        doc: Any = formats.yaml_doc(data, path)
        doc = doc if isinstance(doc, dict) else {}
        server = doc.get("npmRegistryServer")
        found = [f"npmRegistryServer {server}"] if server else []
        for scope, conf in shapes.table(doc.get("npmScopes"), "npmScopes").items():
            if isinstance(conf, dict) and "npmRegistryServer" in conf:
                found.append(f"@{scope}:npmRegistryServer {conf['npmRegistryServer']}")
        return Declared((), tuple(found))
    text = data.decode("utf-8", "replace")
    return Declared(
        (), tuple(f"registry {m}" for m in re.findall(r'registry\s+"?(\S+?)"?$', text, re.M))
    )
