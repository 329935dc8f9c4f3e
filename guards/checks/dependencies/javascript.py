"""npm manifests: package.json's four dependency kinds, and registries in .npmrc / .yarnrc(.yml).

A dependency spec that is a git/GitHub/URL/file/link reference is a source; an alias
(``npm:other@^1``) fetches the aliased package, so that name is the one judged. The trap:
``user/repo`` with no scheme is GitHub shorthand, a source too.
"""

from __future__ import annotations

import re
from typing import Any

from guards.checks import formats
from guards.checks.dependencies.model import Declared, Dep

KINDS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
LOCATED = re.compile(
    r"^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|file:|link:|portal:)"
)
SHORTHAND = re.compile(r"^[\w.-]+/[\w.-]+(?:#.*)?$")
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
    return Declared(tuple(deps))


def dep(name: str, spec: str, path: str) -> Dep:
    spec = spec.strip()
    if alias := ALIAS.match(spec):
        return Dep("npm", alias.group("name"), path, f"alias of {name}")
    if LOCATED.match(spec) or SHORTHAND.match(spec):
        return Dep("npm", name, path, spec)
    return Dep("npm", name, path)


def npmrc(data: bytes, path: str) -> Declared:
    text = data.decode("utf-8", "replace")
    return Declared((), tuple(f"{m['k']} {m['v']}" for m in REGISTRY.finditer(text)))


def yarnrc(data: bytes, path: str) -> Declared:
    if path.endswith((".yml", ".yaml")):
        doc: Any = formats.yaml_doc(data, path)
        doc = doc if isinstance(doc, dict) else {}
        server = doc.get("npmRegistryServer")
        found = [f"npmRegistryServer {server}"] if server else []
        for scope, conf in (doc.get("npmScopes") or {}).items():
            if isinstance(conf, dict) and "npmRegistryServer" in conf:
                found.append(f"@{scope}:npmRegistryServer {conf['npmRegistryServer']}")
        return Declared((), tuple(found))
    text = data.decode("utf-8", "replace")
    return Declared(
        (), tuple(f"registry {m}" for m in re.findall(r'registry\s+"?(\S+?)"?$', text, re.M))
    )
